# Copyright 2026 Progress Billing Developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools.misc import format_amount


class ProgressBillingContractLineMixin(models.AbstractModel):
    """A Schedule of Values line (prime contract) or SSOV line (commitment):
    cost code + cost type, scheduled value revised by approved change orders."""

    _name = "progress.billing.contract.line.mixin"
    _description = "Schedule of Values Line"

    # the contract model defines the real field; this one lets the mixin own monetary fields
    currency_id = fields.Many2one("res.currency")
    cost_code_id = fields.Many2one("progress.billing.cost.code", index=True, ondelete="restrict")
    cost_type_id = fields.Many2one("progress.billing.cost.type", index=True, ondelete="restrict")
    retainage_rate = fields.Float(
        "Retainage (%)",
        digits=(5, 2),
        compute="_compute_retainage_rate",
        store=True,
        readonly=False,
        precompute=True,
        help="Retainage on completed work of this line; defaults to the contract's rate.",
    )
    approved_change_amount = fields.Monetary("Approved Changes", compute="_compute_revised_scheduled_value")
    revised_scheduled_value = fields.Monetary(compute="_compute_revised_scheduled_value")

    @api.depends("order_id.retainage_rate")
    def _compute_retainage_rate(self):
        for line in self:
            line.retainage_rate = line.order_id.retainage_rate

    @api.depends("price_subtotal", "change_order_line_ids.amount", "change_order_line_ids.state")
    def _compute_revised_scheduled_value(self):
        approved = self._approved_change_amounts()
        revised = self._revised_scheduled_values(approved)
        for line in self:
            line.approved_change_amount = approved.get(line._origin, 0.0)
            line.revised_scheduled_value = revised[line]

    def _approved_change_amounts(self):
        """{line: amount} of the approved change orders revising these lines,
        in one grouped read (lines without any are left out)."""
        change_orders = self._fields["change_order_line_ids"]
        return dict(self.env[change_orders.comodel_name]._read_group(
            [(change_orders.inverse_name, "in", self._origin.filtered("id").ids), ("state", "=", "approved")],
            [change_orders.inverse_name],
            ["amount:sum"],
        ))

    def _revised_scheduled_values(self, approved=None):
        """{line: C}: C of G703, the scheduled value revised by approved
        change orders (``approved``: ``_approved_change_amounts`` when already
        read), for all these lines at once: a pay application reads the C of
        every line of a Schedule of Values, hundreds of them."""
        approved = self._approved_change_amounts() if approved is None else approved
        # the one column needed, rather than every column of hundreds of order lines
        self.fetch(["price_subtotal"])
        return {line: line.price_subtotal + approved.get(line._origin, 0.0) for line in self}

    @api.constrains("price_subtotal", "display_type")
    def _check_scheduled_value_not_negative(self):
        for line in self.filtered(lambda line: not line.display_type and line.order_id._is_progress_billing_contract()):
            if line.currency_id.compare_amounts(line.price_subtotal, 0) < 0:
                raise ValidationError(
                    self.env._(
                        "Line “%(line)s” of %(contract)s has a negative scheduled value (%(amount)s).",
                        line=line.name,
                        contract=line.order_id.display_name,
                        amount=format_amount(self.env, line.price_subtotal, line.currency_id),
                    )
                )

    @api.constrains("retainage_rate")
    def _check_retainage_rate(self):
        for line in self:
            if not 0 <= line.retainage_rate <= 100:
                raise ValidationError(
                    self.env._(
                        "Retainage of line “%(line)s” of %(contract)s must be between 0 and 100%%.",
                        line=line.name,
                        contract=line.order_id.display_name,
                    )
                )
