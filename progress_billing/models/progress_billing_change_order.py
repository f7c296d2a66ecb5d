# Copyright 2026 Progress Billing Developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

CHANGE_ORDER_STATES = [
    ("draft", "Draft"),
    ("pending", "Pending"),
    ("approved", "Approved"),
    ("rejected", "Rejected"),
    ("no_charge", "No Charge"),
    ("void", "Void"),
]


class ProgressBillingChangeOrder(models.Model):
    """A prime contract change order (PCCO) or commitment change order (CCO);
    approved ones raise the contract sum."""

    _name = "progress.billing.change.order"
    _description = "Change Order"
    _inherit = ["progress.billing.sequence.mixin", "progress.billing.workflow.mixin", "mail.thread", "mail.activity.mixin"]
    _order = "date desc, id desc"
    _check_company_auto = True
    # readme/CONFIGURE.md, "Workflow and locks": an approved change order counts in its contract's sum and pay
    # applications
    _locked_states = ("approved",)
    _locked_fields = ("order_type", "sale_order_id", "purchase_order_id", "company_id", "date", "line_ids")
    _protected_fields = ("amount_total", "project_id")

    title = fields.Char(required=True, tracking=True)
    order_type = fields.Selection(
        [("prime", "Prime Contract Change Order"), ("commitment", "Commitment Change Order")],
        required=True, default="commitment", index=True,
    )
    sale_order_id = fields.Many2one(
        "sale.order", "Prime Contract", index=True, ondelete="cascade", check_company=True,
        domain="[('is_prime_contract', '=', True)]",
    )
    purchase_order_id = fields.Many2one(
        "purchase.order", "Commitment", index=True, ondelete="cascade", check_company=True,
        domain="[('is_commitment', '=', True)]",
    )
    project_id = fields.Many2one("project.project", compute="_compute_project_id", store=True, index=True)
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company, index=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    date = fields.Date(default=fields.Date.context_today, required=True)
    state = fields.Selection(CHANGE_ORDER_STATES, default="draft", required=True, tracking=True, index=True)
    description = fields.Html()
    line_ids = fields.One2many("progress.billing.change.order.line", "change_order_id", string="Lines", copy=True)
    amount_total = fields.Monetary(compute="_compute_amount_total", store=True)

    @api.depends("sale_order_id.project_id", "purchase_order_id.project_id", "order_type")
    def _compute_project_id(self):
        for order in self:
            order.project_id = order._contract().project_id

    @api.depends("line_ids.amount")
    def _compute_amount_total(self):
        for order in self:
            order.amount_total = sum(order.line_ids.mapped("amount"))

    def _sequence_code_for(self, vals):
        return "progress.billing.pcco" if vals.get("order_type") == "prime" else "progress.billing.cco"

    def _contract(self):
        self.ensure_one()
        return self.sale_order_id if self.order_type == "prime" else self.purchase_order_id

    @api.constrains("order_type", "sale_order_id", "purchase_order_id")
    def _check_contract(self):
        for order in self:
            expected, other = (
                (order.sale_order_id, order.purchase_order_id) if order.order_type == "prime"
                else (order.purchase_order_id, order.sale_order_id)
            )
            if not expected or other:
                raise ValidationError(
                    _("Change order %(order)s must belong to exactly one %(kind)s.",
                      order=order.display_name,
                      kind=_("prime contract") if order.order_type == "prime" else _("commitment"))
                )

    def action_submit(self):
        self._change_state("pending", ("draft",))

    def action_approve(self):
        """Approved change orders raise the contract sum: a reviewer's step."""
        self._change_state("approved", ("draft", "pending"), manager_only=True)

    def action_reject(self):
        self._change_state("rejected", ("draft", "pending"), manager_only=True)

    def action_no_charge(self):
        self._change_state("no_charge", ("draft", "pending"), manager_only=True)

    def action_void(self):
        self._change_state("void", ("draft", "pending", "approved", "rejected", "no_charge"), manager_only=True)

    def action_reset_to_draft(self):
        self._change_state("draft", ("pending", "rejected", "no_charge", "void"), manager_only=True)
