# Copyright 2026 Progress Billing Developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    retainage_payable_account_id = fields.Many2one(related="company_id.retainage_payable_account_id", readonly=False)
    retainage_receivable_account_id = fields.Many2one(related="company_id.retainage_receivable_account_id", readonly=False)
    progress_billing_bill_on_approval = fields.Boolean(related="company_id.progress_billing_bill_on_approval", readonly=False)
    progress_billing_owner_pdf_backup = fields.Boolean(related="company_id.progress_billing_owner_pdf_backup", readonly=False)
    retention_trust_account = fields.Boolean(related="company_id.retention_trust_account", readonly=False)
    retention_trust_threshold = fields.Monetary(
        related="company_id.retention_trust_threshold", readonly=False, currency_field="company_currency_id"
    )
    progress_billing_dictionary = fields.Selection(
        related="company_id.progress_billing_dictionary", readonly=False, required=True
    )
    progress_billing_reminder_days = fields.Integer(related="company_id.progress_billing_reminder_days", readonly=False)
