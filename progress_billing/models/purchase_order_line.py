# Copyright 2026 Progress Billing Developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from odoo import api, fields, models


class PurchaseOrderLine(models.Model):
    """A Subcontractor Schedule of Values (SSOV) line."""

    _name = "purchase.order.line"
    _inherit = ["purchase.order.line", "progress.billing.contract.line.mixin"]

    # the ordered quantity, in the unit of the line's billed quantities
    _ordered_quantity_field = "product_qty"

    change_order_line_ids = fields.One2many(
        "progress.billing.change.order.line", "purchase_line_id", string="Change Order Lines"
    )
    amount_billed = fields.Monetary(
        "Billed Amount", compute="_compute_amount_billed",
        help="Untaxed amount of this line's vendor bills less its credit notes, cancelled ones excluded "
        "(the billed quantity of a line billed by amount is rounded, this amount is exact).",
    )

    @api.depends("invoice_lines.price_subtotal", "invoice_lines.move_id.state", "invoice_lines.move_id.move_type")
    def _compute_amount_billed(self):
        for line in self:
            line.amount_billed = sum(
                bill_line.price_subtotal * (-1 if bill_line.move_id.move_type == "in_refund" else 1)
                for bill_line in line.invoice_lines
                if bill_line.move_id.state != "cancel"
            )

    def _prepare_progress_billing_move_line(self, quantity, price_unit):
        """The vendor bill line of a pay application line, linked to this line
        (readme/USAGE.md, "Bills, invoices and retainage")."""
        return {**self._prepare_account_move_line(), "quantity": quantity, "price_unit": price_unit, "discount": 0.0}
