from datetime import date

from odoo.exceptions import ValidationError
from odoo.tests import TransactionCase, new_test_user, tagged

from ..models.progress_billing_period import monthly_period_bounds


@tagged("post_install", "-at_install", "progress_billing")
class TestMonthlyPeriodBounds(TransactionCase):
    def test_calendar_month(self):
        self.assertEqual(monthly_period_bounds(date(2026, 3, 15), 1), (date(2026, 3, 1), date(2026, 3, 31)))

    def test_billing_day_31_falls_back_to_month_end(self):
        self.assertEqual(monthly_period_bounds(date(2026, 2, 15), 31), (date(2026, 1, 31), date(2026, 2, 27)))
        self.assertEqual(monthly_period_bounds(date(2026, 2, 28), 31), (date(2026, 2, 28), date(2026, 3, 30)))
        self.assertEqual(monthly_period_bounds(date(2028, 2, 29), 30), (date(2028, 2, 29), date(2028, 3, 29)))

    def test_year_boundary(self):
        self.assertEqual(monthly_period_bounds(date(2026, 1, 5), 25), (date(2025, 12, 25), date(2026, 1, 24)))


@tagged("post_install", "-at_install", "progress_billing")
class TestBillingPeriodOverlap(TransactionCase):
    def test_overlapping_periods_are_refused(self):
        project = self.env["project.project"].create({"name": "Tower"})
        Period = self.env["progress.billing.period"]
        Period.create({"project_id": project.id, "date_start": "2026-01-01", "date_end": "2026-01-31", "date_due": "2026-01-25"})
        with self.assertRaisesRegex(ValidationError, "overlaps billing period"):
            Period.create({"project_id": project.id, "date_start": "2026-01-31", "date_end": "2026-02-27", "date_due": "2026-02-25"})


@tagged("post_install", "-at_install", "progress_billing")
class TestBillingPeriodAccess(TransactionCase):
    def test_period_of_a_project_without_company_is_visible(self):
        """Odoo 19 projects may have no company; their billing periods are then shared."""
        project = self.env["project.project"].create({"name": "Shared Yard", "company_id": False})
        period = self.env["progress.billing.period"].create(
            {"project_id": project.id, "date_start": "2026-01-01", "date_end": "2026-01-31", "date_due": "2026-01-31"}
        )
        user = new_test_user(self.env, "pb_period_reader", groups="progress_billing.group_progress_billing_user")
        self.assertEqual(period.with_user(user).read(["date_start"])[0]["date_start"], period.date_start)
