# Copyright 2026 Progress Billing Developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from datetime import datetime, time, timedelta

import pytz
from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..tools import business_days

# how far past the claim's receipt the public holidays are read: the longest
# period (in calendar days) any regime is expected to count
HOLIDAY_HORIZON_DAYS = 400


class ProgressBillingPaymentRegime(models.Model):
    """A payment regime (readme/CONFIGURE.md, "Payment regimes"): how many days the respondent to a payment
    claim has to give a payment schedule, and to pay, counted from the
    claim's receipt — the Security of Payment Acts of the Australian states,
    or a contract's own terms. Business days are those of the company's
    working calendar, less its public holidays and the regime's year-end
    break."""

    _name = "progress.billing.payment.regime"
    _description = "Payment Regime"
    _order = "sequence, jurisdiction, name, id"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    jurisdiction = fields.Char(help="State or country whose legislation, or contract law, sets these periods.")
    company_id = fields.Many2one("res.company", "Company", index=True, help="Leave empty to share the regime between companies.")
    day_kind = fields.Selection(
        [("business", "Business days"), ("calendar", "Calendar days")], "Periods Counted In",
        default="business", required=True,
        help="Business days skip the weekend days of the company's working calendar, its public holidays and the "
        "year-end break; calendar days count every day.",
    )
    schedule_days = fields.Integer(
        "Days to Give a Payment Schedule", required=True,
        help="The payment schedule is due this many days after the day the claim is received.",
    )
    payment_days = fields.Integer(
        "Days to Pay", required=True,
        help="The progress payment is due this many days after the day the claim is received.",
    )
    year_end_break = fields.Selection(
        [
            ("december_27_31", "27 to 31 December"),
            ("december_22_january_10", "22 December to 10 January"),
        ],
        help="Days of the year-end break that the legislation does not count as business days "
        "(New South Wales: 27 to 31 December).",
    )
    schedule_statement = fields.Text(
        "Statement on the Payment Schedule", translate=True,
        help="The line naming the legislation, printed on the payment schedules given under this regime.",
    )
    description = fields.Text(translate=True, help="Where the periods come from: the Act and its sections.")

    @api.constrains("schedule_days", "payment_days")
    def _check_days_not_negative(self):
        for regime in self:
            if regime.schedule_days < 0 or regime.payment_days < 0:
                raise ValidationError(self.env._(
                    "Payment regime %(regime)s cannot count a negative number of days.", regime=regime.display_name,
                ))

    def _deadline(self, received, days, company):
        """The last day of a period of ``days`` of this regime after a claim
        received on ``received``, in the working calendar of ``company``."""
        self.ensure_one()
        rules = self._calendar_rules(company, received, received + timedelta(days=HOLIDAY_HORIZON_DAYS))
        return business_days.deadline(received, days, business_days=self.day_kind == "business", **rules)

    def _business_days_left(self, today, due, company):
        """Business days of this regime after ``today`` up to ``due``."""
        self.ensure_one()
        return business_days.business_days_left(today, due, **self._calendar_rules(company, today, due))

    def _calendar_rules(self, company, start, end):
        """The weekend days, public holidays between ``start`` and ``end`` and
        year-end break that decide which days are business days."""
        self.ensure_one()
        return {
            "weekend": self._weekend_days(company.resource_calendar_id),
            "holidays": self._public_holidays(company, start, end),
            "year_end_break": self.year_end_break or None,
        }

    @api.model
    def _weekend_days(self, calendar):
        """Weekdays (0 is Monday) on which ``calendar`` has no working hours;
        Saturday and Sunday without a calendar."""
        worked = {int(attendance.dayofweek) for attendance in calendar.attendance_ids}
        return frozenset(set(range(7)) - worked) if worked else business_days.SATURDAY_SUNDAY

    @api.model
    def _public_holidays(self, company, start, end):
        """Days between ``start`` and ``end`` that the company's working
        calendar closes for everyone: its time off without a resource (the
        public holidays of Odoo's Working Schedules), in the calendar's time
        zone."""
        calendar = company.resource_calendar_id
        tz = pytz.timezone(calendar.tz or "UTC")
        leaves = self.env["resource.calendar.leaves"].with_company(company).search([
            ("resource_id", "=", False),
            ("time_type", "=", "leave"),
            ("calendar_id", "in", [calendar.id, False]),
            ("company_id", "in", [company.id, False]),
            ("date_from", "<=", datetime.combine(end, time.max)),
            ("date_to", ">=", datetime.combine(start, time.min) - timedelta(days=1)),
        ])
        holidays = set()
        for leave in leaves:
            day = pytz.utc.localize(leave.date_from).astimezone(tz).date()
            last = pytz.utc.localize(leave.date_to).astimezone(tz).date()
            while day <= last:
                holidays.add(day)
                day += timedelta(days=1)
        return frozenset(holidays)
