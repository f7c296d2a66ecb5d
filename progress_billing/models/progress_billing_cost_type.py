# Copyright 2026 Progress Billing Developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from odoo import models


class ProgressBillingCostType(models.Model):
    """Kind of cost within a cost code: Labor, Materials, Equipment, Subcontract, ..."""

    _name = "progress.billing.cost.type"
    _inherit = ["progress.billing.code.mixin"]
    _description = "Cost Type"
