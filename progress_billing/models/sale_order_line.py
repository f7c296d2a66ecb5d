# Copyright 2026 Progress Billing Developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from odoo import _, api, fields, models
from odoo.exceptions import ValidationError


class SaleOrderLine(models.Model):
    """A Schedule of Values line: bills a division or a cost code (+ cost type)."""

    _name = "sale.order.line"
    _inherit = ["sale.order.line", "progress.billing.contract.line.mixin"]

    # the ordered quantity, in the unit of the line's invoiced quantities
    _ordered_quantity_field = "product_uom_qty"

    division_id = fields.Many2one("progress.billing.division", index=True, ondelete="restrict")
    change_order_line_ids = fields.One2many("progress.billing.change.order.line", "sale_line_id", string="Change Order Lines")

    @api.constrains("division_id", "cost_code_id")
    def _check_division_or_cost_code(self):
        """A Schedule of Values line bills by 'Division' or by 'Cost Code', not both
        (readme/USAGE.md, "Schedules of values and codes")."""
        for line in self:
            if line.division_id and line.cost_code_id:
                raise ValidationError(
                    _("Line “%(line)s” of %(contract)s bills both a division and a cost code: choose one.",
                      line=line.name, contract=line.order_id.display_name)
                )

    def _prepare_progress_billing_move_line(self, quantity, price_unit):
        """The customer invoice line of a pay application line, linked to this line
        (readme/USAGE.md, "Bills, invoices and retainage")."""
        return self._prepare_invoice_line(quantity=quantity, price_unit=price_unit, discount=0.0)
