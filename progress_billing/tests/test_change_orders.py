# Copyright 2026 Progress Billing Developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import ProgressBillingCase


@tagged("post_install", "-at_install", "progress_billing")
class TestChangeOrders(ProgressBillingCase):
    """Approved PCCOs and CCOs raise the contract sum and the scheduled value
    of the line they revise; a change order line revising no line is billed on
    its own pay application line (G702 lines 1-3; readme/USAGE.md, "Schedules of values and codes")."""

    def test_numbering_and_total(self):
        pcco = self._create_change_order(self.prime_contract, [
            {"name": "Lobby marble", "amount": 7_500}, {"name": "Canopy", "amount": 2_500},
        ], state="draft")
        cco = self._create_change_order(self.commitment, [{"name": "Extra pour", "amount": 1_000}], state="draft")
        self.assertRegex(pcco.name, r"^PCCO-\d{3}$")
        self.assertRegex(cco.name, r"^CCO-\d{3}$")
        self.assertEqual(pcco.amount_total, 10_000)
        self.assertEqual((pcco.project_id, cco.project_id), (self.project, self.project))
        self.assertEqual(self.prime_contract.change_order_count, 1)

    def test_only_approved_change_orders_revise_the_contract(self):
        order = self._create_change_order(self.prime_contract, [
            {"name": "Thicker slab", "amount": 10_000, "sale_line_id": self.sov_concrete.id},
        ], state="draft")
        for state in ("draft", "pending", "rejected", "no_charge", "void"):
            order.state = state
            self.assertValues(self.prime_contract, {
                "original_contract_sum": 150_000, "approved_change_orders_amount": 0, "revised_contract_sum": 150_000,
            })
            self.assertEqual(self.sov_concrete.revised_scheduled_value, 100_000, state)
        order.state = "pending"
        order.action_approve()
        self.assertValues(self.prime_contract, {
            "original_contract_sum": 150_000, "approved_change_orders_amount": 10_000, "revised_contract_sum": 160_000,
        })
        self.assertValues(self.sov_concrete, {"approved_change_amount": 10_000, "revised_scheduled_value": 110_000})
        self.assertEqual(self.sov_finishes.revised_scheduled_value, 50_000)

    def test_revised_line_bills_the_revised_value(self):
        invoice = self._create_owner_invoice(amounts={self.sov_concrete: (50_000, 0)})
        self._create_change_order(self.prime_contract, [
            {"name": "Thicker slab", "amount": 10_000, "sale_line_id": self.sov_concrete.id},
            {"name": "Cheaper paint", "amount": -5_000, "sale_line_id": self.sov_finishes.id},
        ])
        self.assertEqual(len(invoice.line_ids), 2, "a change order revising a line adds no line")
        self.assertValues(self._line_of(invoice, self.sov_concrete), {
            "scheduled_value": 110_000, "total_completed": 50_000, "balance_to_finish": 60_000,
        })
        self.assertAlmostEqual(self._line_of(invoice, self.sov_concrete).percent_complete, 45.45, places=2)
        self.assertEqual(self._line_of(invoice, self.sov_finishes).scheduled_value, 45_000)
        self.assertValues(invoice, {
            "original_contract_sum": 150_000, "net_change_orders": 5_000, "contract_sum_to_date": 155_000,
            "total_completed": 50_000, "total_retainage": 5_000, "total_earned": 45_000, "balance_to_finish": 110_000,
        })

    def test_unrevised_change_line_gets_its_own_invoice_line(self):
        cco = self._create_change_order(self.commitment, [
            {"name": "Winter heating", "amount": 8_000, "cost_code_id": self.cost_code.id, "cost_type_id": self.labor.id},
            {"name": "More labor", "amount": 2_000, "purchase_line_id": self.ssov_labor.id},
        ])
        heating = cco.line_ids.filtered(lambda line: not line.purchase_line_id)
        invoice = self._create_sub_invoice(amounts={heating: (3_000, 0)})
        self.assertEqual(len(invoice.line_ids), 3)
        self.assertValues(self._line_of(invoice, heating), {
            "name": "Winter heating", "sequence": 3, "cost_code_id": self.cost_code, "cost_type_id": self.labor,
            "scheduled_value": 8_000, "total_completed": 3_000, "retainage_rate": 10, "retainage": 300,
        })
        self.assertEqual(self._line_of(invoice, self.ssov_labor).scheduled_value, 62_000)
        self.assertValues(invoice, {"net_change_orders": 10_000, "contract_sum_to_date": 110_000})

        self.period.action_close()
        later = self._create_sub_invoice(self._create_next_period())
        self.assertValues(self._line_of(later, heating), {"previous_work": 3_000, "total_completed": 3_000})

    def test_sync_lines_adds_change_orders_approved_later(self):
        invoice = self._create_owner_invoice()
        order = self._create_change_order(self.prime_contract, [
            {"name": "Roof garden", "amount": 12_000, "division_id": self.division_finishes.id},
        ], state="pending")
        invoice.action_sync_lines()
        self.assertEqual(len(invoice.line_ids), 2, "a pending change order is not billed yet")
        order.action_approve()
        invoice.with_user(self.user).action_sync_lines()
        invoice.with_user(self.user).action_sync_lines()
        garden = self._line_of(invoice, order.line_ids)
        self.assertEqual(len(invoice.line_ids), 3, "syncing twice adds the line once")
        self.assertValues(garden, {"scheduled_value": 12_000, "division_id": self.division_finishes})

    def test_change_order_of_another_contract_is_not_billed(self):
        other = self._create_commitment(self.project, [{"name": "Steel", "price_unit": 1_000}])
        self._create_change_order(other, [{"name": "More steel", "amount": 500}])
        self.assertEqual(len(self._create_sub_invoice().line_ids), 2)

    def test_only_managers_approve_change_orders(self):
        order = self._create_change_order(self.commitment, [{"name": "Extra pour", "amount": 2_000}], state="draft")
        order.with_user(self.user).action_submit()
        with self.assertRaisesRegex(UserError, "Only a Progress Billing manager can set .* to Approved"):
            order.with_user(self.user).action_approve()
        order.with_user(self.manager).action_approve()
        self.assertEqual(self.commitment.approved_change_orders_amount, 2_000)
        with self.assertRaisesRegex(UserError, "cannot go from Approved to Pending"):
            order.with_user(self.manager).action_submit()
