# Copyright 2026 Progress Billing Developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from odoo import fields, models


class ProgressBillingOwnerInvoiceAutocompleteLine(models.TransientModel):
    """One owner invoice line in the auto-completion preview: its amounts
    now and after, the sources behind them, and what changed since the last
    auto-completion."""

    _name = "progress.billing.owner.invoice.autocomplete.line"
    _description = "Auto-Completion Preview Line"

    wizard_id = fields.Many2one("progress.billing.owner.invoice.autocomplete", required=True, ondelete="cascade")
    currency_id = fields.Many2one(related="wizard_id.currency_id")
    owner_line_id = fields.Many2one("progress.billing.owner.invoice.line", "Line", required=True, ondelete="cascade")
    current_work = fields.Monetary("Work Completed This Period, Now")
    new_work = fields.Monetary("Work Completed This Period, After")
    current_materials = fields.Monetary("Materials Presently Stored, Now")
    new_materials = fields.Monetary("Materials Presently Stored, After")
    source_names = fields.Text("Sources")
    changes = fields.Text("Changes Since Last Auto-Completion")
    is_manual = fields.Boolean(
        "Entered by Hand", help="The line holds amounts that were not auto-completed: applying replaces them."
    )
    is_stale = fields.Boolean(related="owner_line_id.autocomplete_stale")
    apply = fields.Boolean(default=True, help="Untick to leave this line as it is.")
