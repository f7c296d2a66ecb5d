# Copyright 2026 Progress Billing Developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from odoo import Command
from odoo.exceptions import AccessError, ValidationError
from odoo.tests import tagged

from .common import ProgressBillingCase


@tagged("post_install", "-at_install", "progress_billing")
class TestMultiCompany(ProgressBillingCase):
    """A user of company A neither reads nor finds company B's billing periods,
    invoices, direct costs, change events and change orders, nor their lines."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_b = cls._create_company("Other Builders")
        cls.project_b = cls._create_project("Depot", company=cls.company_b)
        cls.period_b = cls._create_period(cls.project_b, cls.period.date_start, cls.period.date_end)
        division_b = cls._create_division("T03", "Concrete", company=cls.company_b)
        cost_code_b = cls._create_cost_code("T03-300", "Concrete", division_b, company=cls.company_b)
        cls.prime_contract_b = cls._create_prime_contract(cls.project_b, [{"name": "Depot shell", "price_unit": 500_000}])
        cls.commitment_b = cls._create_commitment(cls.project_b, [
            {"name": "Depot slab", "cost_code_id": cost_code_b.id, "price_unit": 200_000},
        ])
        cls.records_b = {
            "progress.billing.period": cls.period_b,
            "progress.billing.sub.invoice": cls._create_sub_invoice(cls.period_b, cls.commitment_b),
            "progress.billing.owner.invoice": cls._create_owner_invoice(cls.period_b, cls.prime_contract_b),
            "progress.billing.change.order": cls._create_change_order(cls.commitment_b, [{"name": "Drains", "amount": 3_000}]),
            "progress.billing.change.event": cls.env["progress.billing.change.event"].create({
                "title": "Drainage", "project_id": cls.project_b.id, "line_ids": [Command.create({"name": "Drains"})],
            }),
            "progress.billing.direct.cost": cls.env["progress.billing.direct.cost"].create({
                "project_id": cls.project_b.id, "line_ids": [Command.create({
                    "name": "Crane hire", "cost_code_id": cost_code_b.id, "cost_type_id": cls.labor.id, "amount": 900,
                })],
            }),
        }
        cls.user_b = cls._create_user("pb_user_b", "progress_billing.group_progress_billing_user", cls.company_b)

    def _records_and_lines(self):
        for record in self.records_b.values():
            yield record
            if "line_ids" in record._fields:
                self.assertTrue(record.line_ids, f"{record._name} of company B has lines to hide")
                yield record.line_ids

    def test_records_have_company_b(self):
        for record in self._records_and_lines():
            self.assertEqual(record.company_id, self.company_b, record._name)

    def test_user_of_company_a_cannot_read_them(self):
        for record in self._records_and_lines():
            with self.subTest(model=record._name), self.assertRaises(AccessError):
                record.with_user(self.user).check_access("read")
            self.assertFalse(
                self.env[record._name].with_user(self.user).search([("id", "in", record.ids)]), record._name
            )

    def test_user_of_company_b_reads_them(self):
        for record in self._records_and_lines():
            record.with_user(self.user_b).check_access("read")
        self._create_sub_invoice()
        invoices = self.env["progress.billing.sub.invoice"].with_user(self.user_b).search([
            ("purchase_order_id", "in", (self.commitment | self.commitment_b).ids),
        ])
        self.assertEqual(invoices, self.records_b["progress.billing.sub.invoice"])

    def test_user_of_both_companies_sees_the_allowed_ones(self):
        self.user.company_ids = [Command.link(self.company_b.id)]
        Period = self.env["progress.billing.period"].with_user(self.user)
        domain = [("project_id", "in", (self.project | self.project_b).ids)]
        self.assertEqual(Period.with_context(allowed_company_ids=[self.company.id]).search(domain), self.period)
        self.assertEqual(
            Period.with_context(allowed_company_ids=[self.company.id, self.company_b.id]).search(domain),
            self.period | self.period_b,
        )

    def test_invoice_takes_the_company_of_its_contract(self):
        invoice = self.records_b["progress.billing.sub.invoice"]
        self.assertEqual((invoice.company_id, invoice.project_id), (self.company_b, self.project_b))
        with self.assertRaisesRegex(ValidationError, "is for project Depot but billing period .* belongs to project Riverside Tower"):
            invoice.period_id = self.period

    def test_periods_of_a_project_without_company_are_shared(self):
        """Odoo projects may have no company; their periods are then seen by all."""
        shared_project = self.env["project.project"].create({"name": "Shared yard", "company_id": False})
        period = self._create_month_period(shared_project, 2026, 1)
        self.assertFalse(period.company_id)
        period.with_user(self.user).check_access("read")
        period.with_user(self.user_b).check_access("read")
