# Copyright 2026 Progress Billing Developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import ProgressBillingCase


@tagged("post_install", "-at_install", "progress_billing")
class TestOwnerInvoice(ProgressBillingCase):
    """Owner invoices (payment applications) of a prime contract: one line per
    Schedule of Values line, the same G702/G703 maths as subcontractor invoices."""

    def test_lines_follow_the_schedule_of_values(self):
        self.sov_concrete.retainage_rate = 5
        invoice = self._create_owner_invoice()
        self.assertRegex(invoice.name, r"^OI/\d{4}/\d{4}$")
        self.assertEqual((invoice.partner_id, invoice.project_id), (self.owner, self.project))
        concrete, finishes = self._line_of(invoice, self.sov_concrete), self._line_of(invoice, self.sov_finishes)
        self.assertRecordValues(concrete, [{
            "sequence": 1, "name": "Concrete", "cost_code_id": self.cost_code.id, "cost_type_id": self.labor.id,
            "division_id": False, "scheduled_value": 100_000,
            "retainage_rate": 5, "retainage_rate_materials": 5,
        }])
        self.assertRecordValues(finishes, [{
            "sequence": 2, "division_id": self.division_finishes.id, "scheduled_value": 50_000, "retainage_rate": 10,
        }])

    def test_contracts_open_their_pay_applications(self):
        owner_invoice, sub_invoice = self._create_owner_invoice(), self._create_sub_invoice()
        for contract, field, application in (
            (self.prime_contract, "sale_order_id", owner_invoice), (self.commitment, "purchase_order_id", sub_invoice),
        ):
            action = contract.action_view_applications()
            self.assertEqual(action["res_model"], application._name)
            self.assertEqual(action["domain"], [(field, "in", contract.ids)])
            self.assertEqual(action["context"], {f"default_{field}": contract.id})
            self.assertEqual(self.env[application._name].search(action["domain"]), application)

    def test_sections_and_notes_are_not_billed(self):
        self.prime_contract.order_line = [
            (0, 0, {"display_type": "line_section", "name": "Phase 2"}),
            (0, 0, {"display_type": "line_note", "name": "Paid on completion"}),
        ]
        self.assertEqual(self.prime_contract.original_contract_sum, 150_000)
        self.assertEqual(len(self._create_owner_invoice().line_ids), 2)

    def test_two_periods(self):
        """January: concrete 40,000 and 5,000 stored for finishes; February:
        concrete 35,000, finishes 15,000 (of which the 5,000 stored)."""
        january = self._create_month_period(self.project, 2026, 1)
        first = self._create_owner_invoice(january, amounts={
            self.sov_concrete: (40_000, 0), self.sov_finishes: (0, 5_000),
        })
        # 4 = 45,000; 5 = 4,000 + 250; 6 = 40,750; 9 = 150,000 - 40,750
        self.assertRecordValues(first, [{
            "total_completed": 45_000, "retainage_work": 4_000, "retainage_materials": 250, "total_retainage": 4_250,
            "total_earned": 40_750, "previous_certificates": 0, "current_payment_due": 40_750,
            "balance_to_finish": 109_250,
        }])
        second = self._create_owner_invoice(self._create_month_period(self.project, 2026, 2), amounts={
            self.sov_concrete: (35_000, 0), self.sov_finishes: (15_000, 0),
        })
        self.assertRecordValues(self._line_of(second, self.sov_finishes), [{
            "previous_work": 0, "work_this_period": 15_000, "materials_stored": 0, "total_completed": 15_000,
            "percent_complete": 30, "retainage": 1_500,
        }])
        # 4 = 75,000 + 15,000; 5 = 9,000; 6 = 81,000; 8 = 81,000 - 40,750
        self.assertRecordValues(second, [{
            "total_completed": 90_000, "total_retainage": 9_000, "total_earned": 81_000,
            "previous_certificates": 40_750, "current_payment_due": 40_250, "balance_to_finish": 69_000,
        }])

    def test_line_columns_rounded_to_the_currency(self):
        """The G703 columns are set in bulk, not through the Monetary setter
        (_set_computed_amounts): they are still rounded to the currency as
        that setter rounds them. 0.1 + 0.2 is 0.30000000000000004 in floats."""
        invoice = self._create_owner_invoice(amounts={self.sov_finishes: (0.1, 0.2)})
        line = self._line_of(invoice, self.sov_finishes)
        for name in ("total_completed", "certified_amount", "claimed_amount", "amount_to_bill"):
            self.assertEqual(line[name], 0.3, name)
        self.assertEqual(line.balance_to_finish, 49_999.7)
        self.assertEqual(line.certification_difference, 0.0)


@tagged("post_install", "-at_install", "progress_billing")
class TestOwnerInvoiceWorkflow(ProgressBillingCase):
    """Owner invoice statuses: Draft, Under Review, Revise and Resubmit,
    Approved (Procore), plus Approved as Noted and Paid (readme/USAGE.md, "Pay applications")."""

    def setUp(self):
        super().setUp()
        self.invoice = self._create_owner_invoice(amounts={self.sov_concrete: (10_000, 0)})

    def test_review_cycle(self):
        invoice = self.invoice.with_user(self.user)
        invoice.action_submit()
        for action in (invoice.action_request_revision, invoice.action_approve, invoice.action_approve_as_noted):
            with self.assertRaisesRegex(UserError, "Only a Progress Billing manager can set"):
                action()
        self.invoice.with_user(self.manager).action_request_revision()
        self.assertEqual(self.invoice.state, "revise_resubmit")
        self._line_of(invoice, self.sov_concrete).work_this_period = 9_000
        invoice.action_submit()
        self.invoice.with_user(self.manager).action_approve_as_noted()
        self.assertEqual(self.invoice.state, "approved_as_noted")

    def test_paid_after_approval_only(self):
        manager_invoice = self.invoice.with_user(self.manager)
        with self.assertRaisesRegex(UserError, "cannot go from Draft to Paid"):
            manager_invoice.action_mark_paid()
        manager_invoice.action_submit()
        manager_invoice.action_approve()
        with self.assertRaisesRegex(UserError, "Only a Progress Billing manager can set .* to Paid"):
            self.invoice.with_user(self.user).action_mark_paid()
        manager_invoice.action_mark_paid()
        self.assertEqual(self.invoice.state, "paid")
        self.assertFalse(manager_invoice.is_editable)
        with self.assertRaisesRegex(UserError, "cannot go from Paid to Void"):
            manager_invoice.action_void()
