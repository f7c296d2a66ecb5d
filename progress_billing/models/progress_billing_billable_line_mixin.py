# Copyright 2026 Progress Billing Developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from math import copysign

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import float_round
from odoo.tools.misc import format_amount

from ..tools.g703 import G703Line

# how far the billed quantity of an amount-based line may move (in steps of the
# quantity precision) to find a unit price whose product is exactly the amount
MAX_QUANTITY_NUDGE = 100


class ProgressBillingBillableLineMixin(models.AbstractModel):
    """A pay application line as it is billed in accounting.

    A line bills the increase of G (completed and stored to date) since the
    previous application of the contract, not E + F: materials stored on an
    earlier application and installed this period move from F to E and were
    already billed when stored. Likewise the retainage withheld this period is
    the increase of the retainage on work and stored materials. Summed over the
    lines, billed amount less retainage withheld plus retainage released is
    (ΣG − ΣI) − (ΣG − ΣI of the previous application) = G702 line 6 − line 7 =
    line 8, the current payment due."""

    _name = "progress.billing.billable.line.mixin"
    _inherit = ["progress.billing.application.line.mixin"]
    _description = "Billable Pay Application Line"

    amount_to_bill = fields.Monetary(
        "Billed This Period", compute="_compute_amounts_to_bill",
        help="Increase of G since the previous application: the work completed this period plus the change of the "
        "materials presently stored (materials installed this period were billed when they were stored).",
    )
    retainage_withheld = fields.Monetary(
        "Retainage Withheld This Period", compute="_compute_amounts_to_bill",
        help="Increase of the retainage on completed work and stored materials since the previous application.",
    )

    def _contract_line(self):
        """The Schedule of Values / SSOV line this line bills (empty for a change order line billed on its own)."""
        return self[self._source_fields[0]]

    @api.depends(
        "total_completed", "retainage_work", "retainage_on_materials", "invoice_id.state", "invoice_id.period_id"
    )
    def _compute_amounts_to_bill(self):
        """ΔG and ΔI against the previous application (see the class
        docstring), on the figures the applications work out for all their
        lines at once (``_g703_lines``)."""
        # the previous applications, worked out on the way for the retention, are not worked out again
        earlier_figures = {}
        figures = self._g703_figures(earlier_figures=earlier_figures)
        previous_by_source = {}
        for invoice in self.invoice_id:
            previous_application = invoice._previous_application()
            previous_by_source[invoice] = {
                figure.source: figure
                for figure in previous_application._g703_lines(earlier_figures=earlier_figures).values()
            } if previous_application else {}
        amounts = {}
        for line in self:
            figure = figures.get(line) or G703Line()
            previous = previous_by_source.get(line.invoice_id, {}).get(figure.source) or G703Line()
            amounts[line] = {
                "amount_to_bill": figure.total_completed - previous.total_completed,
                "retainage_withheld": figure.retainage_work + figure.retainage_on_materials
                - previous.retainage_work - previous.retainage_on_materials,
            }
        self._set_computed_amounts(amounts)

    def _retainage_held_before(self):
        """Each line -> the retainage held on it as of the previous application
        of its contract (column I of the line billing the same source there;
        nothing without one): what this line can release at most."""
        return {line: previous.retainage for line, previous in self._previous_lines().items()}

    @api.constrains("retainage_released")
    def _check_retainage_released(self):
        """Retainage released is bounded (readme/CONFIGURE.md, "Accounting"): never negative, never
        more than the retainage held on the line as of the previous
        application, whatever way it is written (form, import, JSON-RPC, the
        release wizard)."""
        held_before = self._retainage_held_before()
        for line in self:
            currency = line.currency_id
            held = max(held_before[line], 0.0)
            if currency.compare_amounts(line.retainage_released, 0) < 0 or currency.compare_amounts(
                line.retainage_released, held
            ) > 0:
                raise ValidationError(
                    self.env._(
                        "Line “%(line)s” of %(invoice)s cannot "
                        "release %(released)s of retainage: it held %(held)s as of "
                        "the previous application, and a release is between 0 and that amount.",
                        line=line.name,
                        invoice=line.invoice_id.display_name,
                        released=format_amount(self.env, line.retainage_released, currency),
                        held=format_amount(self.env, held, currency),
                    )
                )

    def _has_amount_to_bill(self):
        currency = self.company_id.currency_id
        return any(
            not currency.is_zero(amount)
            for line in self
            for amount in (line.amount_to_bill, line.retainage_withheld, line.retainage_released)
        )

    def _prepare_move_line_values(self):
        """Values of the bill / invoice line billing ``amount_to_bill``: linked to
        the contract line (so that the order's billed quantities and amounts
        follow), with its taxes, its quantity share and a unit price that makes
        the line's untaxed amount exactly ``amount_to_bill``."""
        self.ensure_one()
        contract_line = self._contract_line()
        if not contract_line:
            return self._prepare_change_order_move_line_values()
        taxes_included = contract_line.tax_ids.filtered("price_include")
        if taxes_included:
            raise UserError(
                self.env._(
                    "Line “%(line)s” of %(contract)s has taxes "
                    "included in its price (%(taxes)s): progress billing bills "
                    "untaxed amounts, use taxes excluded from the price.",
                    line=contract_line.name,
                    contract=contract_line.order_id.display_name,
                    taxes=", ".join(taxes_included.mapped("name")),
                )
            )
        quantity, price_unit = self._billed_quantity_and_price(contract_line)
        return contract_line._prepare_progress_billing_move_line(quantity, price_unit)

    def _prepare_change_order_move_line_values(self):
        """A change order line billed on its own has no contract line: it bills
        one unit at its amount, with the taxes every contract line shares."""
        contract = self.invoice_id._contract()
        tax_sets = {line.tax_ids for line in contract._schedule_of_values()}
        if len(tax_sets) > 1:
            raise UserError(
                self.env._(
                    "Line “%(line)s” of %(invoice)s bills a "
                    "change order line on its own, but the lines of %(contract)s "
                    "have different taxes: make the change order revise one of the contract's lines instead.",
                    line=self.name,
                    invoice=self.invoice_id.display_name,
                    contract=contract.display_name,
                )
            )
        taxes = tax_sets.pop() if tax_sets else self.env["account.tax"]
        return {
            "name": f"{self.change_order_line_id.change_order_id.display_name}: {self.name}",
            "quantity": 1.0,
            "price_unit": self.amount_to_bill,
            "tax_ids": [fields.Command.set(taxes.ids)],
        }

    def _billed_quantity_and_price(self, contract_line):
        """Quantity of ``contract_line`` billed this period and the unit price
        making quantity × price exactly ``amount_to_bill``.

        An amount-based line bills the share of the contract line's quantity
        that brings the order's billed quantity to G / C of its quantity (the
        billed fraction of the revised scheduled value), rounded to the
        quantity precision; fully billed lines thus end fully billed in Odoo.
        The unit price carries the exact amount. Lines billed by quantity
        override this."""
        currency = self.company_id.currency_id
        digits = self.env["decimal.precision"].precision_get("Product Unit")
        # not qty_invoiced: purchase keeps a stale one once every bill of the line is cancelled
        billed_to_date = contract_line._prepare_qty_invoiced()[contract_line]
        if currency.is_zero(self.scheduled_value):
            target = billed_to_date
        else:
            ordered = contract_line[contract_line._ordered_quantity_field]
            target = ordered * self.total_completed / self.scheduled_value
        quantity = float_round(float_round(target, precision_digits=digits) - billed_to_date, precision_digits=digits)
        return self._exact_unit_price(quantity, 10 ** -digits)

    def _exact_unit_price(self, quantity, step):
        """(quantity, unit price) with quantity × price = ``amount_to_bill`` to
        the cent at the price precision. A quantity of at most one always has
        such a price; a larger one may need to move a few steps, and a billed
        amount whose quantity share rounds to zero bills one step."""
        amount = self.amount_to_bill
        currency = self.company_id.currency_id
        price_digits = self.env["decimal.precision"].precision_get("Product Price")
        if not quantity:
            quantity = copysign(step, amount)
        for nudge in sorted(range(-MAX_QUANTITY_NUDGE, MAX_QUANTITY_NUDGE + 1), key=abs):
            candidate = float_round(quantity + nudge * step, precision_rounding=step)
            if not candidate:
                continue
            price_unit = float_round(amount / candidate, precision_digits=price_digits)
            if currency.compare_amounts(candidate * price_unit, amount) == 0:
                return candidate, price_unit
        raise UserError(
            self.env._(
                "No unit price bills exactly %(amount)s for line “%(line)s” of %(invoice)s: raise the precision of "
                "“Product Price” or give the contract line a quantity of 1.",
                amount=amount,
                line=self.name,
                invoice=self.invoice_id.display_name,
            )
        )
