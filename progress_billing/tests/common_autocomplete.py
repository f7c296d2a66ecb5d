"""Fixtures of the auto-completion tests.

``AutocompleteCase`` builds, once per class, a job in the current company
with master data coded with an A prefix (never clashing with shipped data):

* divisions A03 Concrete (cost codes A03-300, A03-310) and A05 Metals (A05-120);
  cost types AL Labor, AM Materials, AE Equipment;
* ``project`` with the Open billing ``period`` holding today;
* ``prime_contract`` (retainage 10% on work, 5% on stored materials) whose
  Schedule of Values is ``sov_concrete_labor`` A03-300/AL 100,000,
  ``sov_concrete_materials`` A03-300/AM 50,000, ``sov_metals`` division A05
  80,000 and ``sov_concrete`` division A03 20,000;
* ``commitment`` (amount based) with SSOV lines A03-300/AL 60,000,
  A03-300/AM 40,000 and A05-120/AL 30,000;
* ``unit_commitment`` (unit/quantity based): A03-310/AL, 100 units at 50.

Builders (``_create_*``) make invoices, direct costs and change orders.
"""

from odoo import Command, fields
from odoo.tests import TransactionCase, new_test_user

from ..models.progress_billing_period import monthly_period_bounds


class AutocompleteCase(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.currency = cls.env.company.currency_id
        Division = cls.env["progress.billing.division"]
        CostCode = cls.env["progress.billing.cost.code"]
        CostType = cls.env["progress.billing.cost.type"]
        cls.concrete = Division.create({"code": "A03", "name": "Concrete"})
        cls.metals = Division.create({"code": "A05", "name": "Metals"})
        cls.code_concrete = CostCode.create({"code": "A03-300", "name": "Cast-in-Place", "division_id": cls.concrete.id})
        cls.code_precast = CostCode.create({"code": "A03-310", "name": "Precast", "division_id": cls.concrete.id})
        cls.code_steel = CostCode.create({"code": "A05-120", "name": "Structural Steel", "division_id": cls.metals.id})
        cls.labor = CostType.create({"code": "AL", "name": "Labor"})
        cls.materials = CostType.create({"code": "AM", "name": "Materials"})
        cls.equipment = CostType.create({"code": "AE", "name": "Equipment"})
        cls.product = cls.env["product.product"].create({
            "name": "Construction Work", "type": "service", "taxes_id": False, "supplier_taxes_id": False,
        })
        cls.customer = cls.env["res.partner"].create({"name": "Owner Developments"})
        cls.vendor = cls.env["res.partner"].create({"name": "Solid Concrete Ltd"})
        cls.project = cls.env["project.project"].create({"name": "Riverside Tower", "company_id": cls.env.company.id})
        cls.period = cls._create_period(*monthly_period_bounds(fields.Date.context_today(cls.env.user), 1))
        cls.period.action_open()
        cls.prime_contract = cls._create_prime_contract([
            ("Concrete labor", {"cost_code_id": cls.code_concrete.id, "cost_type_id": cls.labor.id}, 100_000),
            ("Concrete materials", {"cost_code_id": cls.code_concrete.id, "cost_type_id": cls.materials.id}, 50_000),
            ("Metals", {"division_id": cls.metals.id}, 80_000),
            ("Concrete, other", {"division_id": cls.concrete.id}, 20_000),
        ])
        cls.sov_concrete_labor, cls.sov_concrete_materials, cls.sov_metals, cls.sov_concrete = cls.prime_contract.order_line
        cls.commitment = cls._create_commitment([
            ("Formwork labor", cls.code_concrete, cls.labor, 1, 60_000),
            ("Concrete supply", cls.code_concrete, cls.materials, 1, 40_000),
            ("Steel erection", cls.code_steel, cls.labor, 1, 30_000),
        ])
        cls.unit_commitment = cls._create_commitment([("Precast units", cls.code_precast, cls.labor, 100, 50)], "unit")

    @classmethod
    def _create_period(cls, date_start, date_end, project=None):
        return cls.env["progress.billing.period"].create({
            "project_id": (project or cls.project).id, "date_start": date_start, "date_end": date_end, "date_due": date_end,
        })

    @classmethod
    def _create_prime_contract(cls, lines, project=None):
        """``lines``: (description, matching fields, scheduled value)."""
        return cls.env["sale.order"].create({
            "partner_id": cls.customer.id,
            "project_id": (project or cls.project).id,
            "is_prime_contract": True,
            "retainage_rate": 10,
            "retainage_rate_materials": 5,
            "order_line": [
                Command.create({"name": name, "product_id": cls.product.id, "product_uom_qty": 1, "price_unit": value, **keys})
                for name, keys, value in lines
            ],
        })

    @classmethod
    def _create_commitment(cls, lines, accounting_method="amount", project=None):
        """``lines``: (description, cost code, cost type, quantity, unit price)."""
        return cls.env["purchase.order"].create({
            "partner_id": cls.vendor.id,
            "project_id": (project or cls.project).id,
            "is_commitment": True,
            "accounting_method": accounting_method,
            "order_line": [
                Command.create({
                    "name": name, "product_id": cls.product.id, "product_qty": quantity, "price_unit": price,
                    "cost_code_id": code.id, "cost_type_id": cost_type.id,
                })
                for name, code, cost_type, quantity, price in lines
            ],
        })

    @classmethod
    def _create_sub_invoice(cls, commitment, amounts, state="approved", period=None):
        """A subcontractor invoice of ``commitment`` billing ``amounts``, one
        (work, materials) pair, or quantity for unit-based lines, per line in
        line order; its status is then set to ``state``."""
        invoice = cls.env["progress.billing.sub.invoice"].create({
            "purchase_order_id": commitment.id, "period_id": (period or cls.period).id,
        })
        for line, amount in zip(invoice.line_ids, amounts, strict=False):
            if line.is_unit_based:
                line.quantity_this_period = amount
            else:
                line.write({"work_this_period": amount[0], "materials_stored": amount[1]})
        invoice.state = state
        return invoice

    @classmethod
    def _create_direct_cost(cls, lines, date_received=None, state="approved", origin="manual", project=None):
        """``lines``: (cost code, cost type, amount)."""
        return cls.env["progress.billing.direct.cost"].create({
            "project_id": (project or cls.project).id,
            "date_received": date_received or cls.period.date_start,
            "state": state,
            "origin": origin,
            "line_ids": [
                Command.create({"name": f"{code.code} {cost_type.name}", "cost_code_id": code.id,
                                "cost_type_id": cost_type.id, "amount": amount})
                for code, cost_type, amount in lines
            ],
        })

    @classmethod
    def _create_change_orders(cls, amount, pcco_state="approved", cco_state="approved", pcco_amount=None,
                              revised_sov_line=None):
        """A change event line tying a PCCO line (of ``pcco_amount``, revising
        ``revised_sov_line`` or billed on its own) to a CCO line of
        ``amount`` on ``commitment`` billed on its own."""
        event = cls.env["progress.billing.change.event"].create({
            "title": "Extra slab", "project_id": cls.project.id,
            "line_ids": [Command.create({"name": "Extra slab", "cost_code_id": cls.code_concrete.id})],
        })
        ChangeOrder = cls.env["progress.billing.change.order"]
        pcco = ChangeOrder.create({
            "title": "Extra slab", "order_type": "prime", "sale_order_id": cls.prime_contract.id,
            "line_ids": [Command.create({
                "name": "Extra slab", "amount": amount if pcco_amount is None else pcco_amount,
                "cost_code_id": cls.code_concrete.id, "cost_type_id": cls.labor.id,
                "change_event_line_id": event.line_ids.id,
                "sale_line_id": revised_sov_line and revised_sov_line.id,
            })],
        })
        cco = ChangeOrder.create({
            "title": "Extra slab", "order_type": "commitment", "purchase_order_id": cls.commitment.id,
            "line_ids": [Command.create({
                "name": "Extra slab formwork", "amount": amount, "cost_code_id": cls.code_concrete.id,
                "cost_type_id": cls.labor.id, "change_event_line_id": event.line_ids.id,
            })],
        })
        pcco.state, cco.state = pcco_state, cco_state
        return pcco, cco

    @classmethod
    def _create_owner_invoice(cls, period=None, contract=None):
        return cls.env["progress.billing.owner.invoice"].create({
            "sale_order_id": (contract or cls.prime_contract).id, "period_id": (period or cls.period).id,
        })

    @classmethod
    def _create_user(cls, login, group):
        return new_test_user(cls.env, login=login, groups=group, company_id=cls.env.company.id)

    def _line_of(self, invoice, source):
        """The owner invoice line billing a SOV line or a change order line."""
        field = "sale_line_id" if source._name == "sale.order.line" else "change_order_line_id"
        return invoice.line_ids.filtered(lambda line: line[field] == source)

    def assertLineAmounts(self, invoice, expected):
        """``expected``: {SOV or change order line: (work, materials)}; every other line holds zeros."""
        for line in invoice.line_ids:
            source = line.sale_line_id or line.change_order_line_id
            self.assertEqual(
                (line.work_this_period, line.materials_stored), expected.get(source, (0, 0)),
                f"amounts of line “{line.name}”",
            )
