# Copyright 2026 Progress Billing Developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ProgressBillingChangeOrderLine(models.Model):
    """A change order line: revises the contract line it names, or is billed
    on its own pay application line; a change event line ties a PCCO line to
    the CCO lines that fund it."""

    _name = "progress.billing.change.order.line"
    _inherit = ["progress.billing.locked.line.mixin"]
    _description = "Change Order Line"
    _order = "change_order_id, sequence, id"
    _document_field = "change_order_id"
    # the status of its change order decides whether the line counts (C of G703, contract sums)
    _protected_fields = ("state",)

    change_order_id = fields.Many2one("progress.billing.change.order", required=True, index=True, ondelete="cascade")
    order_type = fields.Selection(related="change_order_id.order_type", store=True)
    state = fields.Selection(related="change_order_id.state", store=True)
    company_id = fields.Many2one(related="change_order_id.company_id", store=True)
    currency_id = fields.Many2one(related="change_order_id.currency_id")
    sequence = fields.Integer(default=10)
    name = fields.Char("Description", required=True)
    division_id = fields.Many2one("progress.billing.division", ondelete="restrict")
    cost_code_id = fields.Many2one("progress.billing.cost.code", ondelete="restrict", index=True)
    cost_type_id = fields.Many2one("progress.billing.cost.type", ondelete="restrict", index=True)
    sale_line_id = fields.Many2one(
        "sale.order.line", "Revised SOV Line", index=True, ondelete="restrict",
        domain="[('order_id', '=', parent.sale_order_id), ('display_type', '=', False)]",
        help="Leave empty to bill this change on its own line.",
    )
    purchase_line_id = fields.Many2one(
        "purchase.order.line", "Revised SSOV Line", index=True, ondelete="restrict",
        domain="[('order_id', '=', parent.purchase_order_id), ('display_type', '=', False)]",
        help="Leave empty to bill this change on its own line.",
    )
    change_event_line_id = fields.Many2one("progress.billing.change.event.line", index=True, ondelete="set null")
    amount = fields.Monetary(required=True)
    revised_scheduled_value = fields.Monetary(
        compute="_compute_revised_scheduled_value",
        help="Scheduled value when billed on its own line: the amount once approved.",
    )

    @api.depends("amount", "state")
    def _compute_revised_scheduled_value(self):
        revised = self._revised_scheduled_values()
        for line in self:
            line.revised_scheduled_value = revised[line]

    def _revised_scheduled_values(self):
        """{line: C} of the lines billed on their own: the amount once approved."""
        return {line: line.amount if line.state == "approved" else 0.0 for line in self}

    @api.constrains("sale_line_id", "purchase_line_id", "change_order_id")
    def _check_revised_line_contract(self):
        for line in self:
            order = line.change_order_id
            if line.sale_line_id and (order.order_type != "prime" or line.sale_line_id.order_id != order.sale_order_id):
                raise ValidationError(
                    self.env._(
                        "Line “%(line)s” of %(order)s revises a line of another contract.",
                        line=line.name,
                        order=order.display_name,
                    )
                )
            if line.purchase_line_id and (
                order.order_type != "commitment" or line.purchase_line_id.order_id != order.purchase_order_id
            ):
                raise ValidationError(
                    self.env._(
                        "Line “%(line)s” of %(order)s revises a line of another contract.",
                        line=line.name,
                        order=order.display_name,
                    )
                )

    @api.constrains("change_event_line_id", "order_type")
    def _check_single_prime_line_per_event_line(self):
        """A change event line funds one PCCO line."""
        for line in self.filtered(lambda line: line.change_event_line_id and line.order_type == "prime"):
            event_line = line.change_event_line_id
            if len(event_line.change_order_line_ids.filtered(lambda funded: funded.order_type == "prime")) > 1:
                raise ValidationError(
                    self.env._(
                        "Change event line “%(line)s” of %(event)s "
                        "is already tied to another prime contract change order line.",
                        line=event_line.name,
                        event=event_line.change_event_id.display_name,
                    )
                )
