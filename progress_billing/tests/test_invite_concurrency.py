# Copyright 2026 Progress Billing Developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from odoo import SUPERUSER_ID, Command, api
from odoo.addons.mail.tests.common import MailCase
from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import open_concurrent_transactions


@tagged("post_install", "-at_install", "progress_billing")
class TestInviteConcurrency(MailCase):
    """readme/USAGE.md, "Invite to Bill (contractor side)": two users invite the same commitment to bill at once; one
    invoice is created, the other user is told what happened. Two real
    transactions, as account/tests/test_sequence_mixin.py does: the fixture is
    committed, then removed after the test."""

    def setUp(self):
        super().setUp()
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            project = env["project.project"].create({"name": "Concurrent Invitations Tower"})
            period = project._create_current_automatic_period()
            partner = env["res.partner"].create({"name": "Concurrent Drywall", "email": "ap@drywall.example.com"})
            product = env["product.product"].create({"name": "Concurrent drywall", "type": "service"})
            commitment = env["purchase.order"].create({
                "is_commitment": True, "partner_id": partner.id, "project_id": project.id,
                "order_line": [Command.create({"product_id": product.id, "name": "Walls", "product_qty": 1, "price_unit": 1_000, "tax_ids": False})],
            })
            commitment.button_confirm()
            # the invitations are sent from the inviting administrator's address
            admin = env.ref("base.user_admin")
            admin_email = admin.email
            admin.email = "admin@concurrent.example.com"
            cr.commit()
        self.data = {
            "commitment": commitment.id, "period": period.id, "project": project.id, "partner": partner.id,
            "product": product.id, "admin_email": admin_email,
        }
        self.addCleanup(self._clean_up)
        self.envs = open_concurrent_transactions(self, admin.id)

    def _clean_up(self):
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            commitment = env["purchase.order"].browse(self.data["commitment"])
            commitment.sub_invoice_ids.unlink()
            commitment.button_cancel()
            commitment.unlink()
            env["project.project"].browse(self.data["project"]).unlink()
            env["product.product"].browse(self.data["product"]).unlink()
            env["res.partner"].browse(self.data["partner"]).unlink()
            env.ref("base.user_admin").email = self.data["admin_email"]
            cr.commit()

    def _invite(self, env):
        commitment = env["purchase.order"].browse(self.data["commitment"])
        return commitment._invite_to_bill(env["progress.billing.period"].browse(self.data["period"]))

    def _committed_invoices(self):
        """(invoice count, invitation e-mails) of the commitment, read in a fresh transaction."""
        with self.registry.cursor() as cr:
            invoices = api.Environment(cr, SUPERUSER_ID, {})["purchase.order"].browse(self.data["commitment"]).sub_invoice_ids
            return len(invoices), len(invoices.invite_mail_ids)

    def test_invite_while_another_user_invites(self):
        first, second = self.envs
        with self.mock_mail_gateway():
            self._invite(first)
            with self.assertRaisesRegex(UserError, "is being invited to bill by another user right now: try again in a moment"):
                self._invite(second)
        second.cr.rollback()
        first.cr.commit()
        self.assertEqual(self._committed_invoices(), (1, 1))

    def test_invite_after_a_concurrent_invitation(self):
        """The second transaction began before the first invitation was
        committed, so it cannot see its invoice: it is told to reload instead
        of creating a second one."""
        first, second = self.envs
        second.cr.execute("SELECT 1")  # the second transaction starts first
        with self.mock_mail_gateway():
            self._invite(first)
            first.cr.commit()
            with self.assertRaisesRegex(UserError, "by another user in the meantime .*: reload to see its invoice"):
                self._invite(second)
        second.cr.rollback()
        self.assertEqual(self._committed_invoices(), (1, 1))
        # the retry, in a new transaction, invites the same invoice (no second e-mail today)
        with self.mock_mail_gateway():
            self._invite(second)
        second.cr.commit()
        self.assertEqual(self._committed_invoices(), (1, 1))
