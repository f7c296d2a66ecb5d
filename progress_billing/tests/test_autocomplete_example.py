# Copyright 2026 Progress Billing Developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from datetime import timedelta

from odoo.tests import tagged

from .common_autocomplete import AutocompleteCase


@tagged("post_install", "-at_install", "progress_billing")
class TestAutocompleteWorkedExample(AutocompleteCase):
    """A whole owner invoice auto-completed, with hand-checked G703 lines and G702 lines 1-9."""

    def test_worked_example(self):
        # the previous period: an approved owner invoice billing 10,000 of concrete labor,
        # and a subcontractor invoice that must not be copied into this period
        previous = self._create_period(self.project, self.period.date_start - timedelta(days=31),
                                       self.period.date_start - timedelta(days=1))
        previous_invoice = self._create_owner_invoice(previous, amounts={self.sov_concrete: (10_000, 0)})
        previous_invoice.state = "approved"
        self._create_billed_sub_invoice(self.commitment, {self.ssov_labor: (5_000, 0)}, period=previous)
        self.period.action_open()
        # an approved PCCO of 10,000 billed on its own line, funding a CCO of 8,000
        pcco, cco = self._create_funded_change(8_000, pcco_amount=10_000)
        # copied
        self._create_billed_sub_invoice(self.commitment, {
            self.ssov_labor: (12_000, 0), self.ssov_materials: (5_000, 3_000), self.ssov_paint: (7_000, 0),
            cco.line_ids: (2_500, 0),
        })
        self._create_billed_sub_invoice(self.unit_commitment, {self.ssov_precast: 20}, state="pending_owner_approval")
        self._create_direct_cost([(self.cost_code, self.labor, 1_500), (self.cost_code_paint, self.materials, 500)])
        # not copied: a draft invoice, an ERP direct cost, a direct cost received after the period
        other_commitment = self._create_commitment(self.project, [
            {"name": "Pumping", "cost_code_id": self.cost_code.id, "cost_type_id": self.labor.id, "price_unit": 20_000},
        ])
        self._create_billed_sub_invoice(other_commitment, {other_commitment.order_line: (9_999, 0)}, state="draft")
        self._create_direct_cost([(self.cost_code, self.labor, 7_777)], origin="erp")
        self._create_direct_cost([(self.cost_code, self.labor, 3_333)], date_received=self.period.date_end + timedelta(days=1))

        invoice = self._create_owner_invoice()
        invoice._autocomplete()

        pcco_line = pcco.line_ids
        self.assertLineAmounts(invoice, {
            self.sov_concrete: (12_000 + 1_500, 0),
            self.sov_concrete_materials: (5_000, 3_000),
            self.sov_finishes: (7_000 + 500, 0),      # T09-900 Labor and Materials, by their division
            self.sov_concrete_other: (20 * 50, 0),    # T03-310, by its division
            pcco_line: (2_500, 0),
        })
        concrete_labor = self._line_of(invoice, self.sov_concrete)
        self.assertRecordValues(concrete_labor, [{
            "scheduled_value": 100_000, "previous_work": 10_000, "total_completed": 23_500,
            "balance_to_finish": 76_500, "retainage": 2_350,
        }])
        self.assertRecordValues(self._line_of(invoice, pcco_line), [{"scheduled_value": 10_000, "retainage": 250}])
        self.assertRecordValues(invoice, [{
            "work_this_period": 29_500,
            "materials_stored": 3_000,
            "original_contract_sum": 220_000,            # 1 = 100,000 + 50,000 + 50,000 + 20,000
            "net_change_orders": 10_000,                 # 2
            "contract_sum_to_date": 230_000,             # 3 = 1 + 2
            "total_completed": 42_500,                   # 4 = D 10,000 + E 29,500 + F 3,000
            "retainage_work": 3_950,                     # 5a = 10% of (D + E) 39,500
            "retainage_materials": 150,                  # 5b = 5% of F 3,000
            "total_retainage": 4_100,                    # 5
            "total_earned": 38_400,                      # 6 = 4 - 5
            "previous_certificates": 9_000,              # 7 = 10,000 - 10% retainage
            "current_payment_due": 29_400,               # 8 = 6 - 7
            "balance_to_finish": 191_600,                # 9 = 3 - 6
        }])


@tagged("post_install", "-at_install", "progress_billing")
class TestAutocompleteQueries(AutocompleteCase):
    """Auto-completion issues a bounded number of queries whatever the number of sources."""

    def _job_with_sources(self, count):
        """A project whose owner invoice has ``count`` subcontractor invoices
        and ``count`` direct costs to copy, spread over its lines."""
        project = self._create_project(f"Job of {count}")
        period = self._create_period(project, self.period.date_start, self.period.date_end)
        keys = [
            (cost_code, cost_type)
            for cost_code in (self.cost_code, self.cost_code_paint, self.cost_code_precast)
            for cost_type in (self.labor, self.materials)
        ]

        def line(name, key):
            return {"name": name, "cost_code_id": key[0].id, "cost_type_id": key[1].id, "price_unit": 100_000}

        contract = self._create_prime_contract(project, [line(f"SOV {index}", key) for index, key in enumerate(keys)])
        for index in range(count):
            key = keys[index % len(keys)]
            commitment = self._create_commitment(project, [line(f"SSOV {index}", key)])
            self._create_billed_sub_invoice(commitment, {commitment.order_line: (100 + index, index)}, period=period)
            self._create_direct_cost([(*key, 10 + index)], project=project)
        return self._create_owner_invoice(period, contract)

    def _count_queries(self, function):
        self.env.flush_all()
        self.env.invalidate_all()
        start = self.cr.sql_log_count
        function()
        self.env.flush_all()
        return self.cr.sql_log_count - start

    def _autocomplete_in_wizard(self, invoice):
        action = invoice.action_autocomplete()
        invoice.env[action["res_model"]].browse(action["res_id"]).action_apply()

    def test_one_or_fifty_sources(self):
        warm_up, one, fifty = (self._job_with_sources(count) for count in (1, 1, 50))
        warm_up._autocomplete()
        queries = self._count_queries(one._autocomplete)
        self.env.invalidate_all()
        with self.assertQueryCount(queries):
            fifty._autocomplete()
        self.assertEqual(len(fifty.line_ids.autocomplete_source_ids), 100)
        self.assertEqual(fifty.work_this_period, sum(100 + index + 10 + index for index in range(50)))

    def test_one_or_fifty_sources_with_preview_as_plain_user(self):
        warm_up, one, fifty = (self._job_with_sources(count).with_user(self.user) for count in (1, 1, 50))
        self._autocomplete_in_wizard(warm_up)
        queries = self._count_queries(lambda: self._autocomplete_in_wizard(one))
        self.env.invalidate_all()
        with self.assertQueryCount(queries):
            self._autocomplete_in_wizard(fifty)
        self.assertEqual(len(fifty.line_ids.autocomplete_source_ids), 100)
