# Copyright 2026 Progress Billing Developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from datetime import timedelta

from odoo.tests import tagged

from .common_autocomplete import AutocompleteCase


@tagged("post_install", "-at_install", "progress_billing")
class TestAutocompleteSubInvoices(AutocompleteCase):
    """Which subcontractor invoice amounts are copied (readme/USAGE.md, "Auto-completing owner invoices")."""

    def _autocompleted(self):
        owner_invoice = self._create_owner_invoice()
        owner_invoice._autocomplete()
        return owner_invoice

    def test_copied_statuses(self):
        for state in ("approved", "approved_as_noted", "pending_owner_approval"):
            with self.subTest(state=state):
                invoice = self._create_billed_sub_invoice(self.commitment, {self.ssov_labor: (100, 10)}, state=state)
                owner_invoice = self._autocompleted()
                self.assertLineAmounts(owner_invoice, {self.sov_concrete: (100, 10)})
                self.assertEqual(owner_invoice.line_ids.autocomplete_source_ids.sub_invoice_id, invoice)
                owner_invoice.unlink()
                invoice.state = "void"

    def test_billed_by_another_prime_contract_not_copied(self):
        """A project's second prime contract sharing a cost code: what the first one's owner invoice bills is not
        copied again, until that invoice is void."""
        self._create_billed_sub_invoice(self.commitment, {self.ssov_labor: (100, 10)})
        direct_cost = self._create_direct_cost([(self.cost_code_paint, self.labor, 500)])
        other_prime_contract = self._create_prime_contract(self.project, [
            {"name": "Concrete", "cost_code_id": self.cost_code.id, "cost_type_id": self.labor.id,
             "price_unit": 100_000},
            {"name": "Finishes", "division_id": self.division_finishes.id, "price_unit": 50_000},
        ])
        first = self._autocompleted()
        self.assertLineAmounts(first, {self.sov_concrete: (100, 10), self.sov_finishes: (500, 0)})
        other = self._create_owner_invoice(prime_contract=other_prime_contract)
        other._autocomplete()
        self.assertLineAmounts(other, {})
        self.assertFalse(other.line_ids.autocomplete_source_ids)
        first.state = "void"
        other._autocomplete()
        self.assertEqual(other.line_ids.mapped("work_this_period"), [100, 500])
        self.assertEqual(other.line_ids.autocomplete_source_ids.direct_cost_id, direct_cost)

    def test_statuses_not_copied(self):
        for state in ("draft", "under_review", "revise_resubmit", "void"):
            with self.subTest(state=state):
                invoice = self._create_billed_sub_invoice(self.commitment, {self.ssov_labor: (100, 10)}, state=state)
                owner_invoice = self._autocompleted()
                self.assertLineAmounts(owner_invoice, {})
                owner_invoice.unlink()
                invoice.state = "void"

    def test_other_billing_period_not_copied(self):
        previous = self._create_period(self.project, self.period.date_start - timedelta(days=30),
                                       self.period.date_start - timedelta(days=1))
        self._create_billed_sub_invoice(self.commitment, {self.ssov_labor: (100, 10)}, period=previous)
        self.period.action_open()
        self.assertLineAmounts(self._autocompleted(), {})

    def test_other_project_not_copied(self):
        other_project = self._create_project("Elsewhere")
        other_period = self._create_period(other_project, self.period.date_start, self.period.date_end)
        commitment = self._create_commitment(other_project, [
            {"name": "Labor", "cost_code_id": self.cost_code.id, "cost_type_id": self.labor.id, "price_unit": 1000},
        ])
        self._create_billed_sub_invoice(commitment, {commitment.order_line: (100, 10)}, period=other_period)
        self.assertLineAmounts(self._autocompleted(), {})

    def test_invoice_without_lines_copies_nothing(self):
        commitment = self._create_commitment(self.project, [])
        self._create_billed_sub_invoice(commitment, {})
        owner_invoice = self._autocompleted()
        self.assertLineAmounts(owner_invoice, {})
        self.assertFalse(owner_invoice.autocomplete_prompt_pending)

    def test_work_and_materials_columns(self):
        self._create_billed_sub_invoice(self.commitment, {
            self.ssov_labor: (1000, 0), self.ssov_materials: (300, 700), self.ssov_paint: (250, 50),
        })
        self.assertLineAmounts(self._autocompleted(), {
            self.sov_concrete: (1000, 0),
            self.sov_concrete_materials: (300, 700),
            self.sov_finishes: (250, 50),
        })

    def test_quantity_based_commitment_copies_value_only(self):
        sub_invoice = self._create_billed_sub_invoice(self.unit_commitment, {self.ssov_precast: 12})
        self.assertEqual(sub_invoice.line_ids.work_this_period, 600)
        owner_invoice = self._autocompleted()
        self.assertLineAmounts(owner_invoice, {self.sov_concrete_other: (600, 0)})
        self.assertNotIn("quantity_this_period", owner_invoice.line_ids._fields)

    def test_amounts_of_several_invoices_add_up(self):
        self._create_billed_sub_invoice(self.commitment, {self.ssov_labor: (100, 0)})
        other = self._create_commitment(
            self.project,
            [
                {
                    "name": "More formwork",
                    "cost_code_id": self.cost_code.id,
                    "cost_type_id": self.labor.id,
                    "price_unit": 5000,
                },
            ],
        )
        self._create_billed_sub_invoice(other, {other.order_line: (40, 2)}, state="pending_owner_approval")
        owner_invoice = self._autocompleted()
        self.assertLineAmounts(owner_invoice, {self.sov_concrete: (140, 2)})
        self.assertEqual(len(owner_invoice.line_ids.autocomplete_source_ids), 2)

    def test_snapshot_naming_a_deleted_record(self):
        """readme/USAGE.md, "Auto-completing owner invoices": a link's snapshot of the source's cost type has no
        foreign key: the cost type it names is deleted all the same, the
        snapshot then reads as empty in the client and the link says what changed."""
        self._create_billed_sub_invoice(self.commitment, {self.ssov_labor: (100, 10)})
        link = self._autocompleted().line_ids.autocomplete_source_ids
        scrapped = self.env["progress.billing.cost.type"].create(
            {"code": "TX", "name": "Scrapped", "company_id": self.company.id}
        )
        # as if the source had been coded Scrapped when copied, and re-coded since
        self.env.cr.execute(
            "UPDATE progress_billing_owner_invoice_source SET source_cost_type_id = %s WHERE id = %s",
            [scrapped.id, link.id],
        )
        scrapped.unlink()
        link.invalidate_recordset()
        self.assertEqual(link.read(["source_cost_type_id"])[0]["source_cost_type_id"], False)
        self.assertIn("Cost Type When Copied: none → TL Labor", link.stale_reason)


@tagged("post_install", "-at_install", "progress_billing")
class TestAutocompleteDirectCosts(AutocompleteCase):
    """Which direct cost amounts are copied (readme/USAGE.md, "Auto-completing owner invoices")."""

    def _autocompleted_with(self, **direct_cost):
        self._create_direct_cost([(self.cost_code, self.labor, 500)], **direct_cost)
        owner_invoice = self._create_owner_invoice()
        owner_invoice._autocomplete()
        return owner_invoice

    def test_period_boundaries(self):
        day = timedelta(days=1)
        start, end = self.period.date_start, self.period.date_end
        for date_received, copied in ((start, True), (end, True), (start - day, False), (end + day, False)):
            with self.subTest(date_received=date_received):
                owner_invoice = self._autocompleted_with(date_received=date_received)
                self.assertLineAmounts(owner_invoice, {self.sov_concrete: (500, 0)} if copied else {})
                owner_invoice.unlink()
                direct_costs = self.env["progress.billing.direct.cost"].search([("project_id", "=", self.project.id)])
                direct_costs.action_reset_to_draft()
                direct_costs.unlink()

    def test_only_approved_direct_costs(self):
        for state in ("draft", "pending", "revise_resubmit"):
            with self.subTest(state=state):
                owner_invoice = self._autocompleted_with(state=state)
                self.assertLineAmounts(owner_invoice, {})
                owner_invoice.unlink()

    def test_erp_direct_costs_never_copied(self):
        self.assertLineAmounts(self._autocompleted_with(origin="erp"), {})

    def test_direct_cost_copies_work_only(self):
        owner_invoice = self._autocompleted_with()
        self.assertLineAmounts(owner_invoice, {self.sov_concrete: (500, 0)})
        self.assertEqual(owner_invoice.line_ids.autocomplete_source_ids.direct_cost_line_id.amount, 500)

    def test_other_project_not_copied(self):
        self.assertLineAmounts(self._autocompleted_with(project=self._create_project("Elsewhere")), {})


@tagged("post_install", "-at_install", "progress_billing")
class TestAutocompleteChangeOrders(AutocompleteCase):
    """Commitment change order amounts follow the PCCO of their change event line
    (readme/USAGE.md, "Auto-completing owner invoices")."""

    def _bill_change_order(self, cco, amount):
        sub_invoice = self._create_billed_sub_invoice(self.commitment, {cco.line_ids: (amount, 0)})
        self.assertTrue(cco.line_ids.change_event_line_id)
        return sub_invoice

    def _autocomplete_change_order(self, amount=700, **change_orders):
        pcco, cco = self._create_funded_change(amount, **change_orders)
        sub_invoice = self._bill_change_order(cco, amount)
        owner_invoice = self._create_owner_invoice()
        action = owner_invoice.action_autocomplete()
        wizard = self.env[action["res_model"]].browse(action["res_id"])
        wizard.action_apply()
        return owner_invoice, pcco.line_ids, wizard, (sub_invoice, cco)

    def test_cco_amount_goes_to_the_pcco_line(self):
        owner_invoice, pcco_line, wizard, _sources = self._autocomplete_change_order()
        self.assertLineAmounts(owner_invoice, {pcco_line: (700, 0)})
        self.assertFalse(wizard.unmatched_ids)

    def test_cco_amount_goes_to_the_sov_line_the_pcco_revises(self):
        owner_invoice, _pcco_line, _wizard, _sources = self._autocomplete_change_order(
            revised_sov_line=self.sov_concrete_other
        )
        self.assertLineAmounts(owner_invoice, {self.sov_concrete_other: (700, 0)})

    def test_pcco_not_approved(self):
        for state in ("draft", "pending", "rejected", "no_charge", "void"):
            with self.subTest(state=state):
                owner_invoice, _pcco_line, wizard, (sub_invoice, cco) = self._autocomplete_change_order(
                    pcco_state=state
                )
                self.assertLineAmounts(owner_invoice, {})
                self.assertEqual(wizard.unmatched_ids.work_this_period, 700)
                self.assertIn("No approved prime contract change order", wizard.unmatched_ids.reason)
                owner_invoice.unlink()
                sub_invoice.state = cco.state = "void"

    def test_pcco_without_amount(self):
        owner_invoice, _pcco_line, wizard, _sources = self._autocomplete_change_order(pcco_amount=0)
        self.assertLineAmounts(owner_invoice, {})
        self.assertEqual(len(wizard.unmatched_ids), 1)

    def test_cco_no_longer_approved(self):
        _pcco, cco = self._create_funded_change(700)
        self._bill_change_order(cco, 700)
        cco.state = "void"
        owner_invoice = self._create_owner_invoice()
        allocation = owner_invoice._autocomplete()
        self.assertLineAmounts(owner_invoice, {})
        self.assertEqual([source.work for source, _reason in allocation.unmatched], [700])
