# Copyright 2026 Progress Billing Developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

"""Statutory deadlines counted in business or calendar days
(readme/USAGE.md, "Payment schedules and the statutory clock").

Pure functions, without database: the payment regime model gives them the
company calendar's weekend days and public holidays.

Counting rules, as the Security of Payment Acts count them:

- a period of *n* business days "after" a claim is served starts the day after
  it: the day of receipt itself is never counted;
- a claim received on a day that is not a business day (a weekend, a public
  holiday, a day of the year-end break) is taken as received on the next
  business day, and the count starts after that day;
- a business day is neither a weekend day, nor a public holiday, nor a day of
  the regime's year-end break (NSW: 27 to 31 December, s4 "business day";
  Queensland: 22 December to 10 January, BIF Act schedule 2);
- calendar-day periods (contract terms) count every day after the receipt.
"""

from datetime import timedelta

# Year-end breaks, as ((first month, first day), (last month, last day)),
# the last possibly in the next year
YEAR_END_BREAKS = {
    "december_27_31": ((12, 27), (12, 31)),
    "december_22_january_10": ((12, 22), (1, 10)),
}
SATURDAY_SUNDAY = frozenset({5, 6})


def in_year_end_break(day, year_end_break):
    """Whether ``day`` falls in the break named ``year_end_break`` (a key of
    YEAR_END_BREAKS, or a false value for none)."""
    if not year_end_break:
        return False
    first, last = YEAR_END_BREAKS[year_end_break]
    month_day = (day.month, day.day)
    if first <= last:
        return first <= month_day <= last
    return month_day >= first or month_day <= last


def is_business_day(day, weekend=SATURDAY_SUNDAY, holidays=frozenset(), year_end_break=None):
    """Whether ``day`` is a business day: not a ``weekend`` weekday (0 is
    Monday), not in ``holidays``, not in the year-end break."""
    return day.weekday() not in weekend and day not in holidays and not in_year_end_break(day, year_end_break)


def next_business_day(day, weekend=SATURDAY_SUNDAY, holidays=frozenset(), year_end_break=None):
    """``day`` itself when it is a business day, else the first one after it."""
    _check_weekend(weekend)
    while not is_business_day(day, weekend, holidays, year_end_break):
        day += timedelta(days=1)
    return day


def deadline(received, count, business_days=True, weekend=SATURDAY_SUNDAY, holidays=frozenset(), year_end_break=None):
    """The last day of a period of ``count`` business days (or calendar days
    when ``business_days`` is false) after a claim received on ``received``."""
    if count < 0:
        raise ValueError(f"A period cannot count {count} days.")
    if not business_days:
        return received + timedelta(days=count)
    day = next_business_day(received, weekend, holidays, year_end_break)
    for _counted in range(count):
        day = next_business_day(day + timedelta(days=1), weekend, holidays, year_end_break)
    return day


def business_days_left(today, due, weekend=SATURDAY_SUNDAY, holidays=frozenset(), year_end_break=None):
    """Business days after ``today`` up to and including ``due`` (0 when
    ``due`` is today or past): how many business days a deadline still
    leaves."""
    left, day = 0, today
    while day < due:
        day += timedelta(days=1)
        left += is_business_day(day, weekend, holidays, year_end_break)
    return left


def _check_weekend(weekend):
    if len(set(weekend)) >= 7:
        raise ValueError("A calendar whose every weekday is a weekend day has no business day.")

