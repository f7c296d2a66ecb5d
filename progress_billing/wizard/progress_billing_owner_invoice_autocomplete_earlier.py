# Copyright 2026 Progress Billing Developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from odoo import fields, models


class ProgressBillingOwnerInvoiceAutocompleteEarlier(models.TransientModel):
    """An approved cost of an earlier period not yet billed to the owner,
    offered by the auto-completion preview (readme/USAGE.md, "Auto-completing owner invoices", costs left behind):
    auto-completion copies the billing period's sources only, so
    without this list such a cost would silently never be billed."""

    _name = "progress.billing.owner.invoice.autocomplete.earlier"
    _description = "Approved Cost of an Earlier Period Not Yet Billed"

    wizard_id = fields.Many2one("progress.billing.owner.invoice.autocomplete", required=True, ondelete="cascade")
    currency_id = fields.Many2one(related="wizard_id.currency_id")
    source_kind = fields.Selection(
        [("sub_invoice_line_id", "Subcontractor Invoice"), ("direct_cost_line_id", "Direct Cost")],
        "Kind", required=True,
    )
    source_line_id = fields.Integer(required=True)
    name = fields.Char("Document", required=True)
    period_id = fields.Many2one("progress.billing.period", "Billing Period")
    date_received = fields.Date("Date Received")
    cost_code_id = fields.Many2one("progress.billing.cost.code")
    cost_type_id = fields.Many2one("progress.billing.cost.type")
    work_this_period = fields.Monetary("Work Completed This Period")
    materials_stored = fields.Monetary("Materials Presently Stored")
    amount = fields.Monetary()
    include = fields.Boolean("Included", help="Bill this cost on this invoice, by the same matching rules as the period's own.")

    def _source_ref(self):
        """(link field, source line id), as ``CurrentSource.ref``."""
        self.ensure_one()
        return self.source_kind, self.source_line_id

    def action_toggle_include(self):
        """Include this cost in the invoice, or leave it out again, and show the preview that follows."""
        self.ensure_one()
        self.include = not self.include
        wizard = self.wizard_id
        wizard._build_preview()
        return wizard._action_open()
