# Copyright 2026 Progress Billing Developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from odoo import api, fields, models


class ProgressBillingDirectCost(models.Model):
    """A cost the contractor incurred itself (invoice, expense, payroll), entered
    in the Direct Costs tool or synced from an ERP (readme/USAGE.md, "Auto-completing owner invoices")."""

    _name = "progress.billing.direct.cost"
    _description = "Direct Cost"
    _inherit = ["progress.billing.sequence.mixin", "progress.billing.workflow.mixin", "mail.thread", "mail.activity.mixin"]
    _order = "date_received desc, id desc"
    _check_company_auto = True
    _sequence_code = "progress.billing.direct.cost"
    # readme/CONFIGURE.md, "Workflow and locks": an approved direct cost is copied onto owner invoices. The
    # paid date stays editable: it is recorded after approval and feeds no figure.
    _locked_states = ("approved",)
    _locked_fields = (
        "project_id", "partner_id", "cost_type", "origin", "erp_reference", "invoice_number", "date",
        "date_received", "line_ids",
    )
    _protected_fields = ("amount_total", "company_id")

    project_id = fields.Many2one("project.project", required=True, index=True, check_company=True, tracking=True)
    company_id = fields.Many2one(related="project_id.company_id", store=True, index=True)
    currency_id = fields.Many2one("res.currency", compute="_compute_currency_id")
    partner_id = fields.Many2one("res.partner", "Vendor", tracking=True)
    cost_type = fields.Selection(
        [("invoice", "Invoice"), ("expense", "Expense"), ("payroll", "Payroll")], default="invoice", required=True
    )
    state = fields.Selection(
        [("draft", "Draft"), ("pending", "Pending"), ("revise_resubmit", "Revise and Resubmit"), ("approved", "Approved")],
        default="draft", required=True, tracking=True, index=True,
    )
    origin = fields.Selection(
        [("manual", "Direct Costs Tool"), ("erp", "ERP Integration")],
        default="manual", required=True, index=True,
        help="Direct costs synced from an ERP are never copied to owner invoices.",
    )
    erp_reference = fields.Char("ERP Reference")
    invoice_number = fields.Char("Vendor Invoice #")
    date = fields.Date(default=fields.Date.context_today, required=True)
    date_received = fields.Date("Date Received", required=True, default=fields.Date.context_today, tracking=True, index=True)
    date_paid = fields.Date("Paid Date")
    description = fields.Text()
    line_ids = fields.One2many("progress.billing.direct.cost.line", "direct_cost_id", string="Lines", copy=True)
    amount_total = fields.Monetary(compute="_compute_amount_total", store=True)

    @api.depends("company_id")
    @api.depends_context("company")
    def _compute_currency_id(self):
        """Amounts are in the company currency; a project shared by every
        company (none set) bills in the current company's (otherwise the
        Direct Costs list shows amounts without a currency)."""
        for cost in self:
            cost.currency_id = cost.company_id.currency_id or self.env.company.currency_id

    @api.depends("line_ids.amount")
    def _compute_amount_total(self):
        for cost in self:
            cost.amount_total = sum(cost.line_ids.mapped("amount"))

    def action_submit(self):
        self._change_state("pending", ("draft", "revise_resubmit"))

    def action_approve(self):
        """Only approved direct costs reach owner invoices: a reviewer's step."""
        self._change_state("approved", ("draft", "pending"), manager_only=True)

    def action_request_revision(self):
        self._change_state("revise_resubmit", ("pending", "approved"), manager_only=True)

    def action_reset_to_draft(self):
        self._change_state("draft", ("pending", "revise_resubmit", "approved"), manager_only=True)
