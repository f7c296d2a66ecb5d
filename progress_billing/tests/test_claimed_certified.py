# Copyright 2026 Progress Billing Developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

"""Claimed and certified amounts (readme/USAGE.md, "Claimed and certified amounts").

Its worked example (subcontractor side, ``TestClaimedCertified``):
a commitment of labor 60,000 (untaxed) and materials 40,000 (10% tax),
retainage 10% on work and 0% on stored materials. The subcontractor claims
labor 30,000 this period, materials 10,000 this period and 5,000 stored:
G = 45,000, retainage 4,000, G702 line 8 as claimed 41,000. The reviewer
certifies labor 27,500 ("Level 3 slab not finished") and 3,000 of stored
materials ("Only 3,000 of rebar on site"): G = 40,500, retainage 3,750, line 8
certified 36,750, 4,250 less than claimed; the invoice is Approved as Noted
and its vendor bill is 36,750.00 untaxed.

Owner side (``TestOwnerPaymentSchedule``): our owner invoice claims labor
20,000 and materials 10,000 (line 8 as claimed 27,000); the owner's payment
schedule pays labor 18,000 ("Defective formwork, level 2"): line 8 28,000 −
2,800 retainage = 25,200, the customer invoice's untaxed amount. The next
period claims labor 20,000 and materials 5,000, scheduled materials 4,000
("Variation not approved"): across the two periods the owner was claimed
55,000, scheduled 52,000 and withheld 3,000.
"""

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from .common import MANAGER_GROUP, ProgressBillingHttpCase
from .pdf_samples import pdf_page_texts
from .test_accounting import AccountingCase

CLAIM = {"labor": (30_000.0, 0.0), "materials": (10_000.0, 5_000.0)}
PROTECTED = "are set by Progress Billing itself and cannot be written"


@tagged("post_install", "-at_install", "progress_billing")
class TestClaimedCertified(AccountingCase):
    """Subcontractor invoices: the claim is frozen at submission, reviewers
    certify less with a reason (administrators only: more)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.commitment_ex = cls._create_contract("purchase.order")
        cls.admin = cls._create_user("pb_settings_admin", f"{MANAGER_GROUP},base.group_system,account.group_account_invoice")

    def _end_request(self):
        """What the end of a request does: among others, the chatter's tracking values."""
        self.env.flush_all()
        self.env.cr.precommit.run()

    def _claim(self, user=None):
        """The worked example's invoice, submitted by ``user`` (default: the plain user)."""
        invoice = self._create_application(self.commitment_ex, self.periods[0], CLAIM, approve=False)
        self._end_request()
        invoice.with_user(user or self.user).action_submit()
        self._end_request()
        lines = self._lines_by_name(self.commitment_ex)
        return invoice, self._line_of(invoice, lines["labor"]), self._line_of(invoice, lines["materials"])

    def test_submission_freezes_the_claim(self):
        invoice, labor, materials = self._claim()
        self.assertValues(labor, {"claimed_work_this_period": 30_000.0, "claimed_stored_materials": 0.0})
        self.assertValues(materials, {"claimed_work_this_period": 10_000.0, "claimed_stored_materials": 5_000.0})
        self.assertValues(invoice, {
            "claim_frozen": True, "claimed_amount_due": 41_000.0, "current_payment_due": 41_000.0,
            "certified_difference": 0.0, "has_certification_difference": False,
        })

    def test_the_claim_is_never_written_by_anyone(self):
        """Users, reviewers, Settings administrators and the superuser alike,
        before and after the approval."""
        invoice, labor, _materials = self._claim()
        for user in (self.user, self.manager, self.admin, self.env.ref("base.user_root")):
            for record, vals in ((labor, {"claimed_work_this_period": 1.0}), (invoice, {"claimed_amount_due": 1.0})):
                with self.subTest(user=user.login, model=record._name), \
                        self.assertRaisesRegex(AccessError, PROTECTED):
                    record.with_user(user).write(vals)
        invoice.with_user(self.manager).action_approve()
        with self.assertRaisesRegex(AccessError, PROTECTED):
            labor.with_user(self.admin).write({"claimed_stored_materials": 1.0})
        self.assertEqual(labor.claimed_work_this_period, 30_000.0)
        self.assertEqual(invoice.claimed_amount_due, 41_000.0)

    def test_certifying_less_needs_a_reason_and_is_approved_as_noted(self):
        """The worked example (readme/USAGE.md, "Claimed and certified amounts"), to the cent on the vendor bill."""
        invoice, labor, materials = self._claim()
        with self.assertRaisesRegex(
            ValidationError,
            r"Line “labor” of .* is certified at other amounts than claimed \(.*27,500.00.* instead of .*30,000.00.*\): "
            r"give the reason for the difference on the line\.",
        ):
            labor.with_user(self.manager).write({"work_this_period": 27_500.0})
        labor.with_user(self.manager).write({"work_this_period": 27_500.0, "certification_reason": "Level 3 slab not finished"})
        materials.with_user(self.manager).write({"materials_stored": 3_000.0, "certification_reason": "Only 3,000 of rebar on site"})
        self.assertValues(labor, {"claimed_amount": 30_000.0, "certified_amount": 27_500.0, "certification_difference": -2_500.0})
        self.assertValues(materials, {"claimed_amount": 15_000.0, "certified_amount": 13_000.0, "certification_difference": -2_000.0})
        self.assertValues(invoice, {
            "claimed_amount_due": 41_000.0, "current_payment_due": 36_750.0, "certified_difference": -4_250.0,
            "has_certification_difference": True,
        })
        with self.assertRaisesRegex(UserError, r"is certified at other amounts than claimed on labor and materials: approve it as noted\."):
            invoice.with_user(self.manager).action_approve()
        invoice.with_user(self.manager).action_approve_as_noted()
        self.assertEqual(invoice.state, "approved_as_noted")
        bill = self._create_bill(invoice)
        self.assertAmount(bill.amount_untaxed, 36_750.0)
        self.assertAmount(bill.amount_untaxed, invoice.current_payment_due)
        self.assertAmount(invoice.claimed_amount_due, 41_000.0)

    def test_the_pay_application_pdf_shows_claimed_and_certified(self):
        """The G702 page shows line 8 as claimed and as certified, and a last
        sheet lists the lines certified differently with their reasons."""
        invoice, labor, materials = self._claim()
        labor.with_user(self.manager).write({"work_this_period": 27_500.0, "certification_reason": "Level 3 slab not finished"})
        materials.with_user(self.manager).write({"materials_stored": 3_000.0, "certification_reason": "Only 3,000 of rebar on site"})
        invoice.with_user(self.manager).action_approve_as_noted()
        pdf = self.env["ir.actions.report"].with_context(force_report_rendering=True)._render_qweb_pdf(
            "progress_billing.action_report_sub_invoice", invoice.ids,
        )[0]
        # (Odoo writes a zero-width space after the minus sign of an amount)
        pages = [page.replace("\u200b", "") for page in pdf_page_texts(pdf)]
        self.assertEqual(len(pages), invoice._pay_application_page_count())
        self.assertEqual(len(pages), 3, "the G702, one continuation sheet and one sheet of differences")
        for text in ("Current Payment Due as Claimed", "$ 41,000.00", "Current Payment Due as Certified", "$ 36,750.00",
                     "$ -4,250.00"):
            self.assertIn(text, pages[0])
        for text in ("Claimed and Certified", "Page 3 of 3", "Level 3 slab not finished", "Only 3,000 of rebar on site",
                     "30,000.00", "27,500.00", "-2,500.00", "15,000.00", "13,000.00", "-2,000.00", "-4,500.00"):
            self.assertIn(text, pages[2])
        self.assertNotIn("Claimed and Certified", pages[1])

    def test_certifying_more_is_for_administrators(self):
        invoice, labor, _materials = self._claim()
        message = (
            r"Line “labor” of .* cannot be certified at .*31,000.00.*, more than the .*30,000.00.* claimed: "
            r"only an administrator \(Settings\) may certify more than was claimed\."
        )
        with self.assertRaisesRegex(AccessError, message):
            labor.with_user(self.manager).write({"work_this_period": 31_000.0, "certification_reason": "Extra work found"})
        labor.with_user(self.admin).write({"work_this_period": 31_000.0, "certification_reason": "Extra work found"})
        self.assertEqual(invoice.certified_difference, 900.0)

    def test_a_plain_user_does_not_certify(self):
        _invoice, labor, _materials = self._claim()
        with self.assertRaisesRegex(UserError, "is Under Review and can no longer be edited"):
            labor.with_user(self.user).write({"work_this_period": 1_000.0, "certification_reason": "Less"})

    def test_resubmission_freezes_the_new_claim(self):
        """The earlier claim stays in the chatter: line 8 is tracked, and the
        lines whose claim changed are listed with what they claimed before."""
        invoice, labor, _materials = self._claim()
        labor.with_user(self.manager).write({"work_this_period": 25_000.0, "certification_reason": "Slab not finished"})
        invoice.with_user(self.manager).action_request_revision()
        labor.with_user(self.user).write({"work_this_period": 28_000.0})
        invoice.with_user(self.user).action_submit()
        self.assertValues(labor, {"claimed_work_this_period": 28_000.0, "certification_reason": False, "certification_difference": 0.0})
        self.assertEqual(invoice.claimed_amount_due, 39_200.0)
        self.assertFalse(invoice.has_certification_difference)
        self._end_request()
        bodies = "\n".join(invoice.message_ids.mapped("body"))
        self.assertIn("was resubmitted: its new claim replaces the earlier one on these lines.", bodies)
        self.assertRegex(bodies, r"labor: claimed .*30,000.00.* this period and .*0.00.* stored before")
        tracked = invoice.message_ids.tracking_value_ids.filtered(lambda value: value.field_id.name == "claimed_amount_due")
        self.assertEqual(sorted(tracked.mapped("new_value_float")), [39_200.0, 41_000.0])

    def test_unit_based_lines_freeze_the_claimed_quantity(self):
        commitment = self._create_commitment(self.project, [{
            "name": "Gravel", "product_id": self.product.id, "product_qty": 100, "price_unit": 25.0,
        }], accounting_method="unit")
        invoice = self._create_sub_invoice(commitment=commitment)
        invoice.line_ids.quantity_this_period = 10
        invoice.action_submit()
        line = invoice.line_ids
        self.assertValues(line, {"claimed_quantity": 10.0, "claimed_work_this_period": 250.0})
        with self.assertRaisesRegex(ValidationError, "give the reason for the difference on the line"):
            line.with_user(self.manager).quantity_this_period = 8
        line.with_user(self.manager).write({"quantity_this_period": 8, "certification_reason": "Two loads rejected"})
        self.assertValues(line, {"claimed_quantity": 10.0, "work_this_period": 200.0, "certification_difference": -50.0})


@tagged("post_install", "-at_install", "progress_billing")
class TestClaimedCertifiedJsonRpc(ProgressBillingHttpCase):
    """readme/USAGE.md, "Claimed and certified amounts": over JSON-RPC too, nobody writes a claim, administrators
    included."""

    def test_nobody_writes_a_claim(self):
        invoice = self._create_sub_invoice(amounts={self.ssov_labor: (1_000, 0)})
        invoice.action_submit()
        line = self._line_of(invoice, self.ssov_labor)
        for login, password in ((self.user.login, self.user.login + "x" * (8 - len(self.user.login))), ("admin", "admin")):
            self.authenticate(login, password)
            for record, vals in (
                (line, {"claimed_work_this_period": 5_000, "claimed_quantity": 2}),
                (invoice, {"claimed_amount_due": 5_000, "claim_frozen": False}),
            ):
                with self.subTest(login=login, model=record._name):
                    error = self._call_kw(record._name, "write", [record.ids, vals])
                    self.assertRefused(error, "AccessError", PROTECTED)
        invoice.invalidate_recordset()
        line.invalidate_recordset()
        self.assertEqual(line.claimed_work_this_period, 1_000.0)
        self.assertEqual(invoice.claimed_amount_due, 900.0)
        self.assertTrue(invoice.claim_frozen)

    def test_a_reviewer_certifies_over_json_rpc_as_over_the_orm(self):
        invoice = self._create_sub_invoice(amounts={self.ssov_labor: (1_000, 0)})
        invoice.action_submit()
        line = self._line_of(invoice, self.ssov_labor)
        self.authenticate(self.manager.login, self.manager.login + "x" * (8 - len(self.manager.login)))
        error = self._call_kw(line._name, "write", [line.ids, {"work_this_period": 800}])
        self.assertRefused(error, "ValidationError", "give the reason for the difference on the line")
        error = self._call_kw(line._name, "write", [line.ids, {"work_this_period": 1_200, "certification_reason": "More"}])
        self.assertRefused(error, "AccessError", r"only an administrator \(Settings\) may certify more than was claimed")
        self.assertFalse(self._call_kw(line._name, "write", [line.ids, {"work_this_period": 800, "certification_reason": "Less"}]))
        line.invalidate_recordset()
        self.assertValues(line, {"work_this_period": 800.0, "claimed_work_this_period": 1_000.0, "certification_reason": "Less"})


@tagged("post_install", "-at_install", "progress_billing")
class TestOwnerPaymentSchedule(AccountingCase):
    """Owner side: our owner invoice is the claim, the owner's payment
    schedule is recorded on its lines and drives the customer invoice; the
    difference report totals what the owner withheld, and why."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.prime = cls._create_contract("sale.order")

    def _schedule(self, period, claim, schedule):
        """Submit the owner invoice of ``period`` claiming ``claim`` (line name
        -> (E, F)), record the owner's ``schedule`` (line name -> (E, reason))
        and approve it as noted."""
        invoice = self._create_application(self.prime, period, claim, approve=False)
        invoice.action_submit()
        lines = self._lines_by_name(self.prime)
        for name, (work, reason) in schedule.items():
            self._line_of(invoice, lines[name]).with_user(self.manager).write(
                {"work_this_period": work, "certification_reason": reason}
            )
        invoice.with_user(self.manager).action_approve_as_noted()
        return invoice

    def test_the_schedule_drives_the_customer_invoice(self):
        invoice = self._schedule(self.periods[0], {"labor": (20_000.0, 0.0), "materials": (10_000.0, 0.0)},
                                 {"labor": (18_000.0, "Defective formwork, level 2")})
        self.assertValues(invoice, {"claimed_amount_due": 27_000.0, "current_payment_due": 25_200.0, "certified_difference": -1_800.0})
        move = self._create_bill(invoice)
        self.assertEqual(move.move_type, "out_invoice")
        self.assertAmount(move.amount_untaxed, 25_200.0)
        self.assertAmount(move.amount_untaxed, invoice.current_payment_due)

    def test_the_difference_report_totals_what_the_owner_withheld(self):
        first = self._schedule(self.periods[0], {"labor": (20_000.0, 0.0), "materials": (10_000.0, 0.0)},
                               {"labor": (18_000.0, "Defective formwork, level 2")})
        self._create_bill(first)
        second = self._schedule(self.periods[1], {"labor": (20_000.0, 0.0), "materials": (5_000.0, 0.0)},
                                {"materials": (4_000.0, "Variation not approved")})
        Report = self.env["progress.billing.owner.schedule.difference"].with_user(self.user)
        domain = [("project_id", "=", self.project.id)]
        [[claimed, scheduled, withheld]] = Report._read_group(
            domain, [], ["claimed_amount:sum", "scheduled_amount:sum", "withheld_amount:sum"]
        )
        self.assertEqual((claimed, scheduled, withheld), (55_000.0, 52_000.0, 3_000.0))
        by_period = dict(Report._read_group(domain, ["invoice_id"], ["withheld_amount:sum"]))
        self.assertEqual({invoice.id: amount for invoice, amount in by_period.items()}, {first.id: 2_000.0, second.id: 1_000.0})
        withheld = Report.search(domain + [("withheld_amount", "!=", 0)])
        self.assertEqual(
            sorted(withheld.mapped(lambda row: (row.name, row.withheld_amount, row.reason))),
            [("labor", 2_000.0, "Defective formwork, level 2"), ("materials", 1_000.0, "Variation not approved")],
        )
        self.assertEqual(self.project.with_user(self.user).owner_withheld_amount, 3_000.0)
        other = self._create_user("pb_other_company", "progress_billing.group_progress_billing_user",
                                  company=self._create_company("Other Builders"))
        self.assertFalse(Report.with_user(other).search(domain), "rows are filtered by company")
