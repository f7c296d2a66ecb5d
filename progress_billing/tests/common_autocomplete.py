# Copyright 2026 Progress Billing Developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

"""Fixtures of the auto-completion tests, on top of ``ProgressBillingCase``.

``AutocompleteCase`` adds to the shared job:

* cost code ``cost_code_precast`` T03-310 in division T03 and cost type
  ``equipment`` (TE);
* on ``prime_contract``, next to ``sov_concrete`` (T03-300 Labor 100,000) and
  ``sov_finishes`` (division T09 50,000): ``sov_concrete_materials`` T03-300
  Materials 50,000 and ``sov_concrete_other`` division T03 20,000;
* on ``commitment``, next to ``ssov_labor`` and ``ssov_materials``:
  ``ssov_paint`` T09-900 Labor 30,000;
* ``unit_commitment`` (unit/quantity based): ``ssov_precast`` T03-310 Labor,
  100 units at 50.

``AutocompleteInvoiceCase`` adds ``owner_invoice`` in ``period`` with nothing
entered yet, to be auto-completed from ``sub_invoice`` (approved, 1,000 work
and 200 materials on ``ssov_labor``, landing on ``concrete_line``) and
``direct_cost`` (approved, 500 on T09-900 Labor, landing on ``finishes_line``
by its division).
"""

from contextlib import contextmanager

from odoo import Command

from .common import ProgressBillingCase


class AutocompleteCase(ProgressBillingCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.cost_code_precast = cls._create_cost_code("T03-310", "Precast Concrete", cls.division)
        cls.equipment = cls.env["progress.billing.cost.type"].create(
            {"code": "TE", "name": "Equipment", "company_id": cls.company.id}
        )
        cls.prime_contract.order_line = cls._contract_lines([
            {"name": "Concrete materials", "cost_code_id": cls.cost_code.id, "cost_type_id": cls.materials.id,
             "price_unit": 50_000},
            {"name": "Concrete, other", "division_id": cls.division.id, "price_unit": 20_000},
        ], "product_uom_qty")
        cls.sov_concrete_materials, cls.sov_concrete_other = cls.prime_contract.order_line[2:]
        cls.commitment.order_line = cls._contract_lines([
            {"name": "Painting labor", "cost_code_id": cls.cost_code_paint.id, "cost_type_id": cls.labor.id,
             "price_unit": 30_000},
        ], "product_qty")
        cls.ssov_paint = cls.commitment.order_line[2]
        cls.unit_commitment = cls._create_commitment(cls.project, [
            {"name": "Precast units", "cost_code_id": cls.cost_code_precast.id, "cost_type_id": cls.labor.id,
             "product_qty": 100, "price_unit": 50},
        ], accounting_method="unit")
        cls.ssov_precast = cls.unit_commitment.order_line

    @classmethod
    def _create_billed_sub_invoice(cls, commitment, amounts, state="approved", period=None):
        """A subcontractor invoice of ``commitment`` billing ``amounts`` (SSOV
        or change order line -> (work, materials), or quantity for a
        unit-based line), then set to ``state``."""
        invoice = cls._create_sub_invoice(period, commitment)
        for source, amount in amounts.items():
            line = cls._line_of(invoice, source)
            if line.is_unit_based:
                line.quantity_this_period = amount
            else:
                line.write({"work_this_period": amount[0], "materials_stored": amount[1]})
        invoice.state = state
        return invoice

    @classmethod
    def _create_direct_cost(cls, lines, date_received=None, state="approved", origin="manual", project=None):
        """A direct cost of ``lines`` (cost code, cost type, amount)."""
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
    def _create_funded_change(cls, amount, pcco_state="approved", cco_state="approved", pcco_amount=None,
                              revised_sov_line=None):
        """A change event line tying a PCCO line of ``pcco_amount`` (default
        ``amount``), billed on its own or revising ``revised_sov_line``, to a
        CCO line of ``amount`` on ``commitment`` billed on its own."""
        event = cls.env["progress.billing.change.event"].create({
            "title": "Extra slab", "project_id": cls.project.id,
            "line_ids": [Command.create({"name": "Extra slab", "cost_code_id": cls.cost_code.id})],
        })
        change_line = {
            "cost_code_id": cls.cost_code.id,
            "cost_type_id": cls.labor.id,
            "change_event_line_id": event.line_ids.id,
        }
        pcco = cls._create_change_order(cls.prime_contract, [{
            "name": "Extra slab", "amount": amount if pcco_amount is None else pcco_amount,
            "sale_line_id": revised_sov_line and revised_sov_line.id, **change_line,
        }], state=pcco_state)
        cco = cls._create_change_order(
            cls.commitment, [{"name": "Extra slab formwork", "amount": amount, **change_line}], state=cco_state
        )
        return pcco, cco

    def assertLineAmounts(self, invoice, expected):
        """``expected``: {SOV or change order line: (work, materials)}; every other line holds zeros."""
        for line in invoice.line_ids:
            self.assertEqual(
                (line.work_this_period, line.materials_stored), expected.get(line._billing_source(), (0, 0)),
                f"amounts of line “{line.name}”",
            )

    def _preview_line(self, wizard, owner_line):
        """The row of ``owner_line`` in the auto-completion preview ``wizard``: a dict of its ``preview_lines``."""
        [row] = [row for row in wizard.preview_lines if row["owner_line_id"] == owner_line.id]
        return row

    def _tick(self, wizard, owner_lines, apply=True):
        """Tick (``apply=False``: untick) ``owner_lines`` in the preview ``wizard``, as its list does: the json
        value written whole."""
        wizard.preview_lines = [
            dict(row, apply=apply) if row["owner_line_id"] in owner_lines.ids else row for row in wizard.preview_lines
        ]

    @contextmanager
    def _revising(self, direct_cost):
        """Revise an approved direct cost as an administrator does: reset it
        to draft, edit it in the ``with`` block, approve it again (an approved
        direct cost is locked, readme/CONFIGURE.md, "Workflow and locks")."""
        direct_cost.action_reset_to_draft()
        yield direct_cost
        direct_cost.action_approve()


class AutocompleteInvoiceCase(AutocompleteCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.sub_invoice = cls._create_billed_sub_invoice(cls.commitment, {cls.ssov_labor: (1000, 200)})
        cls.direct_cost = cls._create_direct_cost([(cls.cost_code_paint, cls.labor, 500)])
        cls.owner_invoice = cls._create_owner_invoice()
        cls.concrete_line = cls._line_of(cls.owner_invoice, cls.sov_concrete)
        cls.finishes_line = cls._line_of(cls.owner_invoice, cls.sov_finishes)

    def _preview(self, invoice=None, user=None):
        """The preview of auto-completing ``invoice`` (default: ``owner_invoice``) as ``user``."""
        invoice = (invoice or self.owner_invoice).with_user(user or self.env.user)
        action = invoice.action_autocomplete()
        return invoice.env[action["res_model"]].browse(action["res_id"])
