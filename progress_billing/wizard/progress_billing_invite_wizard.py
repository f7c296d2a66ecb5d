# Copyright 2026 Progress Billing Developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import format_list


class ProgressBillingInviteWizard(models.TransientModel):
    """Invite to Bill (readme/USAGE.md, "Invite to Bill (contractor side)"): e-mail the invoice contacts of the chosen
    commitments a link to their draft subcontractor invoice of the billing
    period, created if need be. Opened from a billing period (its commitments
    not invited yet) or from a selection of commitments."""

    _name = "progress.billing.invite.wizard"
    _description = "Invite to Bill"

    period_id = fields.Many2one("progress.billing.period", "Billing Period", required=True, readonly=True)
    project_id = fields.Many2one(related="period_id.project_id")
    date_due = fields.Date(related="period_id.date_due")
    commitment_ids = fields.Many2many(
        "purchase.order", string="Commitments",
        domain="[('is_commitment', '=', True), ('project_id', '=', project_id), ('state', '=', 'purchase')]",
    )
    blocked_message = fields.Text(
        "Not Invited", compute="_compute_blocked_message",
        help="The chosen commitments that cannot be invited, and why.",
    )

    @api.model
    def _action_open(self, period, commitments):
        wizard = self.create({"period_id": period.id, "commitment_ids": [fields.Command.set(commitments.ids)]})
        return wizard._get_records_action(
            name=_("Invite to Bill: %(period)s", period=period.display_name), target="new",
            context={"progress_billing_period_id": period.id},
        )

    @api.depends("commitment_ids", "period_id")
    def _compute_blocked_message(self):
        for wizard in self:
            reasons = wizard._blocked_reasons()
            wizard.blocked_message = "\n".join(reasons.values()) or False

    def _blocked_reasons(self):
        """{commitment: why it is not invited} of the chosen commitments."""
        self.ensure_one()
        reasons = {commitment: commitment._invite_blocked_reason(self.period_id) for commitment in self.commitment_ids}
        return {commitment: reason for commitment, reason in reasons.items() if reason}

    def action_invite(self):
        """Invite the chosen commitments that can be; the others stay as they
        are, named in the wizard before confirming."""
        self.ensure_one()
        invited = self.commitment_ids - self.env["purchase.order"].union(*self._blocked_reasons())
        if not invited:
            raise UserError(_("None of the chosen commitments can be invited to bill %(period)s.", period=self.period_id.display_name))
        invoices = invited._invite_to_bill(self.period_id)
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success",
                "message": _(
                    "Invited to bill %(period)s: %(commitments)s.",
                    period=self.period_id.display_name, commitments=format_list(self.env, invoices.purchase_order_id.mapped("display_name")),
                ),
                "next": {"type": "ir.actions.act_window_close"},
            },
        }
