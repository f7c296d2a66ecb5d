# Copyright 2026 Progress Billing Developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from odoo import _, api, fields, models


class ProgressBillingPeriodOpenWizard(models.TransientModel):
    """Asks before opening a billing period and names the project's open
    period that it closes, as only one period is open at a time
    (readme/USAGE.md, "Billing periods")."""

    _name = "progress.billing.period.open.wizard"
    _description = "Open a Billing Period"

    period_id = fields.Many2one("progress.billing.period", "Billing Period", required=True, readonly=True)
    closed_period_id = fields.Many2one(
        "progress.billing.period", "Period Closed", compute="_compute_message",
        help="The project's open billing period, closed when this one opens.",
    )
    message = fields.Text(compute="_compute_message")

    @api.model
    def _action_open(self, period):
        wizard = self.create({"period_id": period.id})
        title = _("Reopen %(period)s", period=period.display_name) if period.state == "closed" else _(
            "Open %(period)s", period=period.display_name
        )
        return wizard._get_records_action(name=title, target="new")

    @api.depends("period_id.state", "period_id.project_id.billing_period_ids.state")
    def _compute_message(self):
        for wizard in self:
            period = wizard.period_id
            wizard.closed_period_id = period._open_period_to_close()
            values = {"period": period.display_name, "project": period.project_id.display_name,
                      "closed": wizard.closed_period_id.display_name}
            if wizard.closed_period_id:
                wizard.message = _(
                    "Opening billing period %(period)s closes billing period %(closed)s, the open period of project "
                    "%(project)s: new invoices of the project then go in %(period)s, and none can be added to "
                    "%(closed)s until it is reopened.", **values,
                )
            else:
                wizard.message = _(
                    "Opening billing period %(period)s makes it the open period of project %(project)s, where its "
                    "new invoices go. No other period of the project is open.", **values,
                )

    def action_confirm(self):
        self.ensure_one()
        self.period_id.action_open()
