# Copyright 2026 Progress Billing Developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from odoo import fields, models


class ProgressBillingDivision(models.Model):
    """A CSI MasterFormat division (e.g. 03 Concrete): an owner invoice line
    billing a division collects the amounts of every cost code it holds."""

    _name = "progress.billing.division"
    _inherit = ["progress.billing.code.mixin"]
    _description = "Division"

    cost_code_ids = fields.One2many("progress.billing.cost.code", "division_id", string="Cost Codes")
