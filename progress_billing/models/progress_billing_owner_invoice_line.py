from odoo import fields, models


class ProgressBillingOwnerInvoiceLine(models.Model):
    """An owner invoice line: one Schedule of Values line (division or cost
    code) or one separately billed prime contract change order line."""

    _name = "progress.billing.owner.invoice.line"
    _inherit = ["progress.billing.billable.line.mixin"]
    _description = "Owner Invoice Line"
    _source_fields = ("sale_line_id", "change_order_line_id")

    invoice_id = fields.Many2one("progress.billing.owner.invoice", required=True)
    sale_line_id = fields.Many2one("sale.order.line", "Schedule of Values Line", index=True, ondelete="restrict")
    change_order_line_id = fields.Many2one("progress.billing.change.order.line", index=True, ondelete="restrict")
    division_id = fields.Many2one("progress.billing.division", index=True, ondelete="restrict")
