# Copyright 2026 Progress Billing Developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from odoo import SUPERUSER_ID, Command, api, fields
from odoo.exceptions import UserError
from odoo.tests import TransactionCase, tagged
from odoo.tools import mute_logger
from psycopg2.errors import SerializationFailure

from ..models.progress_billing_period import monthly_period_bounds
from .common import open_concurrent_transactions


@tagged("post_install", "-at_install", "progress_billing")
class TestApproveVoidConcurrency(TransactionCase):
    """readme/CONFIGURE.md, "Workflow and locks": two administrators approve and void the same subcontractor
    invoice at once. Exactly one wins, the other is told to try again, and
    nothing is done twice. Two real transactions, as
    account/tests/test_sequence_mixin.py does: the fixture is committed, then
    removed after the test."""

    def setUp(self):
        super().setUp()
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            project = env["project.project"].create({"name": "Concurrency Tower"})
            date_start, date_end = monthly_period_bounds(fields.Date.today(), 1)
            period = env["progress.billing.period"].create({
                "project_id": project.id, "date_start": date_start, "date_end": date_end, "date_due": date_end,
            })
            period.action_open()
            partner = env["res.partner"].create({"name": "Concurrent Concrete"})
            product = env["product.product"].create({"name": "Concurrent work", "type": "service"})
            commitment = env["purchase.order"].create({
                "is_commitment": True, "partner_id": partner.id, "project_id": project.id,
                "order_line": [Command.create({"product_id": product.id, "name": "Slab", "product_qty": 1, "price_unit": 1_000, "tax_ids": False})],
            })
            invoice = env["progress.billing.sub.invoice"].create({"purchase_order_id": commitment.id, "period_id": period.id})
            invoice.action_submit()
            cr.commit()
        self.data = {
            "invoice": invoice.id, "commitment": commitment.id, "project": project.id,
            "partner": partner.id, "product": product.id,
        }
        self.addCleanup(self._clean_up)
        # two administrators, each in a transaction of their own
        self.envs = open_concurrent_transactions(self, self.env.ref("base.user_admin").id)

    def _clean_up(self):
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            invoice = env["progress.billing.sub.invoice"].browse(self.data["invoice"])
            if invoice.state != "void":
                invoice.action_void()
            invoice.action_reset_to_draft()
            invoice.unlink()
            commitment = env["purchase.order"].browse(self.data["commitment"])
            commitment.button_cancel()
            commitment.unlink()
            env["project.project"].browse(self.data["project"]).unlink()
            env["product.product"].browse(self.data["product"]).unlink()
            env["res.partner"].browse(self.data["partner"]).unlink()
            cr.commit()

    def _invoice(self, env):
        return env["progress.billing.sub.invoice"].browse(self.data["invoice"])

    def _committed_invoice_state_history(self):
        """The final status and the statuses tracked since the fixture, read in a fresh transaction."""
        with self.registry.cursor() as cr:
            invoice = self._invoice(api.Environment(cr, SUPERUSER_ID, {}))
            tracked = invoice.message_ids.tracking_value_ids.filtered(lambda value: value.field_id.name == "state")
            return invoice.state, sorted(tracked.mapped("new_value_char"))

    def _assert_first_wins(self, first, second, final_state, final_label):
        """``first`` (an action name) runs in one transaction and holds the
        invoice: ``second``, in the other, is refused at once rather than
        queued behind it, and only ``first`` is done."""
        first_env, second_env = self.envs
        getattr(self._invoice(first_env), first)()
        with self.assertRaisesRegex(UserError, "is being changed by another user: try again in a moment"):
            getattr(self._invoice(second_env), second)()
        second_env.cr.rollback()
        first_env.cr.commit()
        self.assertEqual(self._committed_invoice_state_history(), (final_state, [final_label]))

    def test_approve_while_voiding(self):
        self._assert_first_wins("action_approve", "action_void", "approved", "Approved")

    def test_void_while_approving(self):
        self._assert_first_wins("action_void", "action_approve", "void", "Void")

    def test_void_after_a_concurrent_approval(self):
        """The void's transaction began before the approval was committed:
        the database refuses to lock the invoice (Odoo retries such a request
        from the start), and the retry starts from the approved invoice."""
        approving, voiding = self.envs
        voiding.cr.execute("SELECT 1")  # the void's transaction starts first
        self._invoice(approving).action_approve()
        approving.cr.commit()
        with self.assertRaises(SerializationFailure), mute_logger("odoo.sql_db"):
            self._invoice(voiding).action_void()
        voiding.cr.rollback()
        # the retry, in a new transaction, sees the approved invoice
        self.assertEqual(self._invoice(voiding).state, "approved")
        self.assertEqual(self._committed_invoice_state_history(), ("approved", ["Approved"]))
