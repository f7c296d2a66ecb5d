# Copyright 2026 Progress Billing Developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from datetime import timedelta

from odoo import _, api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools.misc import format_amount, format_date

# days before its expiry that a guarantee raises an activity (readme/USAGE.md, "Bank guarantees and retention bonds")
EXPIRY_NOTICE_DAYS = 30


class ProgressBillingRetentionGuarantee(models.Model):
    """A bank guarantee or retention bond given as security instead of cash
    retention (readme/USAGE.md, "Bank guarantees and retention bonds"; AS 4000 cl. 5 lets either party give security by
    cash retention or an unconditional undertaking). While in force, it
    covers that much of the retention the contract requires: pay
    applications withhold in cash only what it does not cover."""

    _name = "progress.billing.retention.guarantee"
    _description = "Retention Guarantee"
    _inherit = ["progress.billing.contract.retention.mixin"]
    _order = "date_expiry, id"
    _rec_name = "reference"
    _reminder_date_field = "date_expiry"

    kind = fields.Selection(
        [("bank_guarantee", "Bank Guarantee"), ("retention_bond", "Retention Bond"), ("insurance_bond", "Insurance Bond")],
        default="bank_guarantee", required=True,
    )
    reference = fields.Char(required=True, help="Number of the guarantee or bond given by its issuer.")
    issuer_id = fields.Many2one("res.partner", "Issuer", required=True, help="The bank or insurer giving the guarantee.")
    amount = fields.Monetary(required=True)
    date_start = fields.Date(
        "Received On", required=True, default=fields.Date.context_today,
        help="Pay applications of billing periods ending from this date on count the guarantee.",
    )
    date_expiry = fields.Date(
        "Expiry Date", help="Last day the guarantee is in force; empty for one without expiry. "
        f"An activity is raised {EXPIRY_NOTICE_DAYS} days before.",
    )
    date_returned = fields.Date(
        "Returned On", help="The day the guarantee was returned to its issuer: it covers nothing from then on."
    )

    @api.constrains("amount", "date_start", "date_expiry", "date_returned")
    def _check_amount_and_dates(self):
        for guarantee in self:
            if guarantee.currency_id.compare_amounts(guarantee.amount, 0) <= 0:
                raise ValidationError(_(
                    "Guarantee %(guarantee)s of %(contract)s must have a positive amount.",
                    guarantee=guarantee.reference, contract=guarantee._contract().display_name,
                ))
            ends = [date for date in (guarantee.date_expiry, guarantee.date_returned) if date]
            if ends and min(ends) < guarantee.date_start:
                raise ValidationError(_(
                    "Guarantee %(guarantee)s of %(contract)s expires or is returned before it is received.",
                    guarantee=guarantee.reference, contract=guarantee._contract().display_name,
                ))

    @api.model
    def _in_force_domain(self, day):
        """Guarantees received by ``day``, neither expired nor returned then."""
        return [
            ("date_start", "<=", day),
            "|", ("date_expiry", "=", False), ("date_expiry", ">=", day),
            "|", ("date_returned", "=", False), ("date_returned", ">", day),
        ]

    def _is_in_force(self, day):
        self.ensure_one()
        return self.filtered_domain(self._in_force_domain(day)) == self

    def _reminder(self):
        return (
            _("Guarantee %(guarantee)s expires", guarantee=self.reference),
            _(
                "%(kind)s %(guarantee)s from %(issuer)s (%(amount)s) securing %(contract)s expires on %(date)s: "
                "have it extended, or cash retention is withheld again from the next pay application.",
                kind=self._fields["kind"].convert_to_export(self.kind, self), guarantee=self.reference,
                issuer=self.issuer_id.display_name, amount=format_amount(self.env, self.amount, self.currency_id),
                contract=self._contract().display_name, date=format_date(self.env, self.date_expiry),
            ),
            self.date_expiry,
        )

    @api.model
    def _cron_remind_expiring(self):
        """Scheduled action: a guarantee in force that expires within
        EXPIRY_NOTICE_DAYS days gives the contract's responsible user one
        activity, to have it extended or to withhold cash again
        (readme/USAGE.md, "Bank guarantees and retention bonds")."""
        today = fields.Date.context_today(self)
        self._cron_remind(
            [*self._in_force_domain(today), ("date_expiry", "<=", today + timedelta(days=EXPIRY_NOTICE_DAYS))]
        )
