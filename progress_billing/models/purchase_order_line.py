from odoo import fields, models


class PurchaseOrderLine(models.Model):
    """A Subcontractor Schedule of Values (SSOV) line."""

    _name = "purchase.order.line"
    _inherit = ["purchase.order.line", "progress.billing.contract.line.mixin"]

    change_order_line_ids = fields.One2many(
        "progress.billing.change.order.line", "purchase_line_id", string="Change Order Lines"
    )
