# Copyright 2026 Progress Billing Developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

"""Materials Presently Stored (F) is a balance, not a period amount (AIA
G703; readme/USAGE.md, "Bills, invoices and retainage"): a new application starts with the previous F of
each line, or, under the contract's roll-forward method, counts it in D and
starts F at zero. Retainage 10% on work, 5% on stored materials."""

from odoo.exceptions import ValidationError
from odoo.tests import Form, tagged

from .common_autocomplete import AutocompleteCase


@tagged("post_install", "-at_install", "progress_billing")
class TestStoredMaterials(AutocompleteCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.next_period = cls._create_next_period(state="future")

    def _approve(self, invoice):
        invoice.action_submit()
        invoice.action_approve()
        return invoice

    def _store_then_open_next_period(self, contract, stored_line):
        """An approved application of ``contract`` billing 5,000 of work and
        storing 8,000 of materials on ``stored_line``; then the next period opens."""
        earlier = self._approve(self._create_invoice(contract, self.period, {stored_line: (5_000, 8_000)}))
        self.next_period.action_open()
        return earlier

    def test_new_application_starts_with_the_stored_balance(self):
        """Nothing installed, nothing stored: the new application bills nothing (line 8 = 0, not −F)."""
        for contract, stored_line in ((self.commitment, self.ssov_materials), (self.prime_contract, self.sov_concrete_materials)):
            earlier = self._store_then_open_next_period(contract, stored_line)
            later = self._create_invoice(contract, self.next_period)
            self.assertEqual(self._line_of(later, stored_line).materials_stored, 8_000)
            self.assertEqual(sum(later.line_ids.mapped("materials_stored")), 8_000, "the other lines store nothing")
            self.assertEqual(later.total_completed, earlier.total_completed)
            self.assertEqual((later.previous_certificates, later.current_payment_due), (earlier.total_earned, 0.0))
            self.period.action_open()

    def test_installing_moves_stored_materials_into_work(self):
        earlier = self._store_then_open_next_period(self.commitment, self.ssov_materials)
        later = self._create_sub_invoice(self.next_period)
        # 5,000 of the 8,000 stored are installed, 1,000 of new work
        self._bill(later, {self.ssov_materials: (6_000, 3_000)})
        line = self._line_of(later, self.ssov_materials)
        self.assertValues(line, {
            "previous_work": 5_000, "total_completed": 14_000, "balance_to_finish": 26_000,
            "retainage_work": 1_100, "retainage_on_materials": 150, "retainage": 1_250, "amount_to_bill": 1_000,
        })
        self.assertEqual(later.retainage_materials, 150)
        self.assertEqual(later.current_payment_due, (14_000 - 1_250) - earlier.total_earned)

    def test_new_application_on_the_form_starts_with_the_stored_balance(self):
        self._store_then_open_next_period(self.commitment, self.ssov_materials)
        form = Form(self.env["progress.billing.sub.invoice"])
        form.purchase_order_id = self.commitment
        self.assertEqual(form.period_id, self.next_period)
        with form.line_ids.edit(1) as line:
            self.assertEqual((line.name, line.materials_stored), ("Concrete materials", 8_000))
        later = form.save()
        self.assertEqual(self._line_of(later, self.ssov_materials).materials_stored, 8_000)
        self.assertEqual(later.current_payment_due, 0)

    def test_roll_forward_counts_the_previous_stored_materials_in_work_completed(self):
        """Procore's alternative: the previous F is counted in D, the new F starts at zero and holds
        the materials stored this period; G and what is billed follow the same physical materials."""
        self.commitment.stored_materials_method = "roll_forward"
        self._store_then_open_next_period(self.commitment, self.ssov_materials)
        later = self._create_sub_invoice(self.next_period)
        line = self._line_of(later, self.ssov_materials)
        self.assertValues(line, {"previous_work": 13_000, "materials_stored": 0, "total_completed": 13_000})
        # once in D, the materials carry the retainage on work: 10% of 13,000 instead of 500 + 5% of 8,000
        self.assertEqual((line.retainage_work, line.retainage_on_materials, line.amount_to_bill), (1_300, 0, 0))
        self.assertEqual(later.current_payment_due, -400)
        self._bill(later, {self.ssov_materials: (1_000, 2_000)})
        self.assertValues(line, {"previous_work": 13_000, "total_completed": 16_000, "amount_to_bill": 3_000,
                                 "retainage_work": 1_400, "retainage_on_materials": 100})

    def test_the_method_is_chosen_before_the_first_application(self):
        self.prime_contract.stored_materials_method = "roll_forward"
        self.prime_contract.stored_materials_method = "carry_forward"
        invoice = self._create_sub_invoice()
        with self.assertRaisesRegex(ValidationError, f"^{self.commitment.name} already has pay applications "
                                    rf"\({invoice.name}\): its stored materials method can no longer change\.$"):
            self.commitment.stored_materials_method = "roll_forward"
        invoice.action_void()
        self.commitment.stored_materials_method = "roll_forward"

    def test_autocompletion_copies_the_subcontractors_stored_balances(self):
        """readme/USAGE.md, "Auto-completing owner invoices": "F to F" under carry-forward: the F of a subcontractor
        invoice line is a balance, so the owner line's F is the sum of its
        sources' current balances, not their sum over the periods."""
        sub_invoice = self._create_billed_sub_invoice(self.commitment, {self.ssov_materials: (5_000, 8_000)})
        owner_invoice = self._create_owner_invoice()
        owner_invoice._autocomplete()
        self.assertLineAmounts(owner_invoice, {self.sov_concrete_materials: (5_000, 8_000)})
        self._approve(owner_invoice)
        self.next_period.action_open()
        sub_invoice = self._create_sub_invoice(self.next_period)
        self.assertEqual(self._line_of(sub_invoice, self.ssov_materials).materials_stored, 8_000)
        self._bill(sub_invoice, {self.ssov_materials: (6_000, 3_000)})
        sub_invoice.state = "approved"
        owner_invoice = self._create_owner_invoice(self.next_period)
        self.assertEqual(owner_invoice.current_payment_due, 0, "nothing is billed before auto-completion")
        owner_invoice._autocomplete()
        self.assertLineAmounts(owner_invoice, {self.sov_concrete_materials: (6_000, 3_000)})
        owner_line = self._line_of(owner_invoice, self.sov_concrete_materials)
        self.assertEqual(owner_line.total_completed, self._line_of(sub_invoice, self.ssov_materials).total_completed)
