from odoo import api, fields, models


class PurchaseOrder(models.Model):
    """A commitment: a subcontract or purchase order with a subcontractor."""

    _name = "purchase.order"
    _inherit = ["purchase.order", "progress.billing.contract.mixin"]

    is_commitment = fields.Boolean("Commitment", index=True, copy=False)
    commitment_type = fields.Selection(
        [("subcontract", "Subcontract"), ("purchase_order", "Purchase Order")], default="subcontract"
    )
    accounting_method = fields.Selection(
        [("amount", "Amount Based"), ("unit", "Unit/Quantity Based")],
        default="amount",
        required=True,
        help="Unit/quantity-based commitments bill quantity × unit price and have no stored materials.",
    )
    change_order_ids = fields.One2many("progress.billing.change.order", "purchase_order_id", string="Commitment Change Orders")
    retention_rule_ids = fields.One2many(
        "progress.billing.retention.rule", "purchase_order_id", string="Retention Rules", copy=True,
        help="Up to five sliding-scale rules, in order; where set they replace the retainage rates above, and a line "
        "with a rate of its own keeps it.",
    )
    sub_invoice_ids = fields.One2many("progress.billing.sub.invoice", "purchase_order_id", string="Subcontractor Invoices")
    sub_invoice_count = fields.Integer(compute="_compute_sub_invoice_count")

    _contract_flag_field = "is_commitment"
    _change_order_field = "purchase_order_id"
    _change_order_type = "commitment"
    _applications_field = "sub_invoice_ids"
    _applications_action = "progress_billing.action_progress_billing_sub_invoice"
    _confirmed_state = "purchase"

    @api.depends("partner_id", "project_id")
    @api.depends_context("progress_billing_contract_picker")
    def _compute_display_name(self):
        super()._compute_display_name()
        self._set_picker_display_name()

    @api.depends("sub_invoice_ids")
    def _compute_sub_invoice_count(self):
        for order in self:
            order.sub_invoice_count = len(order.sub_invoice_ids)

    def action_create_invoice(self, attachment_ids=False):
        self._check_billed_by_applications()
        return super().action_create_invoice(attachment_ids)
