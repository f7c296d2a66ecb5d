# Copyright 2026 Progress Billing Developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from odoo import _, api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools.misc import format_date

from ..tools.trusted_write import trusted


class ProgressBillingRetentionStage(models.Model):
    """A stage at which a contract's retention is released
    (readme/USAGE.md, "Release stages"): Practical Completion releasing half of what is
    held and the end of the Defects Liability Period releasing the rest
    (AS 4000 wording), or Substantial and Final Completion (AIA wording).
    The release wizard proposes the stage's amount; reaching its planned
    date makes it due and reminds the contract's responsible user."""

    _name = "progress.billing.retention.stage"
    _description = "Retention Release Stage"
    _inherit = ["progress.billing.contract.retention.mixin"]
    _order = "date_planned, sequence, id"
    # readme/USAGE.md, "Release stages": a stage is released by the release wizard, which records where
    _trusted_fields = ("reminder_sent", "release_application_ref", "date_released")
    _reminder_date_field = "date_planned"

    sequence = fields.Integer(default=10)
    name = fields.Char("Stage", required=True, help="E.g. Practical Completion, End of Defects Liability Period.")
    date_planned = fields.Date("Planned Date", required=True)
    release_mode = fields.Selection(
        [("percent", "Percentage of retention held"), ("rest", "All the retention still held")],
        "Release", default="percent", required=True,
    )
    release_percent = fields.Float(
        "Release (%)", digits=(5, 2), default=50.0,
        help="Share of the retention the contract holds when the stage is released.",
    )
    release_application_ref = fields.Reference(
        [("progress.billing.sub.invoice", "Subcontractor Invoice"), ("progress.billing.owner.invoice", "Owner Invoice")],
        "Released On", readonly=True, copy=False, help="The pay application that released this stage's retention.",
    )
    date_released = fields.Date("Release Date", readonly=True, copy=False)
    state = fields.Selection(
        [("planned", "Planned"), ("due", "Due"), ("released", "Released")], compute="_compute_state",
        help="Due once its planned date is reached, released once the release wizard has released it.",
    )

    @api.depends("date_planned", "date_released")
    def _compute_state(self):
        today = fields.Date.context_today(self)
        for stage in self:
            if stage.date_released:
                stage.state = "released"
            else:
                stage.state = "due" if stage.date_planned and stage.date_planned <= today else "planned"

    @api.constrains("release_mode", "release_percent")
    def _check_release_percent(self):
        for stage in self.filtered(lambda stage: stage.release_mode == "percent"):
            if not 0 < stage.release_percent <= 100:
                raise ValidationError(_(
                    "Stage “%(stage)s” of %(contract)s releases %(percent)s%% of the retention held: "
                    "a stage releases more than 0 and at most 100%%.",
                    stage=stage.name, contract=stage._contract().display_name, percent=stage.release_percent,
                ))

    def _release_amount(self, held):
        """What the stage releases of ``held``, the retention the contract
        holds: a percentage of it rounded to the cent, or all of it."""
        self.ensure_one()
        if self.release_mode == "rest":
            return held
        return self.currency_id.round(held * self.release_percent / 100)

    def _mark_released(self, application):
        trusted(self).write({
            "release_application_ref": f"{application._name},{application.id}",
            "date_released": fields.Date.context_today(self),
        })

    def _reminder(self):
        return (
            _("Release retention: %(stage)s", stage=self.name),
            _(
                "Stage “%(stage)s” of %(contract)s was planned for %(date)s: release its retention with Release Retainage.",
                stage=self.name, contract=self._contract().display_name, date=format_date(self.env, self.date_planned),
            ),
            self.date_planned,
        )

    @api.model
    def _cron_remind_due_stages(self):
        """Scheduled action: when a stage's planned date is reached, the
        contract's responsible user gets one activity to release its
        retention (readme/USAGE.md, "Release stages")."""
        self._cron_remind([("date_planned", "<=", fields.Date.context_today(self)), ("date_released", "=", False)])
