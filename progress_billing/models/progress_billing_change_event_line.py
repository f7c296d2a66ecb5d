# Copyright 2026 Progress Billing Developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from odoo import api, fields, models


class ProgressBillingChangeEventLine(models.Model):
    """Ties one PCCO line (revenue) to the CCO lines (cost) of the same change."""

    _name = "progress.billing.change.event.line"
    _description = "Change Event Line"

    change_event_id = fields.Many2one("progress.billing.change.event", required=True, index=True, ondelete="cascade")
    company_id = fields.Many2one(related="change_event_id.company_id", store=True)
    name = fields.Char("Description", required=True)
    cost_code_id = fields.Many2one("progress.billing.cost.code", ondelete="restrict")
    cost_type_id = fields.Many2one("progress.billing.cost.type", ondelete="restrict")
    change_order_line_ids = fields.One2many("progress.billing.change.order.line", "change_event_line_id", string="Change Order Lines")
    prime_line_id = fields.Many2one(
        "progress.billing.change.order.line", "PCCO Line", compute="_compute_change_order_lines"
    )
    commitment_line_ids = fields.Many2many(
        "progress.billing.change.order.line", string="CCO Lines", compute="_compute_change_order_lines"
    )

    @api.ondelete(at_uninstall=False)
    def _unlink_except_approved_change_order(self):
        """readme/CONFIGURE.md, "Workflow and locks": deleting a change event line would unlink it from the
        lines of approved change orders (locked) behind their back."""
        self.change_order_line_ids.change_order_id._check_unlocked()

    @api.depends("change_order_line_ids.order_type")
    def _compute_change_order_lines(self):
        for line in self:
            by_type = line.change_order_line_ids.grouped("order_type")
            line.prime_line_id = by_type.get("prime", self.env["progress.billing.change.order.line"])[:1]
            line.commitment_line_ids = by_type.get("commitment", self.env["progress.billing.change.order.line"])
