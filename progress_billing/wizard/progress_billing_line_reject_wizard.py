# Copyright 2026 Progress Billing Developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from odoo import fields, models


class ProgressBillingLineRejectWizard(models.TransientModel):
    """Asks the reviewer why subcontractor invoice lines are rejected (readme/USAGE.md, "Pay applications":
    a reviewer rejects each line with a reason)."""

    _name = "progress.billing.line.reject.wizard"
    _description = "Reject Subcontractor Invoice Lines"

    line_ids = fields.Many2many(
        "progress.billing.sub.invoice.line", "progress_billing_line_reject_wizard_line_rel", string="Lines", required=True
    )
    reason = fields.Char(required=True, help="Sent to the subcontractor with the request to revise and resubmit.")

    def action_confirm(self):
        self.ensure_one()
        self.line_ids._review("rejected", self.reason)
        return {"type": "ir.actions.act_window_close"}
