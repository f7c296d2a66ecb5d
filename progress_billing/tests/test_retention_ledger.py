# Copyright 2026 Progress Billing Developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

"""The retention ledger (readme/USAGE.md, "The ledger"): what each contract withheld, released
and holds, equal to the sum of its certified applications and of their bills;
company isolation; the trust account total; a fixed number of queries to
open it whatever the number of contracts."""

from datetime import date, timedelta

from odoo import Command, fields
from odoo.tests import HttpCase, tagged

from .common import USER_GROUP
from .test_accounting import WORKED_EXAMPLE, AccountingCase

LEDGER = "progress.billing.retention.ledger"
# what the list view of the ledger reads
LIST_SPECIFICATION = {
    "currency_id": {"fields": {}}, "contract_kind": {}, "name": {}, "partner_id": {"fields": {"display_name": {}}},
    "project_id": {"fields": {"display_name": {}}}, "user_id": {"fields": {"display_name": {}}},
    "application_count": {}, "retainage_withheld": {}, "retainage_released": {}, "retainage_held": {},
    "trust_account": {}, "trust_account_held": {}, "next_stage_date": {}, "guarantee_amount": {},
    "guarantee_expiry_date": {}, "company_id": {"fields": {"display_name": {}}},
}


class LedgerCase(AccountingCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.example_commitment = cls._create_contract("purchase.order")
        cls.example_prime = cls._create_contract("sale.order")
        cls.may = cls._create_month_period(cls.project, 2026, 5, state="future")

    def _row(self, contract, env=None):
        field = "purchase_order_id" if contract._name == "purchase.order" else "sale_order_id"
        # a new read, as each request of the web client: the view has no cache to invalidate
        self.env[LEDGER].invalidate_model()
        return (env or self.env)[LEDGER].search([(field, "=", contract.id)])

    def _retainage_on_bills(self, contract):
        """(withheld, released) on the retainage lines of the contract's bills."""
        account = self._retainage_account(contract)
        moves = contract[contract._applications_field].move_ids
        lines = moves.invoice_line_ids.filtered(lambda line: line.account_id == account)
        sign = {"in_invoice": 1, "out_invoice": 1, "in_refund": -1, "out_refund": -1}
        amounts = [sign[line.move_id.move_type] * line.price_subtotal for line in lines]
        return -sum(amount for amount in amounts if amount < 0), sum(amount for amount in amounts if amount > 0)

    def _bill_three_periods_and_release(self, contract):
        for period, amounts in zip(self.periods[:3], WORKED_EXAMPLE, strict=True):
            self._create_bill(self._create_application(contract, period, amounts))
        self.periods[3].action_open()
        action = contract.with_user(self.accountant).action_release_retainage()
        wizard = self.env[action["res_model"]].browse(action["res_id"])
        wizard.line_ids[1].amount = 1_000.0
        wizard.with_user(self.accountant).action_release()


@tagged("post_install", "-at_install", "progress_billing")
class TestRetentionLedger(LedgerCase):
    def test_ledger_is_the_sum_of_applications_and_bills(self):
        for contract in (self.example_commitment, self.example_prime):
            self._bill_three_periods_and_release(contract)
            # a draft counts nothing until it is certified
            self._create_application(contract, self.may, {"materials": (1_000.0, 0.0)}, approve=False)
            row = self._row(contract)
            applications = contract[contract._applications_field].filtered(lambda app: app.state in app._billable_states)
            lines = applications.line_ids
            self.assertEqual(len(applications), 4)
            self.assertEqual(row.application_count, 4)
            withheld, released = self._retainage_on_bills(contract)
            self.assertAmount(row.retainage_withheld, 8_400.0)
            self.assertAmount(row.retainage_withheld, sum(lines.mapped("retainage_withheld")))
            self.assertAmount(row.retainage_withheld, withheld)
            self.assertAmount(row.retainage_released, 7_000.0)
            self.assertAmount(row.retainage_released, sum(lines.mapped("retainage_released")))
            self.assertAmount(row.retainage_released, released)
            self.assertAmount(row.retainage_held, contract.retainage_remaining)
            self.assertAmount(row.retainage_held, 1_400.0)
            self.assertEqual(row.contract_kind, "commitment" if contract._name == "purchase.order" else "prime_contract")
            self.assertEqual((row.partner_id, row.project_id, row.company_id), (
                contract.partner_id, contract.project_id, contract.company_id,
            ))
            self.assertEqual(self.env[row.action_view_applications()["res_model"]].search(
                row.action_view_applications()["domain"]), applications)
            self.assertEqual(set(row.action_view_moves()["domain"][0][2]), set(applications.move_ids.ids))

    def test_voided_application_leaves_the_ledger(self):
        application = self._create_application(self.example_commitment, self.periods[0], WORKED_EXAMPLE[0])
        self.assertAmount(self._row(self.example_commitment).retainage_held, 1_500.0)
        application.action_void()
        self.assertAmount(self._row(self.example_commitment).retainage_held, 0.0)
        application.action_reset_to_draft()
        self.assertAmount(application.certified_retainage_withheld, 0.0, "a draft is not certified")

    def test_stages_and_guarantees_on_the_ledger(self):
        today = fields.Date.today()
        commitment = self.example_commitment
        self.env["progress.billing.retention.stage"].create([
            {"purchase_order_id": commitment.id, "name": "Practical Completion", "date_planned": today - timedelta(days=5),
             "release_percent": 50.0},
            {"purchase_order_id": commitment.id, "name": "Final Completion", "date_planned": today + timedelta(days=90),
             "release_mode": "rest"},
        ])
        bank = self.env["res.partner"].create({"name": "Harbour Bank"})
        self.env["progress.billing.retention.guarantee"].create([
            {"purchase_order_id": commitment.id, "reference": "BG-1", "issuer_id": bank.id, "amount": 2_000.0,
             "date_start": today - timedelta(days=30), "date_expiry": today + timedelta(days=10)},
            {"purchase_order_id": commitment.id, "reference": "BG-2", "issuer_id": bank.id, "amount": 500.0,
             "date_start": today - timedelta(days=30), "date_expiry": today - timedelta(days=1)},
            {"purchase_order_id": commitment.id, "reference": "BG-3", "issuer_id": bank.id, "amount": 300.0,
             "date_start": today - timedelta(days=30), "date_returned": today},
        ])
        row = self._row(commitment)
        self.assertEqual(row.next_stage_date, today - timedelta(days=5))
        self.assertAmount(row.guarantee_amount, 2_000.0, "guarantees expired or returned are not in force")
        self.assertEqual(row.guarantee_expiry_date, today + timedelta(days=10))
        Ledger = self.env[LEDGER]
        overdue = [("next_stage_date", "<", today)]
        expiring = [("guarantee_expiry_date", "<=", today + timedelta(days=30))]
        self.assertIn(row, Ledger.search(overdue))
        self.assertIn(row, Ledger.search(expiring))
        self.assertNotIn(self._row(self.example_prime), Ledger.search(overdue + expiring))

    def test_trust_account_projects(self):
        """The head contract value (prime contracts of the project) reaches the company's threshold."""
        commitment = self.example_commitment
        self._create_bill(self._create_application(commitment, self.periods[0], WORKED_EXAMPLE[0]))
        self._create_bill(self._create_application(self.example_prime, self.periods[0], WORKED_EXAMPLE[0]))
        self.assertAmount(self.company.retention_trust_threshold, 20_000_000.0, "the NSW threshold by default")
        value = self.project.head_contract_value
        self.assertAmount(value, sum(self.project.prime_contract_ids.mapped("revised_contract_sum")))
        self.company.write({"retention_trust_account": True, "retention_trust_threshold": value + 0.01})
        self.assertFalse(self.project.retention_trust_account)
        self._create_change_order(self.example_prime, [{"name": "Extra", "amount": 0.01}])
        self.assertTrue(self.project.retention_trust_account, "approved change orders count in the value")
        self.assertEqual(self._row(commitment).trust_account, True)
        self.assertAmount(self._row(commitment).trust_account_held, 1_500.0)
        self.assertAmount(self._row(self.example_prime).trust_account_held, 0.0, "owners' retention is not ours to hold")
        withheld, released, held, in_trust = self.env[LEDGER]._totals([("project_id", "=", self.project.id)])
        self.assertAmount(held, 3_000.0)
        self.assertAmount(in_trust, 1_500.0)
        self.company.retention_trust_account = False
        self.assertFalse(self.project.retention_trust_account)


@tagged("post_install", "-at_install", "progress_billing")
class TestRetentionLedgerCompanies(LedgerCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_b = cls._create_company("Other Builders")
        cls.project_b = cls._create_project("Harbour Bridge", company=cls.company_b)
        cls.commitment_b = cls._create_commitment(cls.project_b, [{"name": "Steel", "price_unit": 50_000}])
        cls.commitment_b.button_confirm()
        cls.period_b = cls._create_month_period(cls.project_b, 2026, 1)
        cls.invoice_b = cls._create_invoice(cls.commitment_b, cls.period_b, {cls.commitment_b.order_line: (20_000.0, 0.0)})
        cls.invoice_b.action_submit()
        cls.invoice_b.action_approve()
        cls.both_user = cls._create_user("pb_both", USER_GROUP)
        cls.both_user.company_ids = [Command.link(cls.company_b.id)]

    def test_ledger_of_the_companies_the_user_works_in(self):
        self._create_application(self.example_commitment, self.periods[0], WORKED_EXAMPLE[0])
        row_a, row_b = self._row(self.example_commitment), self._row(self.commitment_b)
        self.assertAmount(row_b.retainage_held, 2_000.0)
        Ledger = self.env[LEDGER]
        self.assertEqual(Ledger.with_user(self.user).search([]) & (row_a | row_b), row_a)
        self.assertFalse(Ledger.with_user(self.user).search([("company_id", "=", self.company_b.id)]))
        self.assertFalse(Ledger.with_user(self.user).browse(row_b.id).exists())
        both = Ledger.with_user(self.both_user).with_context(allowed_company_ids=[self.company.id, self.company_b.id])
        self.assertEqual(both.search([]) & (row_a | row_b), row_a | row_b)
        only_b = Ledger.with_user(self.both_user).with_context(allowed_company_ids=[self.company_b.id])
        self.assertEqual(only_b.search([]) & (row_a | row_b), row_b)
        self.assertAmount(only_b._totals([])[2], 2_000.0, "totals of the active companies only")
        self.assertAmount(Ledger.with_user(self.user)._totals([("project_id", "=", self.project_b.id)])[2], 0.0)

    def test_company_condition_inside_the_query(self):
        """The SQL reads only the active companies' contracts, as the record rules would."""
        query = self.env[LEDGER].with_user(self.user).with_context(allowed_company_ids=[self.company.id])._table_query
        self.assertIn(self.company.id, query.params[-1] if isinstance(query.params[-1], list) else [])
        self.assertIn("company_id = ANY", query.code)


@tagged("post_install", "-at_install", "progress_billing")
class TestRetentionLedgerQueries(LedgerCase):
    def _create_contracts(self, count):
        """``count`` commitments, each with a stage, a guarantee and (every other one) a certified application."""
        bank = self.env["res.partner"].create({"name": "Harbour Bank"})
        for index in range(count):
            commitment = self._create_commitment(self.project, [{"name": "Work", "price_unit": 10_000}])
            commitment.write({
                "retention_stage_ids": [Command.create({"name": "Completion", "date_planned": date(2027, 1, 1)})],
                "retention_guarantee_ids": [Command.create({
                    "reference": f"BG-{index}", "issuer_id": bank.id, "amount": 100.0, "date_start": date(2025, 1, 1),
                })],
            })
            if index % 2:
                commitment.button_confirm()
                self._create_application(commitment, self.periods[0], {"Work": (1_000.0, 0.0)})

    def _open_ledger(self):
        Ledger = self.env[LEDGER].with_user(self.user)
        self.env.invalidate_all()
        return Ledger.web_search_read([], LIST_SPECIFICATION, limit=80)

    def test_query_count_does_not_grow_with_contracts(self):
        """Opened a first time after the contracts are created (what their
        creation left to store is not the ledger's cost), then measured."""
        self._create_contracts(2)
        self._open_ledger()
        with self.assertQueryCount(6):
            few = self._open_ledger()
        self._create_contracts(30)
        self._open_ledger()
        with self.assertQueryCount(6):
            many = self._open_ledger()
        self.assertGreater(many["length"], few["length"] + 29)


@tagged("post_install", "-at_install", "progress_billing")
class TestRetentionLedgerHttp(LedgerCase, HttpCase):
    """The web client's own call (JSON-RPC ``web_search_read``) as a plain
    user of the first company: the rows of another company never come back,
    not even when asked for by company or id."""

    def test_other_company_rows_never_come_back(self):
        company_b = self._create_company("Other Builders")
        commitment_b = self._create_commitment(self._create_project("Harbour Bridge", company=company_b), [
            {"name": "Steel", "price_unit": 50_000},
        ])
        row_b = self._row(commitment_b)
        self.assertTrue(row_b)
        self.authenticate(self.user.login, self.user.login + "x" * (8 - len(self.user.login)))
        for domain in ([], [("company_id", "=", company_b.id)], [("id", "=", row_b.id)]):
            response = self.url_open("/web/dataset/call_kw/progress.billing.retention.ledger/web_search_read", json={
                "jsonrpc": "2.0", "method": "call", "id": 1, "params": {
                    "model": LEDGER, "method": "web_search_read", "args": [],
                    "kwargs": {"domain": domain, "specification": {"name": {}, "company_id": {"fields": {}}}},
                },
            })
            records = response.json()["result"]["records"]
            self.assertNotIn(row_b.id, [record["id"] for record in records], f"domain {domain}")
            self.assertEqual({record["company_id"]["id"] for record in records} - {self.company.id}, set())
