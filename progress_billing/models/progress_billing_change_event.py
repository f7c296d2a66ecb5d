# Copyright 2026 Progress Billing Developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from odoo import fields, models


class ProgressBillingChangeEvent(models.Model):
    """A potential change of a project; its lines tie a PCCO line to the CCO
    lines that fund it (readme/USAGE.md, "Auto-completing owner invoices": CCO billed amounts follow the change
    event)."""

    _name = "progress.billing.change.event"
    _description = "Change Event"
    _inherit = ["progress.billing.sequence.mixin", "mail.thread", "mail.activity.mixin"]
    _order = "id desc"
    _check_company_auto = True
    _sequence_code = "progress.billing.change.event"

    title = fields.Char(required=True, tracking=True)
    project_id = fields.Many2one("project.project", required=True, index=True, check_company=True)
    company_id = fields.Many2one(related="project_id.company_id", store=True, index=True)
    state = fields.Selection(
        [("open", "Open"), ("pending", "Pending"), ("closed", "Closed"), ("void", "Void")],
        default="open", required=True, tracking=True,
    )
    line_ids = fields.One2many("progress.billing.change.event.line", "change_event_id", string="Lines", copy=True)

    def action_pending(self):
        self.state = "pending"

    def action_close(self):
        self.state = "closed"

    def action_void(self):
        self.state = "void"

    def action_reopen(self):
        self.state = "open"
