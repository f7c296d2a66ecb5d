# Copyright 2026 Progress Billing Developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from datetime import timedelta

from freezegun import freeze_time
from odoo import fields
from odoo.addons.mail.tests.common import MailCase
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import HttpCase, new_test_user, tagged

from .common import ProgressBillingCase


class InviteCase(ProgressBillingCase, MailCase):
    """Invite to Bill (readme/USAGE.md, "Invite to Bill (contractor side)"): the confirmed ``commitment`` of the test
    case, billed by ``contact`` (the invoice address of ``subcontractor``),
    and a second confirmed commitment ``steel`` of another vendor."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.contact = cls.env["res.partner"].create({
            "name": "Ada Payables", "email": "ap@solid.example.com", "type": "invoice", "parent_id": cls.subcontractor.id,
        })
        cls.commitment.invoice_contact_id = cls.contact
        cls.commitment.button_confirm()
        cls.steel_vendor = cls.env["res.partner"].create({"name": "Ironclad Steel", "email": "billing@steel.example.com"})
        cls.steel = cls._create_commitment(cls.project, [{"name": "Steel", "price_unit": 30_000}], partner_id=cls.steel_vendor.id)
        cls.steel.button_confirm()

    def _invite(self, commitments, user=None, period=None):
        """Invite to Bill ``commitments`` through the wizard, as ``user`` (default: the plain user)."""
        user = user or self.user
        action = commitments.with_user(user).with_context(
            progress_billing_period_id=(period or self.period).id,
        ).action_invite_to_bill()
        wizard = self.env[action["res_model"]].with_user(user).browse(action["res_id"])
        wizard.action_invite()
        return self._period_invoices(commitments, period)

    def _period_invoices(self, commitments, period=None):
        return self.env["progress.billing.sub.invoice"].search([
            ("purchase_order_id", "in", commitments.ids), ("period_id", "=", (period or self.period).id), ("state", "!=", "void"),
        ])

    def _invite_mails(self, partner):
        """The e-mails created for ``partner`` since the mail gateway was mocked."""
        return self._new_mails.filtered(lambda mail: partner in mail.recipient_ids)


@tagged("post_install", "-at_install", "progress_billing")
class TestInviteToBill(InviteCase):

    def test_invoice_contact_defaults_to_vendor_invoice_address(self):
        commitment = self._create_commitment(self.project, [{"name": "More concrete", "price_unit": 1_000}])
        self.assertEqual(commitment.invoice_contact_id, self.contact)
        self.assertEqual(self.steel.invoice_contact_id, self.steel_vendor, "a vendor without invoice address is its own contact")
        commitment.partner_id = self.steel_vendor
        self.assertEqual(commitment.invoice_contact_id, self.steel_vendor, "a new vendor brings its own contact")

    def test_invoice_contact_of_another_vendor_is_refused(self):
        with self.assertRaisesRegex(ValidationError, "Ironclad Steel is not a contact of Solid Concrete Ltd: the invoice contact of"):
            self.commitment.with_user(self.user).invoice_contact_id = self.steel_vendor

    def test_invite_creates_the_draft_invoice_and_mails_the_contact(self):
        with self.mock_mail_gateway():
            invoice = self._invite(self.commitment)
        self.assertEqual(len(invoice), 1)
        self.assertEqual(invoice.state, "draft")
        self.assertEqual(invoice.line_ids.purchase_line_id, self.commitment.order_line, "the lines are the SSOV's")
        self.assertEqual(invoice.invited_partner_id, self.contact)
        self.assertTrue(invoice.invited_on)
        self.assertIn(self.contact, invoice.message_partner_ids, "the contact follows its invoice")
        self.assertEqual(invoice.invite_status, "invited")
        self.assertEqual(invoice.access_url, f"/my/progress-billing/invoice/{invoice.id}")
        mail = self._invite_mails(self.contact)
        self.assertEqual(len(mail), 1)
        self.assertMailMail(self.contact, "sent", author=self.user.partner_id, content=invoice.get_portal_url())
        self.assertSentEmail(self.user.partner_id, [self.contact])
        self.assertIn(self.period.display_name, mail.subject)
        body = mail.body_html
        self.assertIn(f"/my/progress-billing/invoice/{invoice.id}?access_token={invoice.access_token}", body)
        self.assertIn(fields.Date.to_date(self.period.date_due).strftime("%m/%d/%Y"), body)
        self.assertIn("Work, Materials and Retainage", body)
        self.assertEqual(invoice.invite_mail_ids.mapped("kind"), ["invitation"])
        self.assertEqual(self.steel.with_context(progress_billing_period_id=self.period.id).invite_status, "not_invited")

    def test_inviting_twice_keeps_one_invoice_and_one_mail_a_day(self):
        with self.mock_mail_gateway():
            invoice = self._invite(self.commitment)
            self.assertEqual(self._invite(self.commitment), invoice)
            self.assertEqual(len(self._invite_mails(self.contact)), 1, "no second e-mail the same day")
        with freeze_time(fields.Date.today() + timedelta(days=1)), self.mock_mail_gateway():
            self.assertEqual(self._invite(self.commitment), invoice)
            self.assertEqual(len(self._invite_mails(self.contact)), 1, "a new day, a new invitation")
        self.assertEqual(invoice.invite_mail_ids.mapped("kind"), ["invitation", "invitation"])

    def test_invite_uses_the_draft_entered_in_the_back_office(self):
        invoice = self._create_sub_invoice()
        with self.mock_mail_gateway():
            self.assertEqual(self._invite(self.commitment), invoice)
        self.assertEqual(invoice.invited_partner_id, self.contact)

    def test_invite_from_the_period_proposes_the_commitments_not_invited(self):
        self._create_sub_invoice(commitment=self.steel).action_submit()
        action = self.period.with_user(self.user).action_invite_to_bill()
        wizard = self.env[action["res_model"]].browse(action["res_id"])
        self.assertEqual(wizard.commitment_ids, self.commitment)
        self.assertEqual(action["context"]["progress_billing_period_id"], self.period.id)
        wizard.commitment_ids |= self.steel
        self.assertRegex(wizard.blocked_message, r"the invoice of .* is Under Review: it is no longer the subcontractor's to fill in")
        with self.mock_mail_gateway():
            wizard.action_invite()
        self.assertEqual(self._period_invoices(self.commitment).invited_partner_id, self.contact)
        self.assertFalse(self._invite_mails(self.steel_vendor))

    def test_invite_refusals_name_the_commitment(self):
        self._create_sub_invoice(commitment=self.steel).action_submit()
        draft = self._create_commitment(self.project, [{"name": "Unsigned", "price_unit": 1_000}])
        other_project = self._create_commitment(self._create_project("Elsewhere"), [{"name": "Far", "price_unit": 1_000}])
        other_project.button_confirm()
        no_email = self._create_commitment(self.project, [{"name": "Quiet", "price_unit": 1_000}],
                                           partner_id=self.env["res.partner"].create({"name": "No Mail Ltd"}).id)
        no_email.button_confirm()
        for commitment, message in (
            (self.steel, r"is Under Review: it is no longer the subcontractor's to fill in"),
            (draft, "is not confirmed: confirm it before inviting its subcontractor to bill"),
            (other_project, "is not a commitment of project Riverside Tower"),
            (no_email, "has no invoice contact with an e-mail address: set one on the commitment"),
        ):
            with self.subTest(commitment=commitment.name), self.assertRaisesRegex(UserError, message):
                commitment.with_user(self.user)._invite_to_bill(self.period)
        with self.assertRaisesRegex(UserError, "Select commitments of one project to invite"):
            (self.commitment | other_project).with_user(self.user).action_invite_to_bill()

    def test_invite_after_the_due_date_is_for_managers(self):
        """The invoice is created as in the back office: after the period's due date, only by a manager."""
        self.period.date_due = fields.Date.today() - timedelta(days=1)
        with self.assertRaisesRegex(UserError, "its due date .* has passed, and only a Progress Billing manager"):
            self.commitment.with_user(self.user)._invite_to_bill(self.period)
        with self.mock_mail_gateway():
            self.assertTrue(self._invite(self.commitment, user=self.manager))

    def test_invite_status_follows_the_invoice(self):
        period_commitments = self.env["purchase.order"].with_context(progress_billing_period_id=self.period.id)

        def status():
            return period_commitments.browse(self.commitment.id).invite_status

        def search(domain):
            return period_commitments.search([("project_id", "=", self.project.id), *domain])

        self.assertEqual(status(), "not_invited")
        with self.mock_mail_gateway():
            invoice = self._invite(self.commitment)
        self.assertEqual(status(), "invited")
        self.assertEqual(search([("invite_status", "=", "not_invited")]), self.steel)
        not_submitted = [("invite_status", "in", ("invited", "draft_in_progress", "revise_resubmit"))]
        self.assertEqual(search(not_submitted), self.commitment)
        self._bill(invoice, {self.ssov_labor: (1_000, 0)})
        self.assertEqual(status(), "draft_in_progress")
        invoice.with_user(self.user).action_submit()
        self.assertEqual(status(), "submitted")
        self.assertFalse(search(not_submitted))
        invoice.with_user(self.manager).action_request_revision()
        self.assertEqual(status(), "revise_resubmit")
        self.assertEqual(search(not_submitted), self.commitment)
        invoice.with_user(self.user).action_submit()
        invoice.with_user(self.manager).action_approve()
        self.assertEqual(status(), "approved")
        # without a period in the context: the project's open period
        self.assertEqual(self.commitment.invite_period_id, self.period)
        self.assertEqual(self.commitment.invite_status, "approved")

    def test_period_lists_its_commitments_with_their_status(self):
        self.assertEqual(self.period.commitment_count, 2)
        action = self.period.with_user(self.user).action_view_commitments()
        commitments = self.env["purchase.order"].with_context(action["context"]).search(action["domain"])
        self.assertEqual(commitments, self.commitment | self.steel)
        self.assertEqual(set(commitments.mapped("invite_status")), {"not_invited"})
        self.assertEqual(commitments.invite_period_id, self.period)

    def test_grant_portal_access_opens_the_portal_wizard(self):
        partner_manager = new_test_user(
            self.env, "pb_partner_manager", groups="progress_billing.group_progress_billing_user,base.group_partner_manager",
        )
        action = self.commitment.with_user(partner_manager).action_grant_portal_access()
        wizard = self.env["portal.wizard"].browse(action["res_id"])
        self.assertEqual(action["res_model"], "portal.wizard")
        portal_user = wizard.user_ids.filtered(lambda user: user.partner_id == self.contact)
        portal_user.action_grant_access()
        self.assertTrue(self.contact.user_ids._is_portal())


@tagged("post_install", "-at_install", "progress_billing")
class TestInviteReminders(InviteCase):
    """The scheduled action reminds invited subcontractors who have not
    submitted N days before the due date (N = 3 by default) and once after it,
    never twice the same day."""

    def setUp(self):
        super().setUp()
        with self.mock_mail_gateway():
            self.invoice = self._invite(self.commitment)
        self.due = self.period.date_due

    def _run_cron(self, day):
        """The scheduled action on ``day``, run by ir.cron; the reminders it e-mails the contact."""
        with freeze_time(day), self.mock_mail_gateway(), self.enter_registry_test_mode():
            self.env.ref("progress_billing.ir_cron_send_bill_reminders").method_direct_trigger()
        self.invoice.invalidate_recordset()
        return self._invite_mails(self.contact)

    def _sent(self):
        return [(mail.kind, mail.sent_on) for mail in self.invoice.invite_mail_ids.sorted("id")]

    def test_reminders_before_and_after_the_due_date(self):
        self.invoice.invite_mail_ids.sudo().sent_on = self.due - timedelta(days=10)
        self.assertFalse(self._run_cron(self.due - timedelta(days=4)), "not yet: 4 days before")
        reminder = self._run_cron(self.due - timedelta(days=3))
        self.assertEqual(len(reminder), 1)
        self.assertIn("reminder, pay application for", reminder.subject)
        self.assertIn("is due on", reminder.body_html)
        self.assertIn(self.invoice.get_portal_url(), reminder.body_html)
        self.assertFalse(self._run_cron(self.due - timedelta(days=3)), "never twice the same day")
        self.assertFalse(self._run_cron(self.due), "one reminder before the due date")
        overdue = self._run_cron(self.due + timedelta(days=1))
        self.assertEqual(len(overdue), 1)
        self.assertIn("was due on", overdue.body_html)
        self.assertFalse(self._run_cron(self.due + timedelta(days=2)), "once when the due date has passed")
        self.assertEqual(self._sent(), [
            ("invitation", self.due - timedelta(days=10)), ("reminder", self.due - timedelta(days=3)),
            ("overdue", self.due + timedelta(days=1)),
        ])

    def test_reminder_days_is_a_company_setting(self):
        self.invoice.invite_mail_ids.sudo().sent_on = self.due - timedelta(days=10)
        self.company.progress_billing_reminder_days = 5
        self.assertEqual(len(self._run_cron(self.due - timedelta(days=5))), 1)

    def test_no_reminder_right_after_an_invitation(self):
        """An invitation inside the reminder window counts as the reminder."""
        self.invoice.invite_mail_ids.sudo().sent_on = self.due - timedelta(days=2)
        self.assertFalse(self._run_cron(self.due - timedelta(days=1)))

    def test_no_reminder_once_submitted(self):
        self.invoice.action_submit()
        self.assertFalse(self._run_cron(self.due - timedelta(days=3)))
        self.assertFalse(self._run_cron(self.due + timedelta(days=1)))
        self.assertEqual([kind for kind, _day in self._sent()], ["invitation"])


@tagged("post_install", "-at_install", "progress_billing")
class TestInviteAccess(InviteCase, HttpCase):
    """Invite to Bill is for Progress Billing users: a purchase user outside
    the group is refused, through the ORM and JSON-RPC alike; nobody writes
    whom an invoice invites, nor the e-mails sent, but Invite to Bill itself."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.outsider = new_test_user(cls.env, "pb_buyer", groups="purchase.group_purchase_user")

    def _call_kw(self, login, model, method, args, kwargs=None):
        """Log in as ``login`` and call ``model.method`` as the web client does: (result, error data)."""
        self.authenticate(login, login + "x" * (8 - len(login)))
        response = self.url_open(
            f"/web/dataset/call_kw/{model}/{method}",
            json={"jsonrpc": "2.0", "method": "call", "id": 1, "params": {
                "model": model, "method": method, "args": args, "kwargs": kwargs or {},
            }},
        )
        response.raise_for_status()
        payload = response.json()
        return payload.get("result"), payload.get("error") and payload["error"]["data"]

    def test_orm_outsider_cannot_invite(self):
        with self.assertRaisesRegex(AccessError, r"You are not allowed to create 'Invite to Bill' \(progress.billing.invite.wizard\) records"):
            self.commitment.with_user(self.outsider).action_invite_to_bill()
        with self.assertRaisesRegex(AccessError, r"You are not allowed to access 'Billing Period' \(progress.billing.period\) records"):
            self.period.with_user(self.outsider).action_invite_to_bill()
        self.assertFalse(self._period_invoices(self.commitment))

    def test_orm_nobody_forges_an_invitation(self):
        invoice = self._create_sub_invoice()
        for values in ({"invited_on": fields.Datetime.now()}, {"invited_partner_id": self.contact.id}):
            for user in (self.user, self.manager):
                with self.subTest(values=values, user=user.login), self.assertRaisesRegex(
                    AccessError, "are set by Progress Billing itself and cannot be written"
                ):
                    invoice.with_user(user).write(values)
        with self.assertRaisesRegex(AccessError, r"You are not allowed to create 'Invitation to Bill E-mail'"):
            self.env["progress.billing.invite.mail"].with_user(self.manager).create({
                "invoice_id": invoice.id, "kind": "invitation", "partner_id": self.contact.id, "sent_on": fields.Date.today(),
            })

    def test_http_outsider_is_refused(self):
        _result, error = self._call_kw(self.outsider.login, "purchase.order", "action_invite_to_bill", [self.commitment.ids])
        self.assertEqual(error["name"], "odoo.exceptions.AccessError")
        self.assertRegex(error["message"], r"You are not allowed to create 'Invite to Bill' \(progress.billing.invite.wizard\) records")
        _result, error = self._call_kw(self.outsider.login, "progress.billing.period", "action_invite_to_bill", [self.period.ids])
        self.assertEqual(error["name"], "odoo.exceptions.AccessError")
        self.assertRegex(error["message"], r"You are not allowed to access 'Billing Period' \(progress.billing.period\) records")
        self.assertFalse(self._period_invoices(self.commitment))

    def test_http_user_invites(self):
        action, error = self._call_kw(self.user.login, "progress.billing.period", "action_invite_to_bill", [self.period.ids])
        self.assertFalse(error)
        _result, error = self._call_kw(self.user.login, action["res_model"], "action_invite", [[action["res_id"]]])
        self.assertFalse(error)
        invoice = self._period_invoices(self.commitment)
        self.assertEqual(invoice.invited_partner_id, self.contact)
        self.assertEqual(invoice.invite_mail_ids.mapped("kind"), ["invitation"])

    def test_http_user_cannot_forge_an_invitation(self):
        invoice = self._create_sub_invoice()
        _result, error = self._call_kw(
            self.user.login, invoice._name, "write", [invoice.ids, {"invited_partner_id": self.contact.id}],
        )
        self.assertEqual(error["name"], "odoo.exceptions.AccessError")
        self.assertRegex(error["message"], "are set by Progress Billing itself and cannot be written")
        invoice.invalidate_recordset()
        self.assertFalse(invoice.invited_partner_id)
