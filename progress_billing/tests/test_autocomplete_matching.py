# Copyright 2026 Progress Billing Developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from odoo.tests import tagged

from .common_autocomplete import AutocompleteCase


@tagged("post_install", "-at_install", "progress_billing")
class TestAutocompleteMatching(AutocompleteCase):
    """Which owner invoice line a source lands on (readme/USAGE.md, "Auto-completing owner invoices": never double)."""

    def _preview(self, owner_invoice):
        action = owner_invoice.action_autocomplete()
        return self.env[action["res_model"]].browse(action["res_id"])

    def test_same_cost_code_and_cost_type(self):
        self._create_direct_cost([(self.cost_code, self.materials, 250)])
        owner_invoice = self._create_owner_invoice()
        owner_invoice._autocomplete()
        self.assertLineAmounts(owner_invoice, {self.sov_concrete_materials: (250, 0)})

    def test_division_fallback(self):
        """T03-310 and T03-300 Equipment have no line of their own: they go to division T03."""
        self._create_billed_sub_invoice(self.unit_commitment, {self.ssov_precast: 4})
        self._create_direct_cost([(self.cost_code, self.equipment, 75)])
        owner_invoice = self._create_owner_invoice()
        owner_invoice._autocomplete()
        self.assertLineAmounts(owner_invoice, {self.sov_concrete_other: (275, 0)})

    def test_unmatched_source_is_listed_not_lost(self):
        metals = self._create_division("T05", "Metals")
        steel = self._create_cost_code("T05-120", "Structural Steel", metals)
        direct_cost = self._create_direct_cost([(steel, self.labor, 320), (self.cost_code, self.labor, 80)])
        owner_invoice = self._create_owner_invoice()
        wizard = self._preview(owner_invoice)
        self.assertRecordValues(wizard.unmatched_ids, [{
            "name": f"{direct_cost.display_name} · T05-120 Labor",
            "cost_code_id": steel.id,
            "cost_type_id": self.labor.id,
            "work_this_period": 320,
            "materials_stored": 0,
        }])
        self.assertIn("No line of this invoice bills this cost code", wizard.unmatched_ids.reason)
        wizard.action_apply()
        self.assertLineAmounts(owner_invoice, {self.sov_concrete: (80, 0)})

    def test_duplicate_sov_lines_never_double(self):
        """Procore puts the amount on both lines; we put it on the first and warn."""
        self.prime_contract.order_line = self._contract_lines([{
            "name": "Concrete, phase 2", "cost_code_id": self.cost_code.id, "cost_type_id": self.labor.id,
            "price_unit": 30_000,
        }], "product_uom_qty")
        duplicate = self.prime_contract.order_line[-1]
        self._create_billed_sub_invoice(self.commitment, {self.ssov_labor: (1000, 100)})
        self._create_direct_cost([(self.cost_code, self.labor, 500)])
        owner_invoice = self._create_owner_invoice()
        wizard = self._preview(owner_invoice)
        self.assertIn("“Concrete”, “Concrete, phase 2”", wizard.ambiguity_warning)
        self.assertIn("(sources: 2) were put on “Concrete” only", wizard.ambiguity_warning)
        wizard.action_apply()
        self.assertLineAmounts(owner_invoice, {self.sov_concrete: (1500, 100)})
        self.assertEqual(owner_invoice.work_this_period, 1500)
        self.assertFalse(self._line_of(owner_invoice, duplicate).autocomplete_source_ids)
