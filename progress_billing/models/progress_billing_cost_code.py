# Copyright 2026 Progress Billing Developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from odoo import fields, models


class ProgressBillingCostCode(models.Model):
    """A cost code (e.g. 03-300 Cast-in-Place Concrete) belongs to one division."""

    _name = "progress.billing.cost.code"
    _inherit = ["progress.billing.code.mixin"]
    _description = "Cost Code"

    division_id = fields.Many2one(
        "progress.billing.division", required=True, ondelete="restrict", index=True, check_company=True
    )
