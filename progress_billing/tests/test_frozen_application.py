# Copyright 2026 Progress Billing Developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from odoo.tests import tagged

from .common import ProgressBillingCase, ProgressBillingHttpCase


@tagged("post_install", "-at_install", "progress_billing")
class TestFrozenApplication(ProgressBillingCase):
    """An approved pay application is a certified document: what it took from
    its contract and from earlier applications no longer moves."""

    def _approve(self, invoice):
        invoice.action_submit()
        invoice.with_user(self.manager).action_approve()

    def test_later_change_order_leaves_approved_figures(self):
        invoice = self._create_sub_invoice(amounts={self.ssov_labor: (30000, 0)})
        self._approve(invoice)
        before = {name: invoice[name] for name in ("contract_sum_to_date", "current_payment_due", "balance_to_finish")}
        self._create_change_order(
            self.commitment, [{"name": "More labor", "amount": 5000, "purchase_line_id": self.ssov_labor.id}]
        )
        self.assertEqual(self.commitment.revised_contract_sum, 105000)
        self.assertEqual(self._line_of(invoice, self.ssov_labor).scheduled_value, 60000)
        self.assertRecordValues(invoice, [before])
        later = self._create_sub_invoice(period=self._create_next_period())
        self.assertEqual(self._line_of(later, self.ssov_labor).scheduled_value, 65000)
        self.assertEqual(later.contract_sum_to_date, 105000)

    def test_voiding_an_earlier_application_leaves_approved_figures(self):
        first = self._create_sub_invoice(amounts={self.ssov_labor: (10000, 0)})
        self._approve(first)
        second = self._create_sub_invoice(period=self._create_next_period(), amounts={self.ssov_labor: (20000, 0)})
        self._approve(second)
        first.with_user(self.manager).action_void()
        line = self._line_of(second, self.ssov_labor)
        self.assertEqual(line.previous_work, 10000)
        self.assertEqual(second.previous_certificates, 9000)
        self.assertEqual(second.current_payment_due, 18000)

    def test_reset_to_draft_follows_the_contract_again(self):
        invoice = self._create_sub_invoice(amounts={self.ssov_labor: (30000, 0)})
        self._approve(invoice)
        self.assertTrue(invoice.frozen_values)
        self._create_change_order(
            self.commitment, [{"name": "More labor", "amount": 5000, "purchase_line_id": self.ssov_labor.id}]
        )
        invoice.with_user(self.manager).action_void()
        invoice.with_user(self.manager).action_reset_to_draft()
        self.assertFalse(invoice.frozen_values)
        self.assertEqual(self._line_of(invoice, self.ssov_labor).scheduled_value, 65000)

    def test_unit_price_change_does_not_rewrite_billed_work(self):
        commitment = self._create_commitment(self.project, [{
            "name": "Gravel", "product_id": self.product.id, "product_qty": 100, "price_unit": 25.0,
            "cost_code_id": self.cost_code.id, "cost_type_id": self.materials.id,
        }], accounting_method="unit")
        invoice = self._create_sub_invoice(commitment=commitment)
        invoice.line_ids.quantity_this_period = 10
        self._approve(invoice)
        commitment.order_line.price_unit = 30.0
        self.assertEqual(invoice.line_ids.work_this_period, 250.0)
        self.assertEqual(invoice.current_payment_due, 225.0)
        self.assertEqual(commitment.order_line.ids, [invoice.line_ids.purchase_line_id.id])

    def _add_change_order(self):
        self._create_change_order(
            self.commitment, [{"name": "More labor", "amount": 5000, "purchase_line_id": self.ssov_labor.id}]
        )

    def test_administrator_status_write_freezes(self):
        """An administrator setting the status directly (a form, JSON-RPC, a
        server action) freezes the figures as the workflow step does, and
        setting it back to Draft unfreezes them."""
        invoice = self._create_sub_invoice(amounts={self.ssov_labor: (30000, 0)})
        invoice.with_user(self.manager).write({"state": "approved"})
        self.assertTrue(invoice.frozen_values)
        self.assertTrue(all(invoice.line_ids.mapped("frozen_values")))
        self._add_change_order()
        self.assertEqual(self._line_of(invoice, self.ssov_labor).scheduled_value, 60000)
        self.assertRecordValues(invoice, [{"contract_sum_to_date": 100000}])
        invoice.with_user(self.manager).write({"state": "draft"})
        self.assertFalse(invoice.frozen_values)
        self.assertFalse(any(invoice.line_ids.mapped("frozen_values")))
        self.assertEqual(self._line_of(invoice, self.ssov_labor).scheduled_value, 65000)


    def test_certified_figures_are_frozen_whole(self):
        """The G702 figures summed from the lines are frozen too: a certified
        application's lines no longer change, so its figures are read back
        without working its lines out again whenever a later one moves."""
        invoice = self._create_sub_invoice(amounts={self.ssov_labor: (30000, 2000)})
        names = ["total_completed", "total_retainage", "total_earned", "balance_to_finish", "current_payment_due"]
        before = {name: invoice[name] for name in names}
        self._approve(invoice)
        self.assertRecordValues(invoice, [before])
        self.assertEqual(
            {name: invoice.frozen_values[name] for name in names[:4]}, {name: before[name] for name in names[:4]}
        )
        later = self._create_sub_invoice(period=self._create_next_period(), amounts={self.ssov_labor: (10000, 0)})
        self._approve(later)
        self.assertRecordValues(invoice, [before])
        self.assertRecordValues(later, [{"previous_certificates": before["total_earned"]}])


@tagged("post_install", "-at_install", "progress_billing")
class TestFrozenApplicationJsonRpc(ProgressBillingHttpCase):
    """readme/CONFIGURE.md, "Workflow and locks": the status written directly over JSON-RPC, as the web
    client's form or a script would, freezes and unfreezes the figures as the ORM write does."""

    def test_status_written_over_json_rpc_freezes(self):
        invoice = self._create_sub_invoice(amounts={self.ssov_labor: (30000, 0)})
        self.authenticate(self.manager.login, self.manager.login + "x" * (8 - len(self.manager.login)))
        for state, frozen in (("approved", True), ("draft", False)):
            with self.subTest(state=state):
                self.assertIsNone(self._call_kw(invoice._name, "write", [invoice.ids, {"state": state}]))
                invoice.invalidate_recordset()
                invoice.line_ids.invalidate_recordset()
                self.assertEqual(bool(invoice.frozen_values), frozen)
                self.assertEqual(all(invoice.line_ids.mapped("frozen_values")), frozen)
