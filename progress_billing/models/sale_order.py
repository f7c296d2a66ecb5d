# Copyright 2026 Progress Billing Developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from odoo import api, fields, models


class SaleOrder(models.Model):
    """A prime contract: the general contractor's contract with the owner."""

    _name = "sale.order"
    _inherit = ["sale.order", "progress.billing.contract.mixin"]

    is_prime_contract = fields.Boolean("Prime Contract", index=True, copy=False)
    change_order_ids = fields.One2many("progress.billing.change.order", "sale_order_id", string="Prime Contract Change Orders")
    retention_rule_ids = fields.One2many(
        "progress.billing.retention.rule", "sale_order_id", string="Retention Rules", copy=True,
        help="Up to five sliding-scale rules, in order; where set they replace the retainage rates above, and a line "
        "with a rate of its own keeps it.",
    )
    retention_stage_ids = fields.One2many(
        "progress.billing.retention.stage", "sale_order_id", string="Retention Release Stages", copy=True
    )
    retention_guarantee_ids = fields.One2many(
        "progress.billing.retention.guarantee", "sale_order_id", string="Retention Guarantees"
    )
    owner_invoice_ids = fields.One2many("progress.billing.owner.invoice", "sale_order_id", string="Owner Invoices")
    owner_invoice_count = fields.Integer(compute="_compute_owner_invoice_count")

    _contract_flag_field = "is_prime_contract"
    _change_order_field = "sale_order_id"
    _change_order_type = "prime"
    _applications_field = "owner_invoice_ids"
    _applications_action = "progress_billing.action_progress_billing_owner_invoice"
    _confirmed_state = "sale"

    @api.depends("owner_invoice_ids")
    def _compute_owner_invoice_count(self):
        for order in self:
            order.owner_invoice_count = len(order.owner_invoice_ids)

    @api.depends("partner_id", "project_id")
    @api.depends_context("progress_billing_contract_picker")
    def _compute_display_name(self):
        super()._compute_display_name()
        self._set_picker_display_name()

    def _create_invoices(self, grouped=False, final=False, date=None):
        self._check_billed_by_applications()
        return super()._create_invoices(grouped=grouped, final=final, date=date)
