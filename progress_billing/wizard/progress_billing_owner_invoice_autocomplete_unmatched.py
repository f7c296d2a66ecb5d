# Copyright 2026 Progress Billing Developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from odoo import fields, models


class ProgressBillingOwnerInvoiceAutocompleteUnmatched(models.TransientModel):
    """A source auto-completion could not place on any line: listed so that
    no amount is silently lost (readme/USAGE.md, "Auto-completing owner invoices")."""

    _name = "progress.billing.owner.invoice.autocomplete.unmatched"
    _description = "Unmatched Auto-Completion Source"

    wizard_id = fields.Many2one("progress.billing.owner.invoice.autocomplete", required=True, ondelete="cascade")
    currency_id = fields.Many2one(related="wizard_id.currency_id")
    name = fields.Char("Source", required=True)
    cost_code_id = fields.Many2one("progress.billing.cost.code")
    cost_type_id = fields.Many2one("progress.billing.cost.type")
    work_this_period = fields.Monetary("Work Completed This Period")
    materials_stored = fields.Monetary("Materials Presently Stored")
    reason = fields.Char()
