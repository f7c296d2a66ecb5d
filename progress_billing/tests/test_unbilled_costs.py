# Copyright 2026 Progress Billing Developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from datetime import timedelta

from odoo.exceptions import AccessError, UserError
from odoo.fields import Command
from odoo.tests import tagged

from ..models.progress_billing_period import monthly_period_bounds
from . import test_autocomplete_example
from .common_autocomplete import AutocompleteCase


class UnbilledCostsCase(AutocompleteCase):
    """The demo's October: a subcontractor invoice and a direct cost approved
    in the previous period ``earlier`` that no owner invoice billed, next to
    this period's subcontractor invoice, an ERP direct cost and a draft
    subcontractor invoice of that period; ``owner_invoice`` bills this period."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.earlier = cls._create_period(
            cls.project, *monthly_period_bounds(cls.period.date_start - timedelta(days=1), 1)
        )
        cls.earlier_sub_invoice = cls._create_billed_sub_invoice(
            cls.commitment, {cls.ssov_labor: (1_000, 200)}, period=cls.earlier
        )
        cls.earlier_direct_cost = cls._create_direct_cost(
            [(cls.cost_code_paint, cls.labor, 500)], date_received=cls.earlier.date_end
        )
        cls.erp_direct_cost = cls._create_direct_cost(
            [(cls.cost_code_paint, cls.labor, 700)], date_received=cls.earlier.date_end, origin="erp"
        )
        cls.draft_sub_invoice = cls._create_billed_sub_invoice(
            cls.unit_commitment, {cls.ssov_precast: 10}, state="draft", period=cls.earlier
        )
        cls.period.action_open()
        cls.sub_invoice = cls._create_billed_sub_invoice(cls.commitment, {cls.ssov_labor: (300, 0)})
        cls.owner_invoice = cls._create_owner_invoice()
        cls.earlier_sub_line = cls._line_of(cls.earlier_sub_invoice, cls.ssov_labor)
        cls.earlier_cost_line = cls.earlier_direct_cost.line_ids

    def _preview(self, invoice=None, user=None):
        invoice = (invoice or self.owner_invoice).with_user(user or self.env.user)
        action = invoice.action_autocomplete()
        return invoice.env[action["res_model"]].browse(action["res_id"])

    def _reopen(self, action):
        return self.env[action["res_model"]].browse(action["res_id"])

    def _unbilled(self, user=None):
        """(document, amount) of the project's unbilled costs, as ``user`` reads them."""
        costs = self.env["progress.billing.unbilled.cost"].with_user(user or self.user).search([])
        return {(cost.sub_invoice_id or cost.direct_cost_id, cost.amount) for cost in costs}


@tagged("post_install", "-at_install", "progress_billing")
class TestCostsLeftBehindPreview(UnbilledCostsCase):
    """The auto-completion preview lists the approved costs of earlier
    periods not yet billed to the owner and includes them on request
    (readme/USAGE.md, "Auto-completing owner invoices", costs left behind)."""

    def test_preview_lists_costs_left_behind(self):
        wizard = self._preview()
        self.assertEqual(len(wizard.earlier_ids), 2)
        by_kind = wizard.earlier_ids.grouped("source_kind")
        self.assertRecordValues(by_kind["sub_invoice_line_id"], [{
            "source_line_id": self.earlier_sub_line.id, "period_id": self.earlier.id, "date_received": False,
            "cost_code_id": self.cost_code.id, "cost_type_id": self.labor.id,
            "work_this_period": 1_000, "materials_stored": 200, "amount": 1_200, "include": False,
        }])
        self.assertIn(self.earlier_sub_invoice.name, by_kind["sub_invoice_line_id"].name)
        self.assertRecordValues(by_kind["direct_cost_line_id"], [{
            "source_line_id": self.earlier_cost_line.id, "period_id": False, "date_received": self.earlier.date_end,
            "cost_code_id": self.cost_code_paint.id, "cost_type_id": self.labor.id, "amount": 500, "include": False,
        }])
        self.assertIn(self.earlier_direct_cost.name, by_kind["direct_cost_line_id"].name)
        self.assertEqual((wizard.left_behind_count, wizard.left_behind_amount), (2, 1_700))
        # left out, the preview copies this period's costs only
        self.assertEqual((wizard.new_work_total, wizard.new_materials_total), (300, 0))

    def test_include_all_lands_by_the_matching_rules(self):
        wizard = self._reopen(self._preview().action_include_all())
        self.assertEqual(wizard.earlier_ids.mapped("include"), [True, True])
        self.assertEqual((wizard.left_behind_count, wizard.new_work_total, wizard.new_materials_total), (0, 1_800, 200))
        wizard.action_apply()
        # T03-300 Labor lands on its SOV line, T09-900 on division T09's
        self.assertLineAmounts(self.owner_invoice, {self.sov_concrete: (1_300, 200), self.sov_finishes: (500, 0)})
        links = self.owner_invoice.line_ids.autocomplete_source_ids
        self.assertEqual(
            links.sub_invoice_line_id, self.earlier_sub_line | self._line_of(self.sub_invoice, self.ssov_labor)
        )
        self.assertEqual(links.direct_cost_line_id, self.earlier_cost_line)
        self.assertFalse(links.filtered("is_stale"))
        self.assertIn("included in this invoice", self.owner_invoice.message_ids[0].body)
        self.assertIn(self.earlier_sub_invoice.name, self.owner_invoice.message_ids[0].body)
        # billed now: listed no more, and kept by the next auto-completion
        self.assertFalse(self._preview().earlier_ids)
        self.owner_invoice._autocomplete()
        self.assertLineAmounts(self.owner_invoice, {self.sov_concrete: (1_300, 200), self.sov_finishes: (500, 0)})

    def test_offered_again_once_the_invoice_moves(self):
        """Costs included in one billing period are offered again, not
        silently kept, when the invoice moves to another period."""
        self._reopen(self._preview().action_include_all()).action_apply()
        self.owner_invoice.period_id = self._create_next_period()
        wizard = self._preview()
        self.assertEqual(
            {(cost.source_kind, cost.source_line_id) for cost in wizard.earlier_ids},
            {("sub_invoice_line_id", self.earlier_sub_line.id), ("direct_cost_line_id", self.earlier_cost_line.id),
             ("sub_invoice_line_id", self._line_of(self.sub_invoice, self.ssov_labor).id)},
        )
        self._reopen(wizard.action_include_all()).action_apply()
        self.assertLineAmounts(self.owner_invoice, {self.sov_concrete: (1_300, 200), self.sov_finishes: (500, 0)})

    def test_include_one_and_leave_it_out_again(self):
        wizard = self._preview()
        cost = wizard.earlier_ids.filtered(lambda cost: cost.source_kind == "direct_cost_line_id")
        wizard = self._reopen(cost.action_toggle_include())
        self.assertEqual((wizard.left_behind_count, wizard.left_behind_amount), (1, 1_200))
        self.assertEqual(wizard.new_work_total, 800)
        cost = wizard.earlier_ids.filtered("include")
        self.assertEqual(cost.source_line_id, self.earlier_cost_line.id)
        wizard = self._reopen(cost.action_toggle_include())
        self.assertEqual((wizard.left_behind_count, wizard.new_work_total), (2, 300))
        cost = wizard.earlier_ids.filtered(lambda cost: cost.source_kind == "direct_cost_line_id")
        wizard = self._reopen(cost.action_toggle_include())
        wizard.action_apply()
        self.assertLineAmounts(self.owner_invoice, {self.sov_concrete: (300, 0), self.sov_finishes: (500, 0)})
        self.assertEqual(
            [(cost.source_kind, cost.source_line_id) for cost in self._preview().earlier_ids],
            [("sub_invoice_line_id", self.earlier_sub_line.id)],
        )

    def test_unticked_lines_stay_unticked(self):
        wizard = self._preview()
        self._tick(wizard, self.owner_invoice.line_ids, apply=False)
        wizard = self._reopen(wizard.action_include_all())
        concrete = self._line_of(self.owner_invoice, self.sov_concrete)
        applies = {row["owner_line_id"]: row["apply"] for row in wizard.preview_lines}
        self.assertFalse(applies.pop(concrete.id))
        self.assertTrue(applies and all(applies.values()), "the lines the included costs bring are ticked")

    def test_a_cost_billed_meanwhile_is_not_billed_twice(self):
        """A cost included in the preview but billed by another owner
        invoice of the project before Apply stops the apply."""
        wizard = self._reopen(self._preview().action_include_all())
        other_contract = self._create_prime_contract(self.project, [
            {"name": "Annex concrete", "cost_code_id": self.cost_code.id, "cost_type_id": self.labor.id,
             "price_unit": 80_000},
        ])
        other_invoice = self._create_owner_invoice(prime_contract=other_contract)
        self._reopen(self._preview(other_invoice).action_include_all()).action_apply()
        self.assertEqual(
            other_invoice.line_ids.autocomplete_source_ids.sub_invoice_line_id,
            self._line_of(self.sub_invoice, self.ssov_labor) | self.earlier_sub_line,
        )
        with self.assertRaisesRegex(UserError, "changed while you were reviewing them"):
            wizard.action_apply()

    def test_a_forged_cost_of_another_project_is_ignored(self):
        """The costs to include are checked again in the database: a row
        naming another project's cost (as a JSON-RPC caller may write) bills
        nothing."""
        other_project = self._create_project("Elsewhere")
        other_cost = self._create_direct_cost(
            [(self.cost_code_paint, self.labor, 900)], date_received=self.earlier.date_end, project=other_project
        )
        wizard = self._preview(user=self.user)
        wizard.write({"earlier_ids": [Command.create({
            "source_kind": "direct_cost_line_id", "source_line_id": other_cost.line_ids.id,
            "name": "forged", "include": True,
        })]})
        wizard._build_preview()
        self.assertEqual(wizard.new_work_total, 300)
        wizard.action_apply()
        self.assertFalse(self.owner_invoice.line_ids.autocomplete_source_ids.direct_cost_line_id)


@tagged("post_install", "-at_install", "progress_billing")
class TestUnbilledCosts(UnbilledCostsCase):
    """The project's Unbilled Costs: approved costs that no non-void owner
    invoice of the project bills, at any time (readme/USAGE.md, "Auto-completing owner invoices")."""

    def test_unbilled_until_billed(self):
        everything = {
            (self.earlier_sub_invoice, 1_200), (self.earlier_direct_cost, 500), (self.sub_invoice, 300),
        }
        self.assertEqual(self._unbilled(), everything)
        self.assertEqual((self.project.unbilled_cost_count, self.project.unbilled_cost_amount), (3, 2_000))
        self.owner_invoice._autocomplete()
        self.assertEqual(self._unbilled(), {(self.earlier_sub_invoice, 1_200), (self.earlier_direct_cost, 500)})
        self._reopen(self._preview().action_include_all()).action_apply()
        self.assertEqual(self._unbilled(), set())
        self.project.invalidate_recordset()
        self.assertEqual((self.project.unbilled_cost_count, self.project.unbilled_cost_amount), (0, 0))
        # a void owner invoice bills nothing
        self.owner_invoice.with_user(self.manager).action_void()
        self.assertEqual(self._unbilled(), everything)

    def test_statuses_and_origins_as_auto_completion(self):
        """Only what auto-completion would copy: never an ERP direct cost, a
        draft subcontractor invoice or a line of zero amounts."""
        documents = {document for document, _amount in self._unbilled()}
        self.assertNotIn(self.erp_direct_cost, documents)
        self.assertNotIn(self.draft_sub_invoice, documents)
        # one row for the one line of the invoice with amounts
        self.assertEqual(
            len(
                self.env["progress.billing.unbilled.cost"].search(
                    [("sub_invoice_id", "=", self.earlier_sub_invoice.id)]
                )
            ),
            1,
        )
        self.earlier_direct_cost.state = "pending"
        self.assertNotIn(self.earlier_direct_cost, {document for document, _amount in self._unbilled()})

    def test_other_company_never_appears(self):
        company_b = self._create_company("Other Builders")
        project_b = self._create_project("Depot", company=company_b)
        division_b = self._create_division("T09", "Finishes", company=company_b)
        cost_code_b = self._create_cost_code("T09-900", "Painting", division_b, company=company_b)
        cost_b = self._create_direct_cost([(cost_code_b, self.labor, 900)], project=project_b)
        user_b = self._create_user("pb_user_b", "progress_billing.group_progress_billing_user", company_b)
        self.assertEqual(self._unbilled(user_b), {(cost_b, 900)})
        self.assertNotIn(cost_b, {document for document, _amount in self._unbilled()})
        # a user of both companies working in company A only
        self.user.company_ids = [Command.link(company_b.id)]
        costs = self.env["progress.billing.unbilled.cost"].with_user(self.user).with_context(
            allowed_company_ids=[self.company.id]
        ).search([])
        self.assertNotIn(cost_b, costs.direct_cost_id)
        self.assertEqual(project_b.with_user(user_b).unbilled_cost_count, 1)

    def test_read_only(self):
        Cost = self.env["progress.billing.unbilled.cost"].with_user(self.manager)
        cost = Cost.search([], limit=1)
        with self.assertRaisesRegex(AccessError, "not allowed to modify"):
            cost.write({"amount": 1})
        with self.assertRaisesRegex(AccessError, "not allowed to create"):
            Cost.create({"amount": 1})

    def test_smart_button_opens_the_project_list(self):
        action = self.project.with_user(self.user).action_view_unbilled_costs()
        costs = self.env[action["res_model"]].with_user(self.user).search(action["domain"])
        self.assertEqual(len(costs), 3)
        self.assertEqual(costs.filtered("sub_invoice_id")[:1].action_open_document()["res_model"],
                         "progress.billing.sub.invoice")


@tagged("post_install", "-at_install", "progress_billing")
class TestCostsLeftBehindQueries(AutocompleteCase):
    """Listing and including the costs left behind issues a bounded number
    of queries whatever their number."""

    _count_queries = test_autocomplete_example.TestAutocompleteQueries._count_queries

    def _job_with_costs_left_behind(self, count):
        """A project whose owner invoice leaves behind ``count`` subcontractor
        invoice lines and ``count`` direct cost lines of the previous period."""
        project = self._create_project(f"Left behind {count}")
        earlier = self._create_period(project, *monthly_period_bounds(self.period.date_start - timedelta(days=1), 1))
        contract = self._create_prime_contract(project, [
            {"name": code.name, "cost_code_id": code.id, "cost_type_id": self.labor.id, "price_unit": 1_000_000}
            for code in (self.cost_code, self.cost_code_paint)
        ])
        commitment = self._create_commitment(
            project,
            [
                {
                    "name": f"SSOV {index}",
                    "cost_code_id": self.cost_code.id,
                    "cost_type_id": self.labor.id,
                    "price_unit": 1_000,
                }
                for index in range(count)
            ],
        )
        self._create_billed_sub_invoice(
            commitment, {line: (100 + index, index) for index, line in enumerate(commitment.order_line)}, period=earlier
        )
        self._create_direct_cost(
            [(self.cost_code_paint, self.labor, 10 + index) for index in range(count)],
            date_received=earlier.date_end, project=project,
        )
        period = self._create_period(project, self.period.date_start, self.period.date_end)
        return self._create_owner_invoice(period, contract)

    def _include_all_and_apply(self, invoice):
        action = invoice.action_autocomplete()
        action = invoice.env[action["res_model"]].browse(action["res_id"]).action_include_all()
        invoice.env[action["res_model"]].browse(action["res_id"]).action_apply()

    def test_one_or_fifty_costs_left_behind_as_plain_user(self):
        warm_up, one, fifty = (self._job_with_costs_left_behind(count).with_user(self.user) for count in (1, 1, 50))
        self._include_all_and_apply(warm_up)
        queries = self._count_queries(lambda: self._include_all_and_apply(one))
        self.env.invalidate_all()
        with self.assertQueryCount(queries):
            self._include_all_and_apply(fifty)
        self.assertEqual(len(fifty.line_ids.autocomplete_source_ids), 100)
        self.assertEqual(fifty.work_this_period, sum(100 + index + 10 + index for index in range(50)))
        self.assertFalse(fifty.project_id.unbilled_cost_count)
