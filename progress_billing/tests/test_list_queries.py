# Copyright 2026 Progress Billing Developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

"""The Subcontractor Invoices and Owner Invoices lists read a page of rows in
a number of queries that does not grow with the rows: 10 rows take as many
queries as 80 (the list's page), G702 line 8 among the columns, and so does
the list grouped by commitment with its sums (stored G702 figures, summed in
SQL). Each read is the web client's own call, as a plain Progress Billing
user (record rules included), from a cold ORM cache. Timings are in
bench/lists_at_scale.py, not here.

80 commitments and 40 prime contracts of two lines, each billed in two
billing periods (the first approved, the second a draft): 160 subcontractor
invoices in 80 commitments (80 groups: 10 or 80 groups both need the count of
groups) and 80 owner invoices, the second period's line 7 read from the
first's line 6.
"""

from odoo.tests import tagged, users, warmup

from .common import ProgressBillingCase

COMMITMENTS = 80
PRIME_CONTRACTS = 40
MANY2ONE = {"fields": {"display_name": {}}}
# the default columns of the lists (views/progress_billing_*_invoice_views.xml)
SUB_INVOICE_COLUMNS = {
    "name": {}, "purchase_order_id": MANY2ONE, "partner_id": MANY2ONE, "project_id": MANY2ONE, "period_id": MANY2ONE,
    "vendor_reference": {}, "currency_id": MANY2ONE, "work_this_period": {}, "current_payment_due": {}, "state": {},
}
OWNER_INVOICE_COLUMNS = {
    "name": {}, "sale_order_id": MANY2ONE, "partner_id": MANY2ONE, "project_id": MANY2ONE, "period_id": MANY2ONE,
    "currency_id": MANY2ONE, "work_this_period": {}, "current_payment_due": {}, "state": {},
}
# what the web client asks a grouped list to sum (getAggregateSpecifications
# of web/static/src/model/relational_model/utils.js)
SUB_INVOICE_AGGREGATES = [
    "work_this_period:sum", "current_payment_due:sum", "currency_id:array_agg_distinct",
    "work_this_period:sum_currency", "current_payment_due:sum_currency",
]


@tagged("post_install", "-at_install", "progress_billing")
class TestListQueries(ProgressBillingCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.next_period = cls._create_next_period(state="future")
        commitments = cls.env["purchase.order"].create(
            [
                {
                    "is_commitment": True,
                    "partner_id": cls.subcontractor.id,
                    "project_id": cls.project.id,
                    "retainage_rate": 10,
                    "retainage_rate_materials": 5,
                    "order_line": cls._contract_lines(
                        [
                            {
                                "name": "Labor",
                                "cost_code_id": cls.cost_code.id,
                                "cost_type_id": cls.labor.id,
                                "price_unit": 60_000,
                            },
                            {
                                "name": "Materials",
                                "cost_code_id": cls.cost_code.id,
                                "cost_type_id": cls.materials.id,
                                "price_unit": 40_000,
                            },
                        ],
                        "product_qty",
                    ),
                }
                for _index in range(COMMITMENTS)
            ]
        )
        prime_contracts = cls.env["sale.order"].create([
            {"is_prime_contract": True, "partner_id": cls.owner.id, "project_id": cls.project.id,
             "retainage_rate": 10, "retainage_rate_materials": 5,
             "order_line": cls._contract_lines([
                 {"name": "Concrete", "cost_code_id": cls.cost_code.id, "cost_type_id": cls.labor.id,
                  "price_unit": 100_000},
                 {"name": "Finishes", "division_id": cls.division_finishes.id, "price_unit": 50_000},
             ], "product_uom_qty")}
            for _index in range(PRIME_CONTRACTS)
        ])
        for period, approved in ((cls.period, True), (cls.next_period, False)):
            period.action_open()
            cls._bill_each(commitments, "progress.billing.sub.invoice", "purchase_order_id", period, approved)
            cls._bill_each(prime_contracts, "progress.billing.owner.invoice", "sale_order_id", period, approved)

    @classmethod
    def _bill_each(cls, contracts, model, contract_field, period, approved):
        """An application of each of ``contracts`` in ``period``, billed, approved or left a draft."""
        invoices = cls.env[model].create(
            [{contract_field: contract.id, "period_id": period.id} for contract in contracts]
        )
        invoices.line_ids.write({"work_this_period": 5_000, "materials_stored": 1_000})
        if approved:
            invoices.action_submit()
            invoices.action_approve()

    def _assert_queries_whatever_the_rows(self, read, expected):
        """``read(limit)`` takes ``expected`` queries for 10 rows and for 80."""
        for rows in (10, 80):
            self.env.invalidate_all()
            with self.subTest(rows=rows), self.assertQueryCount(pb_user=expected):
                read(rows)

    @users("pb_user")
    @warmup
    def test_subcontractor_invoices_list(self):
        SubInvoice = self.env["progress.billing.sub.invoice"]
        self._assert_queries_whatever_the_rows(
            lambda limit: SubInvoice.web_search_read([], SUB_INVOICE_COLUMNS, limit=limit, count_limit=10001), 8,
        )

    @users("pb_user")
    @warmup
    def test_subcontractor_invoices_grouped_by_commitment(self):
        SubInvoice = self.env["progress.billing.sub.invoice"]
        self._assert_queries_whatever_the_rows(
            lambda limit: SubInvoice.web_read_group([], ["purchase_order_id"], SUB_INVOICE_AGGREGATES, limit=limit), 4,
        )

    @users("pb_user")
    @warmup
    def test_owner_invoices_list(self):
        OwnerInvoice = self.env["progress.billing.owner.invoice"]
        self._assert_queries_whatever_the_rows(
            lambda limit: OwnerInvoice.web_search_read([], OWNER_INVOICE_COLUMNS, limit=limit, count_limit=10001), 8,
        )
