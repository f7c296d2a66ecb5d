# Copyright 2026 Progress Billing Developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from odoo.tests import HttpCase, tagged

from .common import ProgressBillingCase
from .common_autocomplete import AutocompleteCase
from .test_unbilled_costs import UnbilledCostsCase


@tagged("post_install", "-at_install", "progress_billing")
class TestSubInvoiceTour(ProgressBillingCase, HttpCase):
    def test_create_sub_invoice_in_browser(self):
        """A user creates a subcontractor invoice from the menu: picking the
        commitment lists its SSOV lines, work is entered in the G703 list
        (with a warning when a line is billed above its scheduled value)."""
        # the tour finds the commitment by this number
        self.commitment.name = "PB-TOUR-SC-001"
        self.start_tour(
            "/odoo/action-progress_billing.action_progress_billing_sub_invoice",
            "progress_billing_sub_invoice_tour",
            login="admin",
        )
        invoice = self.env["progress.billing.sub.invoice"].search([("purchase_order_id", "=", self.commitment.id)])
        self.assertEqual(len(invoice), 1, "the tour saves one invoice of the commitment")
        self.assertValues(invoice, {"period_id": self.period, "state": "draft", "work_this_period": 25_000})
        self.assertEqual(self._line_of(invoice, self.ssov_labor).work_this_period, 15_000)
        self.assertEqual(self._line_of(invoice, self.ssov_materials).work_this_period, 10_000)
        # 10% retainage on the work completed
        self.assertEqual(invoice.current_payment_due, 22_500)


@tagged("post_install", "-at_install", "progress_billing")
class TestOwnerInvoiceAutocompleteTour(AutocompleteCase, HttpCase):
    def test_autocomplete_prompt_in_browser(self):
        """Saving a new owner invoice asks whether to auto-complete it;
        Cancel leaves the question on the form, Yes previews, Apply writes,
        and each line drills down to its sources."""
        # the tour finds the prime contract by this number
        self.prime_contract.name = "PB-TOUR-PC-001"
        self._create_billed_sub_invoice(self.commitment, {self.ssov_labor: (1_000, 0)})
        self.start_tour(
            "/odoo/action-progress_billing.action_progress_billing_owner_invoice",
            "progress_billing_owner_invoice_autocomplete_tour",
            login="admin",
        )
        invoice = self.env["progress.billing.owner.invoice"].search([("sale_order_id", "=", self.prime_contract.id)])
        self.assertLineAmounts(invoice, {self.sov_concrete: (1_000, 0)})
        self.assertFalse(invoice.autocomplete_prompt_pending)


@tagged("post_install", "-at_install", "progress_billing")
class TestCostsLeftBehindTour(UnbilledCostsCase, HttpCase):
    def test_include_costs_left_behind_in_browser(self):
        """The auto-completion preview warns of the approved costs of an
        earlier period that no owner invoice billed, lists them, and Include
        All lands them on the invoice (readme/USAGE.md, "Auto-completing owner invoices")."""
        self.owner_invoice.autocomplete_prompt_pending = False
        self.start_tour(
            f"/odoo/action-progress_billing.action_progress_billing_owner_invoice/{self.owner_invoice.id}",
            "progress_billing_costs_left_behind_tour",
            login="admin",
        )
        self.assertLineAmounts(self.owner_invoice, {self.sov_concrete: (1_300, 200), self.sov_finishes: (500, 0)})
        self.assertFalse(self.project.unbilled_cost_count)


@tagged("post_install", "-at_install", "progress_billing")
class TestPaymentDueListTour(ProgressBillingCase, HttpCase):
    def test_payment_due_in_the_list(self):
        """readme/USAGE.md, "Bills, invoices and retainage": the Subcontractor Invoices list shows line 8 of
        an application listed with its previous one, as its form does."""
        earlier = self._create_sub_invoice(amounts={self.ssov_labor: (10_000, 0), self.ssov_materials: (5_000, 8_000)},
                                           vendor_reference="PB-TOUR-EARLIER")
        earlier.action_submit()
        earlier.action_approve()
        next_period = self._create_next_period()
        next_period.action_open()
        later = self._create_sub_invoice(
            next_period, amounts={self.ssov_labor: (20_000, 0), self.ssov_materials: (6_000, 3_000)}, vendor_reference="PB-TOUR-LATER",
        )
        self.assertEqual(later.current_payment_due, 18_650)
        self.start_tour(
            "/odoo/action-progress_billing.action_progress_billing_sub_invoice",
            "progress_billing_payment_due_list_tour",
            login="admin",
        )


@tagged("post_install", "-at_install", "progress_billing")
class TestStoredMaterialsTour(ProgressBillingCase, HttpCase):
    def test_new_invoice_carries_the_stored_materials(self):
        """readme/USAGE.md, "Bills, invoices and retainage": a new subcontractor invoice starts with the
        materials presently stored (F) of the previous one, line by line."""
        # the tour finds the commitment by this number
        self.commitment.name = "PB-TOUR-SC-002"
        earlier = self._create_sub_invoice(amounts={self.ssov_materials: (5_000, 8_000)})
        earlier.action_submit()
        earlier.action_approve()
        next_period = self._create_next_period()
        next_period.action_open()
        self.start_tour(
            "/odoo/action-progress_billing.action_progress_billing_sub_invoice",
            "progress_billing_stored_materials_tour",
            login="admin",
        )
        later = self.env["progress.billing.sub.invoice"].search([("period_id", "=", next_period.id)])
        self.assertEqual(len(later), 1, "the tour saves one invoice in the open period")
        self.assertEqual(self._line_of(later, self.ssov_materials).materials_stored, 8_000)
        self.assertEqual(self._line_of(later, self.ssov_labor).materials_stored, 0)
        self.assertEqual(later.current_payment_due, 0)
