# Copyright 2026 Progress Billing Developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError
from odoo.tools.misc import format_date

from ..tools.trusted_write import check_trusted_write, is_trusted, trusted

MANAGER_GROUP = "progress_billing.group_progress_billing_manager"
SCHEDULE_ACTIVITY = "progress_billing.mail_activity_type_payment_schedule"
# readme/USAGE.md, "Payment schedules and the statutory clock": reviewers are warned this many business days before a
# payment schedule is due
WARNING_BUSINESS_DAYS = 2
# the scheduled action looks at claims whose schedule is due within this many
# calendar days (two business days never span more, year-end breaks included)
WARNING_HORIZON_DAYS = 31


class ProgressBillingStatutoryClockMixin(models.AbstractModel):
    """The statutory clock of a payment claim (readme/USAGE.md, "Payment schedules and the statutory clock", Security of
    Payment and prompt-payment deadlines): the day the claim was received, the days
    by which its payment schedule and its payment are due under the claim's
    payment regime, and the day the schedule was given.

    Subcontractor invoices are claims we receive (we owe the schedule, our
    reviewers are reminded); owner invoices are our claims on the owner
    (the owner's schedule and payment are due to us)."""

    _name = "progress.billing.statutory.clock.mixin"
    _description = "Statutory Clock of a Payment Claim"

    # set by each application model: the project's regime for its claims,
    # the statuses in which the respondent's schedule is given, and whether
    # we are the respondent (our reviewers owe the schedule)
    _project_regime_field = None
    _schedule_given_states = ()
    _we_respond = False
    # dates only reviewers (Progress Billing administrators) set by hand
    _reviewer_clock_fields = ("payment_regime_id", "claim_received_date", "schedule_given_date")

    payment_regime_id = fields.Many2one(
        "progress.billing.payment.regime", "Payment Regime", copy=False, tracking=True, check_company=True,
        help="Set when the claim is received, from the contract or else the project.",
    )
    claim_received_date = fields.Date(
        "Claim Received On", copy=False, tracking=True,
        help="The day the payment claim was received: the day it was submitted, unless a reviewer enters another.",
    )
    schedule_due_date = fields.Date(
        "Payment Schedule Due By", compute="_compute_clock_deadlines", store=True, index=True,
        help="Last day to give the payment schedule under the payment regime. Computed when the claim is received, "
        "with the public holidays of the company's working schedule.",
    )
    payment_due_date = fields.Date(
        "Payment Due By", compute="_compute_clock_deadlines", store=True, index=True,
        help="Last day to pay the claim under the payment regime, counted from the claim's receipt.",
    )
    schedule_given_date = fields.Date(
        "Payment Schedule Given On", copy=False, tracking=True,
        help="The day the payment schedule was given: the day the claim is certified, or the day the payment "
        "schedule is sent by e-mail if later; reviewers may enter the day it was served otherwise.",
    )
    schedule_served_date = fields.Date(
        "Payment Schedule Served On", copy=False, readonly=True, tracking=True,
        help="The day a reviewer first sent the payment schedule by e-mail after certifying the claim.",
    )
    schedule_status = fields.Selection(
        [("awaiting", "Awaiting Schedule"), ("on_time", "Given in Time"), ("late", "Given Late")],
        "Payment Schedule", compute="_compute_schedule_status", store=True,
    )
    clock_editable = fields.Boolean(compute="_compute_clock_editable")
    schedule_alert = fields.Selection(
        [("warned", "Deadline Near"), ("overdue", "Deadline Passed")], "Deadline Alert", copy=False, readonly=True,
        help="Set by the scheduled action once it has warned the reviewers of this claim's deadline.",
    )

    @api.depends("claim_received_date", "payment_regime_id", "company_id")
    def _compute_clock_deadlines(self):
        """readme/USAGE.md, "Payment schedules and the statutory clock": the deadlines follow the regime the claim was
        received under; editing a regime later does not move the deadlines of claims
        already received."""
        for claim in self:
            regime, received = claim.payment_regime_id, claim.claim_received_date
            if regime and received:
                claim.schedule_due_date = regime._deadline(received, regime.schedule_days, claim.company_id)
                claim.payment_due_date = regime._deadline(received, regime.payment_days, claim.company_id)
            else:
                claim.schedule_due_date = claim.payment_due_date = False

    @api.depends_context("uid")
    def _compute_clock_editable(self):
        self.clock_editable = self.env.user.has_group(MANAGER_GROUP)

    @api.depends("schedule_given_date", "schedule_due_date")
    def _compute_schedule_status(self):
        for claim in self:
            if not claim.schedule_due_date:
                claim.schedule_status = False
            elif not claim.schedule_given_date:
                claim.schedule_status = "awaiting"
            else:
                claim.schedule_status = "on_time" if claim.schedule_given_date <= claim.schedule_due_date else "late"

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._check_clock_write(vals)
        return super().create(vals_list)

    def write(self, vals):
        self._check_clock_write(vals)
        result = super().write(vals)
        if {"payment_regime_id", "claim_received_date"} & set(vals):
            # a new deadline: the scheduled action warns about it again
            trusted(self).write({"schedule_alert": False})
        return result

    def _check_clock_write(self, vals):
        """readme/USAGE.md, "Payment schedules and the statutory clock": the claim's receipt and schedule dates are the
        reviewers' (Progress Billing administrators) to correct; the alerts
        are the scheduled action's alone."""
        check_trusted_write(self, vals, ("schedule_alert", "schedule_served_date"))
        written = sorted(set(vals) & set(self._reviewer_clock_fields))
        if written and not (is_trusted(self.env) or self.env.su or self.env.user.has_group(MANAGER_GROUP)):
            raise AccessError(self.env._(
                "Only a Progress Billing administrator can change %(fields)s of %(documents)s.",
                fields=", ".join(self._fields[name]._description_string(self.env) for name in written),
                documents=", ".join(self.mapped("display_name")) or self._description,
            ))

    def _change_state(self, target, allowed_from, manager_only=False):
        super()._change_state(target, allowed_from, manager_only)
        if target == "under_review":
            self._receive_claim()
        elif target in self._schedule_given_states:
            self.filtered(lambda claim: not claim.schedule_given_date)._record_schedule_given()

    def _receive_claim(self):
        """readme/USAGE.md, "Payment schedules and the statutory clock": each submission is a payment claim received
        that day, under the regime of its contract, or else of its project; our
        reviewers get an activity due on the day the schedule is due."""
        today = fields.Date.context_today(self)
        for claim in self:
            # the terms of the claim's own contract and project, whoever submits it: a subcontractor
            # submitting from the portal may read neither, nor write its invoice once Under Review (the
            # status write just checked that this user may submit this very claim)
            terms = claim.sudo()
            regime = terms._contract().payment_regime_id or terms.project_id[self._project_regime_field]
            trusted(terms).write({
                "claim_received_date": today, "payment_regime_id": regime.id,
                "schedule_given_date": False, "schedule_served_date": False,
            })
        if self._we_respond:
            self.filtered("schedule_due_date")._schedule_reviewer_activities()

    def _record_schedule_given(self):
        """The claim is certified: its payment schedule is given today, the
        reviewers' activities are done."""
        if not self:
            return
        trusted(self).schedule_given_date = fields.Date.context_today(self)
        if self._we_respond:
            self.sudo().activity_feedback([SCHEDULE_ACTIVITY], feedback=self.env._("Payment schedule given."))

    def _clock_reviewers(self):
        """Who gives this claim's payment schedule: the project manager when
        a Progress Billing administrator, or else every administrator of the
        company."""
        self.ensure_one()
        group = self.env.ref(MANAGER_GROUP)
        manager = self.project_id.user_id
        if manager.active and manager in group.all_user_ids and self.company_id in manager.company_ids:
            return manager
        return group.all_user_ids.filtered(
            lambda user: user.active and not user.share and self.company_id in user.company_ids
        )

    def _schedule_reviewer_activities(self, summary=None, note=None):
        """One open payment schedule activity for each reviewer of each
        claim, due on the day the schedule is due: those already open get
        the new ``summary`` and ``note``, never a twin."""
        activity_type = self.env.ref(SCHEDULE_ACTIVITY)
        for claim in self:
            claim_summary = summary or self.env._(
                "Give the payment schedule by %(date)s", date=format_date(self.env, claim.schedule_due_date)
            )
            open_activities = claim.sudo().activity_ids.filtered(lambda activity: activity.activity_type_id == activity_type)
            open_activities.write({"summary": claim_summary, "note": note or False, "date_deadline": claim.schedule_due_date})
            for reviewer in claim.sudo()._clock_reviewers() - open_activities.user_id:
                claim.sudo().activity_schedule(
                    SCHEDULE_ACTIVITY, date_deadline=claim.schedule_due_date, user_id=reviewer.id,
                    summary=claim_summary, note=note or "",
                )

    @api.model
    def _cron_statutory_clock(self):
        """Scheduled action (readme/USAGE.md, "Payment schedules and the statutory clock"): warn the reviewers of each
        claim awaiting its payment schedule two business days before it is due,
        and flag the claims whose deadline passed without a schedule. Each
        alert is given once (``schedule_alert``), whatever the number of runs."""
        today = fields.Date.context_today(self)
        claims = self.search([
            ("schedule_status", "=", "awaiting"),
            ("state", "not in", ("draft", "void")),
            ("schedule_due_date", "<=", today + timedelta(days=WARNING_HORIZON_DAYS)),
            "|", ("schedule_alert", "=", False),
            "&", ("schedule_alert", "=", "warned"), ("schedule_due_date", "<", today),
        ])
        cron = self.env["ir.cron"]
        cron._commit_progress(remaining=len(claims))
        for claim in claims:
            claim._alert_schedule_deadline(today)
            if not cron._commit_progress(1):
                break

    def _alert_schedule_deadline(self, today):
        """Warn about this claim's payment schedule deadline when it is two
        business days away or has passed, unless already warned of that."""
        self.ensure_one()
        due = self.schedule_due_date
        if due < today:
            self._alert_reviewers("overdue", self.env._(
                "%(claim)s: the payment schedule was due by %(date)s and none was given. "
                "The full claimed amount may now be payable.",
                claim=self.display_name, date=format_date(self.env, due),
            ))
        elif not self.schedule_alert and self.payment_regime_id._business_days_left(today, due, self.company_id) <= WARNING_BUSINESS_DAYS:
            self._alert_reviewers("warned", self.env._(
                "%(claim)s: the payment schedule is due by %(date)s, in two business days or less.",
                claim=self.display_name, date=format_date(self.env, due),
            ))

    def _alert_reviewers(self, alert, message):
        """Log ``message`` on the claim, give it to each reviewer as an
        activity and a notification, and remember ``alert`` was given."""
        self.ensure_one()
        trusted(self).schedule_alert = alert
        self._message_log(body=message)
        self._schedule_reviewer_activities(
            self.env._("Payment schedule overdue") if alert == "overdue" else self.env._("Payment schedule due soon"),
            message,
        )
        for reviewer in self._clock_reviewers():
            reviewer._bus_send("simple_notification", {
                "type": "danger" if alert == "overdue" else "warning",
                "title": self.env._("Payment schedule deadline"),
                "message": message,
                "sticky": alert == "overdue",
            })
