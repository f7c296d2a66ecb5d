# Copyright 2026 Progress Billing Developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from datetime import date, timedelta

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import TransactionCase, freeze_time, tagged

from ..models.progress_billing_period import monthly_period_bounds
from .common import ProgressBillingCase


@tagged("post_install", "-at_install", "progress_billing")
class TestMonthlyPeriodBounds(TransactionCase):
    """Pure date arithmetic: no fixtures needed."""

    def test_calendar_month(self):
        self.assertEqual(monthly_period_bounds(date(2026, 3, 15), 1), (date(2026, 3, 1), date(2026, 3, 31)))
        self.assertEqual(monthly_period_bounds(date(2028, 2, 10), 1), (date(2028, 2, 1), date(2028, 2, 29)))

    def test_billing_day_31_falls_back_to_month_end(self):
        self.assertEqual(monthly_period_bounds(date(2026, 2, 15), 31), (date(2026, 1, 31), date(2026, 2, 27)))
        self.assertEqual(monthly_period_bounds(date(2026, 2, 28), 31), (date(2026, 2, 28), date(2026, 3, 30)))
        self.assertEqual(monthly_period_bounds(date(2028, 2, 29), 30), (date(2028, 2, 29), date(2028, 3, 29)))
        self.assertEqual(monthly_period_bounds(date(2026, 4, 30), 31), (date(2026, 4, 30), date(2026, 5, 30)))

    def test_year_boundary(self):
        self.assertEqual(monthly_period_bounds(date(2026, 1, 5), 25), (date(2025, 12, 25), date(2026, 1, 24)))
        self.assertEqual(monthly_period_bounds(date(2026, 12, 31), 1), (date(2026, 12, 1), date(2026, 12, 31)))


@tagged("post_install", "-at_install", "progress_billing")
class TestBillingPeriod(ProgressBillingCase):
    """Billing period rules (readme/USAGE.md, "Billing periods")."""

    def test_end_before_start_is_refused(self):
        with self.assertRaisesRegex(ValidationError, r"Billing period .* of project Riverside Tower ends before it starts"):
            self._create_period(self.project, date(2026, 2, 10), date(2026, 2, 9))

    def test_overlapping_periods_are_refused(self):
        self._create_month_period(self.project, 2026, 1)
        with self.assertRaisesRegex(
            ValidationError, r"Billing period 2026-01-31 – 2026-02-27 overlaps billing period 2026-01-01 – 2026-01-31 of project Riverside Tower"
        ):
            self._create_period(self.project, date(2026, 1, 31), date(2026, 2, 27))

    def test_moving_a_period_onto_another_is_refused(self):
        january = self._create_month_period(self.project, 2026, 1, state="closed")
        february = self._create_month_period(self.project, 2026, 2, state="closed")
        with self.assertRaisesRegex(ValidationError, "overlaps billing period"):
            february.date_start = date(2026, 1, 20)
        january.date_end = date(2026, 1, 20)  # shrinking does not clash

    def test_adjacent_periods_and_other_projects_do_not_clash(self):
        self._create_month_period(self.project, 2026, 1)
        self._create_month_period(self.project, 2026, 2)
        self._create_month_period(self._create_project("Harbour Bridge"), 2026, 1)

    def test_only_one_open_period(self):
        """Opening a period closes the project's previous open one, not another project's."""
        other_project_period = self._create_month_period(self._create_project("Harbour Bridge"), 2026, 1)
        january = self._create_month_period(self.project, 2026, 1)
        self.assertEqual(self.period.state, "closed")
        self.period.action_open()
        self.assertEqual((january.state, self.period.state, other_project_period.state), ("closed", "open", "open"))

    def test_due_date_defaults_to_end(self):
        period = self.env["progress.billing.period"].new({"date_start": date(2026, 1, 1), "date_end": date(2026, 1, 31)})
        period._onchange_date_end()
        self.assertEqual(period.date_due, date(2026, 1, 31))

    def test_name_shows_the_dates(self):
        self.assertEqual(self._create_month_period(self.project, 2026, 1).display_name, "2026-01-01 – 2026-01-31")

    def test_users_cannot_manage_periods(self):
        """Billing periods are managed by invoice administrators (managers)."""
        values = {"project_id": self.project.id, "date_start": date(2026, 1, 1), "date_end": date(2026, 1, 31),
                  "date_due": date(2026, 1, 31)}
        with self.assertRaises(AccessError):
            self.env["progress.billing.period"].with_user(self.user).create(values)
        with self.assertRaises(AccessError):
            self.period.with_user(self.user).action_close()
        self.env["progress.billing.period"].with_user(self.manager).create(values).action_open()
        self.assertEqual(self.period.state, "closed")


@tagged("post_install", "-at_install", "progress_billing")
class TestBillingPeriodInvoices(ProgressBillingCase):
    """A new invoice needs an Open period whose due date has not passed
    (managers excepted); a period linked to an invoice is never deleted."""

    def test_new_invoice_needs_an_open_period(self):
        future = self._create_next_period(state="future")
        with self.assertRaisesRegex(UserError, rf"Cannot add a subcontractor invoice to billing period {future.name} of project Riverside Tower: the period is not open"):
            self._create_sub_invoice(future)
        self.period.action_close()
        with self.assertRaisesRegex(UserError, "the period is not open. Choose the project's open billing period, or ask a Progress Billing manager to open this one"):
            self._create_owner_invoice(self.period)

    def test_due_date_passed_only_managers_create(self):
        last_month_end = self.period.date_start - timedelta(days=1)
        past = self._create_period(self.project, last_month_end.replace(day=1), last_month_end,
                                   date_due=last_month_end - timedelta(days=5))
        with self.assertRaisesRegex(UserError, r"Cannot add a subcontractor invoice to billing period .*: its due date .* has passed, and only a Progress Billing manager"):
            self.env["progress.billing.sub.invoice"].with_user(self.user).create({
                "purchase_order_id": self.commitment.id, "period_id": past.id,
            })
        invoice = self.env["progress.billing.sub.invoice"].with_user(self.manager).create({
            "purchase_order_id": self.commitment.id, "period_id": past.id,
        })
        self.assertEqual(invoice.period_id, past)

    def test_user_creates_invoice_until_due_date(self):
        self.period.date_due = date.today()
        invoice = self.env["progress.billing.sub.invoice"].with_user(self.user).create({
            "purchase_order_id": self.commitment.id, "period_id": self.period.id,
        })
        self.assertEqual(len(invoice.line_ids), 2)

    def test_invoiced_period_is_closed_not_deleted(self):
        self._create_sub_invoice()
        with self.assertRaisesRegex(UserError, r"Billing period .* of project Riverside Tower has invoices: close it instead of deleting it"):
            self.period.with_user(self.manager).unlink()
        self.period.with_user(self.manager).action_close()
        self.assertEqual(self.period.state, "closed")
        empty = self._create_next_period(state="future")
        empty.with_user(self.manager).unlink()
        self.assertFalse(empty.exists())

    def test_period_counts_its_invoices(self):
        self._create_sub_invoice()
        self._create_owner_invoice()
        self.assertEqual((self.period.sub_invoice_count, self.period.owner_invoice_count), (1, 1))


@tagged("post_install", "-at_install", "progress_billing")
class TestBillingPeriodCron(ProgressBillingCase):
    """The scheduled action creates each automatic project's monthly period
    holding today, opens it and closes the previous one; it runs through
    ``ir.cron`` (its ``_commit_progress`` commits between projects)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.cron = cls.env.ref("progress_billing.ir_cron_create_billing_periods")
        cls.auto_project = cls._create_project("Airport Terminal", billing_period_auto=True)
        cls.day_15_project = cls._create_project("Hospital Wing", billing_period_auto=True, billing_day=15)

    def _run_cron(self, day):
        with freeze_time(day), self.enter_registry_test_mode():
            self.cron.method_direct_trigger()

    def _periods(self, project):
        return [
            (period.date_start, period.date_end, period.date_due, period.state)
            for period in project.billing_period_ids.sorted("date_start")
        ]

    def test_creates_and_opens_the_current_month(self):
        self._run_cron("2026-03-10")
        self.assertEqual(self._periods(self.auto_project), [(date(2026, 3, 1), date(2026, 3, 31), date(2026, 3, 31), "open")])
        self.assertEqual(self._periods(self.day_15_project), [(date(2026, 2, 15), date(2026, 3, 14), date(2026, 3, 14), "open")])
        self.assertTrue(self.auto_project.billing_period_ids.is_automatic)
        self.assertEqual(self.project.billing_period_ids, self.period, "projects without automatic periods are left alone")

    def test_runs_twice_a_day_without_duplicates(self):
        self._run_cron("2026-03-10")
        self._run_cron("2026-03-10 23:00:00")
        self._run_cron("2026-03-31")
        self.assertEqual(len(self.auto_project.billing_period_ids), 1)

    def test_next_month_closes_the_previous_period(self):
        self._run_cron("2026-01-31")
        self._run_cron("2026-02-01")
        self._run_cron("2026-03-01")
        self.assertEqual(self._periods(self.auto_project), [
            (date(2026, 1, 1), date(2026, 1, 31), date(2026, 1, 31), "closed"),
            (date(2026, 2, 1), date(2026, 2, 28), date(2026, 2, 28), "closed"),
            (date(2026, 3, 1), date(2026, 3, 31), date(2026, 3, 31), "open"),
        ])

    def test_month_ends_with_billing_day_31(self):
        self.auto_project.billing_day = 31
        for day in ("2026-01-31", "2026-02-27", "2026-02-28", "2026-03-30", "2026-03-31", "2026-04-30"):
            self._run_cron(day)
        self.assertEqual([period[:2] for period in self._periods(self.auto_project)], [
            (date(2026, 1, 31), date(2026, 2, 27)),
            (date(2026, 2, 28), date(2026, 3, 30)),
            (date(2026, 3, 31), date(2026, 4, 29)),
            (date(2026, 4, 30), date(2026, 5, 30)),
        ])

    def test_leap_year_february(self):
        self.auto_project.billing_day = 30
        for day in ("2028-01-30", "2028-02-29", "2028-03-29", "2028-03-30"):
            self._run_cron(day)
        self.assertEqual([period[:2] for period in self._periods(self.auto_project)], [
            (date(2028, 1, 30), date(2028, 2, 28)),
            (date(2028, 2, 29), date(2028, 3, 29)),
            (date(2028, 3, 30), date(2028, 4, 29)),
        ])

    def test_never_overlaps_a_manual_period(self):
        """A manual period holding today is kept; one covering part of the
        month leaves the automatic period the rest of it."""
        manual = self._create_period(self.auto_project, date(2026, 3, 1), date(2026, 3, 10))
        self._run_cron("2026-03-05")
        self.assertEqual(self.auto_project.billing_period_ids, manual)
        self._run_cron("2026-03-15")
        self.assertEqual(self._periods(self.auto_project), [
            (date(2026, 3, 1), date(2026, 3, 10), date(2026, 3, 10), "closed"),
            (date(2026, 3, 11), date(2026, 3, 31), date(2026, 3, 31), "open"),
        ])

    def test_stops_before_a_later_manual_period(self):
        self._create_period(self.auto_project, date(2026, 3, 20), date(2026, 4, 19), state="future")
        self._run_cron("2026-03-05")
        self.assertEqual(self._periods(self.auto_project)[0], (date(2026, 3, 1), date(2026, 3, 19), date(2026, 3, 19), "open"))

    def test_changed_billing_day_continues_without_gap(self):
        self._run_cron("2026-03-10")
        self.auto_project.billing_day = 15
        self._run_cron("2026-03-20")
        self._run_cron("2026-04-05")
        self._run_cron("2026-04-15")
        self.assertEqual([period[:2] for period in self._periods(self.auto_project)], [
            (date(2026, 3, 1), date(2026, 3, 31)),
            (date(2026, 4, 1), date(2026, 4, 14)),
            (date(2026, 4, 15), date(2026, 5, 14)),
        ])

    def test_every_company(self):
        other_company = self._create_company("Other Builders")
        other_project = self._create_project("Depot", company=other_company, billing_period_auto=True)
        self._run_cron("2026-03-10")
        self.assertEqual(other_project.billing_period_ids.company_id, other_company)

    def test_billing_day_between_1_and_31(self):
        with self.assertRaisesRegex(ValidationError, "The billing day of project Airport Terminal must be between 1 and 31, not 32"):
            self.auto_project.billing_day = 32
