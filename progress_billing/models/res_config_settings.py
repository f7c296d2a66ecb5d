from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    progress_billing_dictionary = fields.Selection(
        related="company_id.progress_billing_dictionary", readonly=False, required=True
    )
