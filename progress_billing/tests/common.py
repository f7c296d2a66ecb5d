# Copyright 2026 Progress Billing Developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

"""Shared fixtures of the progress_billing tests.

``ProgressBillingCase`` builds, once per test class, a small construction job
in the current company (whose currency every amount uses):

* ``project`` with one Open billing ``period`` holding today (due at its end);
* ``owner`` (customer) and ``subcontractor`` (vendor, with an e-mail address);
* master data owned by the company, with codes starting with T so that they
  never clash with the shared master data the addon ships: ``division`` T03
  Concrete, ``cost_code`` T03-300 in it, ``division_finishes`` T09 with
  ``cost_code_paint`` T09-900, cost types ``labor`` (TL) and ``materials`` (TM);
* ``product`` a tax-free service used on every contract line;
* ``prime_contract`` (sale order, retainage 10% / 5%) with two SOV lines:
  ``sov_concrete`` T03-300 Labor 100,000 and ``sov_finishes`` division T09 50,000;
* ``commitment`` (purchase order, amount based, retainage 10% / 5%) with two
  SSOV lines: ``ssov_labor`` T03-300 Labor 60,000 and ``ssov_materials``
  T03-300 Materials 40,000;
* ``user`` a plain Progress Billing user and ``manager`` a Progress Billing
  administrator, both of the company only.

Builders (``_create_*``) make more of the same with other values, in the
company of the project or contract they are given (``_create_company`` makes
another one); the class environment is the superuser's, switch with
``with_user`` to test rights.
"""

from contextlib import contextmanager
from datetime import date, timedelta

from odoo import Command, api, fields
from odoo.tests import HttpCase, TransactionCase, new_test_user

from ..models.progress_billing_period import monthly_period_bounds

USER_GROUP = "progress_billing.group_progress_billing_user"
MANAGER_GROUP = "progress_billing.group_progress_billing_manager"
# what hangs on each kind of contract: its field on invoices and change orders
CONTRACT_KINDS = {
    "sale.order": {"field": "sale_order_id", "order_type": "prime", "invoice_model": "progress.billing.owner.invoice"},
    "purchase.order": {
        "field": "purchase_order_id", "order_type": "commitment", "invoice_model": "progress.billing.sub.invoice",
    },
}


def open_concurrent_transactions(case, uid, count=2):
    """``count`` environments of user ``uid``, each in a real transaction of
    its own, as two users clicking at once (account/tests/test_sequence_mixin.py).
    A step blocked behind another transaction fails instead of hanging the
    test run; the transactions are rolled back and closed when ``case`` is
    cleaned up, before the cleanups ``case`` registered earlier (its committed
    fixture's removal)."""
    envs = [api.Environment(case.registry.cursor(), uid, {}) for _index in range(count)]
    for env in envs:
        env.cr.execute("SET LOCAL lock_timeout = '10s'")

    def close():
        for env in envs:
            env.cr.rollback()
            env.cr.close()

    case.addCleanup(close)
    return envs


class ProgressBillingCase(TransactionCase):
    """Base class of the progress_billing tests (see the module docstring)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.company
        cls.currency = cls.company.currency_id
        cls.owner = cls.env["res.partner"].create({"name": "Owner Developments", "email": "owner@example.com"})
        cls.subcontractor = cls.env["res.partner"].create({"name": "Solid Concrete Ltd", "email": "sub@example.com"})
        cls.division = cls._create_division("T03", "Concrete")
        cls.cost_code = cls._create_cost_code("T03-300", "Cast-in-Place Concrete", cls.division)
        cls.division_finishes = cls._create_division("T09", "Finishes")
        cls.cost_code_paint = cls._create_cost_code("T09-900", "Painting", cls.division_finishes)
        CostType = cls.env["progress.billing.cost.type"]
        cls.labor = CostType.create({"code": "TL", "name": "Labor", "company_id": cls.company.id})
        cls.materials = CostType.create({"code": "TM", "name": "Materials", "company_id": cls.company.id})
        cls.product = cls.env["product.product"].create({
            "name": "Construction Work", "type": "service", "taxes_id": False, "supplier_taxes_id": False,
        })
        cls.project = cls._create_project("Riverside Tower")
        cls.period = cls._create_period(cls.project, *monthly_period_bounds(fields.Date.today(), 1))
        cls.prime_contract = cls._create_prime_contract(cls.project, [
            {"name": "Concrete", "cost_code_id": cls.cost_code.id, "cost_type_id": cls.labor.id, "price_unit": 100_000},
            {"name": "Finishes", "division_id": cls.division_finishes.id, "price_unit": 50_000},
        ])
        cls.sov_concrete, cls.sov_finishes = cls.prime_contract.order_line
        cls.commitment = cls._create_commitment(cls.project, [
            {"name": "Concrete labor", "cost_code_id": cls.cost_code.id, "cost_type_id": cls.labor.id, "price_unit": 60_000},
            {"name": "Concrete materials", "cost_code_id": cls.cost_code.id, "cost_type_id": cls.materials.id, "price_unit": 40_000},
        ])
        cls.ssov_labor, cls.ssov_materials = cls.commitment.order_line
        cls.user = cls._create_user("pb_user", USER_GROUP)
        cls.manager = cls._create_user("pb_manager", MANAGER_GROUP)

    # master data and users

    @classmethod
    def _create_division(cls, code, name, company=None):
        return cls.env["progress.billing.division"].create(
            {"code": code, "name": name, "company_id": (company or cls.company).id}
        )

    @classmethod
    def _create_cost_code(cls, code, name, division, company=None):
        return cls.env["progress.billing.cost.code"].create(
            {"code": code, "name": name, "division_id": division.id, "company_id": (company or cls.company).id}
        )

    @classmethod
    def _create_company(cls, name):
        """Another company in the currency of the test company."""
        return cls.env["res.company"].create({"name": name, "currency_id": cls.currency.id})

    @classmethod
    def _create_user(cls, login, group, company=None):
        """A user of ``company`` only (default: the test company) in ``group`` (an xml id)."""
        company = company or cls.company
        return new_test_user(
            cls.env, login, groups=group, context={"no_reset_password": True},
            company_id=company.id, company_ids=[Command.set(company.ids)], email=f"{login}@example.com",
        )

    # projects and billing periods

    @classmethod
    def _create_project(cls, name, company=None, **values):
        company = company or cls.company
        return (
            cls.env["project.project"].with_company(company).create({"name": name, "company_id": company.id, **values})
        )

    @classmethod
    def _create_period(cls, project, date_start, date_end, date_due=None, state="open"):
        """A billing period of ``project``, opened by default (which closes its other open period)."""
        period = cls.env["progress.billing.period"].create({
            "project_id": project.id, "date_start": date_start, "date_end": date_end, "date_due": date_due or date_end,
        })
        if state == "open":
            period.action_open()
        else:
            period.state = state
        return period

    @classmethod
    def _create_month_period(cls, project, year, month, state="open"):
        """The calendar month ``year``-``month`` as a billing period of ``project``."""
        return cls._create_period(project, *monthly_period_bounds(date(year, month, 1), 1), state=state)

    @classmethod
    def _create_next_period(cls, after=None, state="open"):
        """The calendar month after the period ``after`` (default: ``period``), in its project."""
        after = after or cls.period
        return cls._create_period(after.project_id, *monthly_period_bounds(after.date_end + timedelta(days=1), 1), state=state)

    # contracts

    @classmethod
    def _contract_lines(cls, line_values, quantity_field):
        """Contract line commands: each of ``line_values`` gives at least name and
        price_unit; the quantity is 1 unless given, the product is ``product``."""
        return [
            Command.create({"product_id": cls.product.id, quantity_field: 1, "tax_ids": False, **values})
            for values in line_values
        ]

    @classmethod
    def _create_prime_contract(cls, project, line_values, retainage=10.0, retainage_materials=5.0, **values):
        return cls.env["sale.order"].with_company(project.company_id).create({
            "is_prime_contract": True,
            "partner_id": cls.owner.id,
            "project_id": project.id,
            "retainage_rate": retainage,
            "retainage_rate_materials": retainage_materials,
            "order_line": cls._contract_lines(line_values, "product_uom_qty"),
            **values,
        })

    @classmethod
    def _create_commitment(cls, project, line_values, retainage=10.0, retainage_materials=5.0, **values):
        """A commitment of ``project``; pass ``accounting_method="unit"`` and
        lines with ``product_qty`` for a unit/quantity-based one."""
        return cls.env["purchase.order"].with_company(project.company_id).create({
            "is_commitment": True,
            "partner_id": cls.subcontractor.id,
            "project_id": project.id,
            "retainage_rate": retainage,
            "retainage_rate_materials": retainage_materials,
            "order_line": cls._contract_lines(line_values, "product_qty"),
            **values,
        })

    @classmethod
    def _create_change_order(cls, contract, line_values, state="approved", **values):
        """A PCCO (``contract`` is a sale order) or CCO (a purchase order) with
        ``line_values`` (name and amount, optionally the revised contract line)."""
        kind = CONTRACT_KINDS[contract._name]
        order = cls.env["progress.billing.change.order"].with_company(contract.company_id).create({
            "title": values.pop("title", "Change"),
            "order_type": kind["order_type"],
            kind["field"]: contract.id,
            "line_ids": [Command.create(line) for line in line_values],
            **values,
        })
        order.state = state
        return order

    # pay applications

    @classmethod
    def _create_invoice(cls, contract, period=None, amounts=None, **values):
        """A pay application of ``contract`` in ``period`` (default: ``period``):
        an owner invoice of a prime contract, a subcontractor invoice of a
        commitment; ``amounts`` maps contract lines to (work this period,
        materials presently stored)."""
        invoice = cls.env[CONTRACT_KINDS[contract._name]["invoice_model"]].with_company(contract.company_id).create({
            CONTRACT_KINDS[contract._name]["field"]: contract.id, "period_id": (period or cls.period).id, **values,
        })
        cls._bill(invoice, amounts or {})
        return invoice

    @classmethod
    def _create_sub_invoice(cls, period=None, commitment=None, amounts=None, **values):
        """A subcontractor invoice of ``commitment`` (default: ``commitment``), see ``_create_invoice``."""
        return cls._create_invoice(commitment or cls.commitment, period, amounts, **values)

    @classmethod
    def _create_owner_invoice(cls, period=None, prime_contract=None, amounts=None, **values):
        """An owner invoice of ``prime_contract`` (default: ``prime_contract``), see ``_create_invoice``."""
        return cls._create_invoice(prime_contract or cls.prime_contract, period, amounts, **values)

    @classmethod
    def _bill(cls, invoice, amounts):
        """Write (E, F) of ``amounts`` (source line -> pair) on the invoice lines billing them."""
        for source, (work, stored) in amounts.items():
            cls._line_of(invoice, source).write({"work_this_period": work, "materials_stored": stored})

    @staticmethod
    def _line_of(invoice, source):
        """The line of ``invoice`` billing ``source`` (a contract or change order line)."""
        line = invoice.line_ids.filtered(lambda line: line._billing_source() == source)
        assert len(line) == 1, f"{invoice.display_name} has {len(line)} lines billing {source.display_name}"
        return line

    @contextmanager
    def assertRaisesRegex(self, exception, expected_regex, msg=None):
        """unittest's check of the message, inside the savepoint of Odoo's
        ``assertRaises``: the refused operation leaves neither rows nor cache
        behind (unittest's own version would keep them). Context manager only."""
        with self.assertRaises(exception, msg=msg) as capture:
            yield capture
        self.assertRegex(str(capture.exception), expected_regex)

    def assertValues(self, record, expected):
        """Compare several fields of ``record`` at once, naming the ones that differ."""
        actual = {name: record[name] for name in expected}
        self.assertEqual(actual, expected, f"unexpected values on {record.display_name}")


class ProgressBillingHttpCase(ProgressBillingCase, HttpCase):
    """The fixtures of ``ProgressBillingCase``, called over JSON-RPC as the web client does."""

    def _call_kw(self, model, method, args, kwargs=None):
        """The JSON-RPC error of the call (a dict with ``name`` and ``message``), or None on success."""
        response = self.url_open(
            f"/web/dataset/call_kw/{model}/{method}",
            json={"jsonrpc": "2.0", "method": "call", "id": 1, "params": {
                "model": model, "method": method, "args": args, "kwargs": kwargs or {},
            }},
        )
        response.raise_for_status()
        error = response.json().get("error")
        return error and error["data"]

    def assertRefused(self, error, exception, fragment):
        self.assertTrue(error, "the call should have been refused")
        self.assertEqual(error["name"], f"odoo.exceptions.{exception}")
        self.assertRegex(error["message"], fragment)
