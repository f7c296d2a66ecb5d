# Copyright 2026 Progress Billing Developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from datetime import date

from odoo.tests import TransactionCase, tagged

from ..tools.business_days import business_days_left, deadline, is_business_day, next_business_day

# New South Wales public holidays around the examples (Public Holidays Act 2010 (NSW))
LABOUR_DAY_2026 = date(2026, 10, 5)
CHRISTMAS_2026 = date(2026, 12, 25)
BOXING_DAY_2026_OBSERVED = date(2026, 12, 28)
NEW_YEAR_2027 = date(2027, 1, 1)
NSW_HOLIDAYS = frozenset({LABOUR_DAY_2026, CHRISTMAS_2026, BOXING_DAY_2026_OBSERVED, NEW_YEAR_2027})


@tagged("post_install", "-at_install", "progress_billing")
class TestBusinessDays(TransactionCase):
    """readme/USAGE.md, "Payment schedules and the statutory clock": the business-day arithmetic of the statutory clock,
    as pure functions."""

    def test_weekends_are_skipped(self):
        # Wednesday 7 October 2026: Thursday, Friday, then Monday and Tuesday
        self.assertEqual(deadline(date(2026, 10, 7), 4), date(2026, 10, 13))

    def test_day_of_receipt_is_not_counted(self):
        self.assertEqual(deadline(date(2026, 10, 7), 1), date(2026, 10, 8))
        self.assertEqual(deadline(date(2026, 10, 7), 0), date(2026, 10, 7))

    def test_public_holidays_are_skipped(self):
        """The worked example (readme/USAGE.md, "Worked example"): a claim received on Friday 2
        October 2026, before the Labour Day Monday, under the NSW subcontract
        regime (10 business days to schedule, 20 to pay)."""
        received = date(2026, 10, 2)
        self.assertEqual(deadline(received, 10, holidays=NSW_HOLIDAYS), date(2026, 10, 19))
        self.assertEqual(deadline(received, 20, holidays=NSW_HOLIDAYS), date(2026, 11, 2))
        # without the holiday, one business day earlier
        self.assertEqual(deadline(received, 10), date(2026, 10, 16))

    def test_claim_received_on_a_holiday_counts_from_the_next_business_day(self):
        on_holiday = deadline(LABOUR_DAY_2026, 10, holidays=NSW_HOLIDAYS)
        self.assertEqual(on_holiday, deadline(date(2026, 10, 6), 10, holidays=NSW_HOLIDAYS))
        self.assertEqual(on_holiday, date(2026, 10, 20))

    def test_claim_received_on_a_weekend_counts_from_the_next_business_day(self):
        saturday, monday = date(2026, 10, 10), date(2026, 10, 12)
        self.assertEqual(deadline(saturday, 10), deadline(monday, 10))
        self.assertEqual(deadline(saturday, 10), date(2026, 10, 26))

    def test_nsw_excludes_27_to_31_december(self):
        received = date(2026, 12, 14)
        self.assertEqual(
            deadline(received, 10, holidays=NSW_HOLIDAYS, year_end_break="december_27_31"), date(2027, 1, 5)
        )
        # Victoria has no such break: only the public holidays
        self.assertEqual(deadline(received, 10, holidays=NSW_HOLIDAYS), date(2026, 12, 30))
        self.assertFalse(is_business_day(date(2026, 12, 29), year_end_break="december_27_31"))
        self.assertTrue(is_business_day(date(2026, 12, 29)))
        # a claim received during the break counts from the first business day after it
        self.assertEqual(
            next_business_day(date(2026, 12, 29), holidays=NSW_HOLIDAYS, year_end_break="december_27_31"),
            date(2027, 1, 4),
        )

    def test_break_across_the_new_year(self):
        """Queensland: 22 December to 10 January are not business days."""
        self.assertFalse(is_business_day(date(2027, 1, 8), year_end_break="december_22_january_10"))
        self.assertTrue(is_business_day(date(2027, 1, 11), year_end_break="december_22_january_10"))
        self.assertEqual(deadline(date(2026, 12, 21), 1, year_end_break="december_22_january_10"), date(2027, 1, 11))

    def test_calendar_days(self):
        """Contract terms in calendar days count every day, weekends and holidays included."""
        self.assertEqual(deadline(date(2026, 10, 2), 7, business_days=False, holidays=NSW_HOLIDAYS), date(2026, 10, 9))
        self.assertEqual(deadline(date(2026, 10, 3), 30, business_days=False), date(2026, 11, 2))

    def test_other_weekend_days(self):
        """A calendar working Sunday to Thursday (weekend: Friday and Saturday)."""
        self.assertEqual(deadline(date(2026, 10, 8), 1, weekend={4, 5}), date(2026, 10, 11))

    def test_business_days_left(self):
        due = date(2026, 10, 19)
        self.assertEqual(business_days_left(date(2026, 10, 15), due), 2)
        self.assertEqual(business_days_left(date(2026, 10, 14), due), 3)
        self.assertEqual(business_days_left(date(2026, 10, 16), due), 1)
        self.assertEqual(business_days_left(due, due), 0)
        self.assertEqual(business_days_left(date(2026, 10, 20), due), 0)

    def test_invalid_periods(self):
        with self.assertRaisesRegex(ValueError, "cannot count -1 days"):
            deadline(date(2026, 10, 2), -1)
        with self.assertRaisesRegex(ValueError, "no business day"):
            deadline(date(2026, 10, 2), 1, weekend=set(range(7)))
