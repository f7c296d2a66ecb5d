# Copyright 2026 Progress Billing Developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

import calendar
from datetime import timedelta

from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError


def monthly_period_bounds(day, billing_day):
    """Start and end of the monthly billing period that contains ``day`` when
    periods start on ``billing_day`` of each month. A billing day past a
    month's end starts that month's period on its last day (31 -> 28 Feb)."""

    def start_in(year, month):
        return day.replace(year=year, month=month, day=min(billing_day, calendar.monthrange(year, month)[1]))

    def shift(year, month, delta):
        index = year * 12 + month - 1 + delta
        return index // 12, index % 12 + 1

    year, month = day.year, day.month
    start = start_in(year, month)
    if start > day:
        year, month = shift(year, month, -1)
        start = start_in(year, month)
    next_start = start_in(*shift(year, month, 1))
    return start, next_start - timedelta(days=1)


class ProgressBillingPeriod(models.Model):
    """Billing period of a project (readme/USAGE.md, "Billing periods": start <= end, never overlapping, only
    one Open period at a time; a period linked to an invoice is only closed)."""

    _name = "progress.billing.period"
    _description = "Billing Period"
    _inherit = ["mail.thread"]
    _order = "project_id, date_start desc"
    _check_company_auto = True

    name = fields.Char(compute="_compute_name", store=True, readonly=False)
    project_id = fields.Many2one("project.project", required=True, index=True, ondelete="cascade", check_company=True)
    company_id = fields.Many2one(related="project_id.company_id", store=True, index=True)
    date_start = fields.Date("Start Date", required=True, tracking=True)
    date_end = fields.Date("End Date", required=True, tracking=True)
    date_due = fields.Date(
        "Due Date",
        required=True,
        tracking=True,
        help="Last day on which ordinary users may create invoices in this period; managers may still create them afterwards.",
    )
    state = fields.Selection(
        [("future", "Future"), ("open", "Open"), ("closed", "Closed")],
        default="future",
        required=True,
        tracking=True,
    )
    is_automatic = fields.Boolean("Created Automatically", readonly=True)
    sub_invoice_ids = fields.One2many("progress.billing.sub.invoice", "period_id", string="Subcontractor Invoices")
    owner_invoice_ids = fields.One2many("progress.billing.owner.invoice", "period_id", string="Owner Invoices")
    sub_invoice_count = fields.Integer(compute="_compute_invoice_counts")
    owner_invoice_count = fields.Integer(compute="_compute_invoice_counts")
    commitment_count = fields.Integer(compute="_compute_commitment_count")

    @api.depends("date_start", "date_end")
    def _compute_name(self):
        for period in self:
            if period.date_start and period.date_end:
                period.name = f"{fields.Date.to_string(period.date_start)} – {fields.Date.to_string(period.date_end)}"
            else:
                period.name = False

    @api.depends("sub_invoice_ids", "owner_invoice_ids")
    def _compute_invoice_counts(self):
        for period in self:
            period.sub_invoice_count = len(period.sub_invoice_ids)
            period.owner_invoice_count = len(period.owner_invoice_ids)

    def _compute_commitment_count(self):
        counts = dict(self.env["purchase.order"]._read_group(
            [("is_commitment", "=", True), ("project_id", "in", self.project_id.ids)], ["project_id"], ["__count"],
        ))
        for period in self:
            period.commitment_count = counts.get(period.project_id, 0)

    def _invite_candidates(self):
        """The project's confirmed commitments not invited to bill this period yet."""
        self.ensure_one()
        commitments = self.env["purchase.order"].with_context(progress_billing_period_id=self.id).search([
            ("is_commitment", "=", True), ("project_id", "=", self.project_id.id), ("state", "=", "purchase"),
        ])
        return commitments.filtered(lambda commitment: commitment.invite_status == "not_invited")

    def action_invite_to_bill(self):
        """Invite to Bill (readme/USAGE.md, "Invite to Bill (contractor side)") from the period: its commitments not
        invited yet, in the wizard."""
        self.ensure_one()
        return self.env["progress.billing.invite.wizard"]._action_open(self, self._invite_candidates())

    def action_view_commitments(self):
        """The project's commitments with their invite status in this period,
        and the filters Not Invited and Not Submitted."""
        self.ensure_one()
        action = self.project_id.action_view_commitments()
        action["domain"] = [("is_commitment", "=", True), ("project_id", "=", self.project_id.id)]
        action["context"] = {**action["context"], "progress_billing_period_id": self.id}
        action["name"] = _("Commitments: %(period)s", period=self.display_name)
        return action

    @api.onchange("date_end")
    def _onchange_date_end(self):
        if self.date_end and not self.date_due:
            self.date_due = self.date_end

    @api.constrains("date_start", "date_end", "project_id")
    def _check_no_overlap(self):
        """Periods of a project never overlap (readme/USAGE.md, "Billing periods")."""
        for period in self:
            if period.date_start > period.date_end:
                raise ValidationError(
                    _("Billing period %(period)s of project %(project)s ends before it starts.",
                      period=period.display_name, project=period.project_id.display_name)
                )
            clash = self.search(
                [
                    ("id", "!=", period.id),
                    ("project_id", "=", period.project_id.id),
                    ("date_start", "<=", period.date_end),
                    ("date_end", ">=", period.date_start),
                ],
                limit=1,
            )
            if clash:
                raise ValidationError(
                    _("Billing period %(period)s overlaps billing period %(other)s of project %(project)s.",
                      period=period.display_name, other=clash.display_name, project=period.project_id.display_name)
                )

    def action_open(self):
        """Only one period of a project is Open: opening one closes the others."""
        for period in self:
            period._open_period_to_close().state = "closed"
            period.state = "open"

    def action_close(self):
        self.state = "closed"

    def _open_period_to_close(self):
        """The project's open period that opening this one would close."""
        self.ensure_one()
        return self.project_id.billing_period_ids.filtered(lambda period: period.state == "open" and period != self)

    def action_confirm_open(self):
        """The form's Open and Reopen buttons: first ask, naming the open
        period that opening this one closes (readme/USAGE.md, "Billing periods")."""
        self.ensure_one()
        return self.env["progress.billing.period.open.wizard"]._action_open(self)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_invoiced(self):
        for period in self:
            if period.sub_invoice_ids or period.owner_invoice_ids:
                raise UserError(
                    _("Billing period %(period)s of project %(project)s has invoices: close it instead of deleting it.",
                      period=period.display_name, project=period.project_id.display_name)
                )

    def _check_accepts_new_invoice(self, document):
        """A new invoice needs an Open period whose due date has not passed;
        after the due date only managers may create one (readme/USAGE.md, "Billing periods").
        ``document`` names what the user tried to add (“an owner invoice”)."""
        self.ensure_one()
        if self.state != "open":
            raise UserError(
                _("Cannot add %(document)s to billing period %(period)s of project %(project)s: the period is not open. "
                  "Choose the project's open billing period, or ask a Progress Billing manager to open this one.",
                  document=document, period=self.display_name, project=self.project_id.display_name)
            )
        if self.date_due < fields.Date.context_today(self) and not self.env.user.has_group(
            "progress_billing.group_progress_billing_manager"
        ):
            raise UserError(
                _("Cannot add %(document)s to billing period %(period)s: its due date (%(due)s) has passed, and only a "
                  "Progress Billing manager can still add invoices to it. Ask a manager to create it.",
                  document=document, period=self.display_name, due=self.date_due)
            )

    @api.model
    def _cron_create_automatic_periods(self):
        """Scheduled action: give each project with automatic billing the
        monthly period that contains today, open it, and close the previous one.
        Idempotent: a project whose current period already exists is skipped."""
        projects = self.env["project.project"].search([("billing_period_auto", "=", True)])
        cron = self.env["ir.cron"]
        cron._commit_progress(remaining=len(projects))
        for project in projects:
            project._create_current_automatic_period()
            if not cron._commit_progress(1):
                break
