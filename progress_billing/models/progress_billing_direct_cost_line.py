# Copyright 2026 Progress Billing Developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from odoo import fields, models


class ProgressBillingDirectCostLine(models.Model):
    """A direct cost line: amount by cost code + cost type ('Work Completed This Period')."""

    _name = "progress.billing.direct.cost.line"
    _inherit = ["progress.billing.locked.line.mixin"]
    _description = "Direct Cost Line"
    _order = "direct_cost_id, sequence, id"
    _document_field = "direct_cost_id"

    direct_cost_id = fields.Many2one("progress.billing.direct.cost", required=True, index=True, ondelete="cascade")
    company_id = fields.Many2one(related="direct_cost_id.company_id", store=True)
    currency_id = fields.Many2one(related="direct_cost_id.currency_id")
    sequence = fields.Integer(default=10)
    name = fields.Char("Description", required=True)
    cost_code_id = fields.Many2one("progress.billing.cost.code", required=True, ondelete="restrict", index=True)
    cost_type_id = fields.Many2one("progress.billing.cost.type", required=True, ondelete="restrict", index=True)
    amount = fields.Monetary(required=True)
