# Copyright 2026 Progress Billing Developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from datetime import date, time

from lxml import etree
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import HttpCase, freeze_time, tagged
from odoo.tools.safe_eval import safe_eval

from .common_statutory_clock import FRIDAY_BEFORE_LABOUR_DAY, LABOUR_DAY_2026, StatutoryClockCase, sydney_utc

SCHEDULE_ACTIVITY = "progress_billing.mail_activity_type_payment_schedule"


@tagged("post_install", "-at_install", "progress_billing")
class TestPaymentRegime(StatutoryClockCase):
    """readme/CONFIGURE.md, "Payment regimes": payment regimes are data that administrators edit and add."""

    def test_shipped_regimes(self):
        def figures(xmlid):
            regime = self.env.ref(f"progress_billing.{xmlid}")
            return regime.schedule_days, regime.payment_days, regime.day_kind, regime.year_end_break or None

        self.assertEqual(figures("payment_regime_nsw_subcontract"), (10, 20, "business", "december_27_31"))
        self.assertEqual(figures("payment_regime_nsw_head_contract"), (10, 15, "business", "december_27_31"))
        self.assertEqual(figures("payment_regime_vic"), (10, 10, "business", None))
        self.assertEqual(figures("payment_regime_qld_subcontract"), (15, 25, "business", "december_22_january_10"))
        self.assertEqual(figures("payment_regime_qld_head_contract"), (15, 15, "business", "december_22_january_10"))
        self.assertEqual(figures("payment_regime_us_contract_terms"), (7, 30, "calendar", None))
        self.assertIn("s14(4)", self.nsw_subcontract.description)
        self.assertIn("s11(1B)", self.nsw_subcontract.description)
        self.assertIn("Security of Payment Act 1999 (NSW)", self.nsw_subcontract.schedule_statement)

    def test_administrators_edit_and_add_regimes(self):
        Regime = self.env["progress.billing.payment.regime"].with_user(self.manager)
        regime = Regime.create({"name": "Our subcontract terms", "schedule_days": 5, "payment_days": 25})
        regime.payment_days = 20
        self.nsw_subcontract.with_user(self.manager).schedule_days = 8
        self.assertEqual((regime.payment_days, self.nsw_subcontract.schedule_days), (20, 8))

    def test_users_only_read_regimes(self):
        Regime = self.env["progress.billing.payment.regime"].with_user(self.user)
        self.assertIn(self.nsw_subcontract, Regime.search([]))
        with self.assertRaisesRegex(AccessError, "not allowed to create 'Payment Regime'"):
            Regime.create({"name": "Mine", "schedule_days": 1, "payment_days": 1})
        with self.assertRaisesRegex(AccessError, "not allowed to modify 'Payment Regime'"):
            self.nsw_subcontract.with_user(self.user).schedule_days = 30
        self.assertEqual(self.nsw_subcontract.schedule_days, 10)

    def test_company_regimes(self):
        """A regime of another company is neither read nor chosen; shipped ones are shared."""
        other_company = self._create_company("Other Builder")
        theirs = self.env["progress.billing.payment.regime"].create({
            "name": "Their terms", "schedule_days": 5, "payment_days": 10, "company_id": other_company.id,
        })
        regimes = self.env["progress.billing.payment.regime"].with_user(self.manager).search([])
        self.assertIn(self.nsw_subcontract, regimes)
        self.assertNotIn(theirs, regimes)
        with self.assertRaisesRegex(UserError, "company inconsistencies"):
            self.project.sub_payment_regime_id = theirs
        with self.assertRaisesRegex(UserError, "company inconsistencies"):
            self.commitment.payment_regime_id = theirs

    def test_negative_days_refused(self):
        with self.assertRaisesRegex(ValidationError, "Payment regime Bad cannot count a negative number of days"):
            self.env["progress.billing.payment.regime"].create({"name": "Bad", "schedule_days": -1, "payment_days": 1})

    def test_public_holidays_of_the_company_calendar(self):
        """Time off of the company's working schedule without a resource are
        public holidays, read in the calendar's time zone; a resource's own
        time off is not."""
        employee_leave = self.env["resource.calendar.leaves"].create({
            "name": "Someone's leave", "calendar_id": self.company.resource_calendar_id.id,
            "resource_id": self.env["resource.resource"].create({"name": "Crane"}).id,
            "date_from": sydney_utc(date(2026, 10, 7), time.min), "date_to": sydney_utc(date(2026, 10, 7), time(23, 59, 59)),
        })
        self.assertTrue(employee_leave)
        holidays = self.nsw_subcontract._public_holidays(self.company, date(2026, 10, 1), date(2026, 10, 31))
        self.assertEqual(holidays, {LABOUR_DAY_2026})
        self.assertEqual(self.nsw_subcontract._deadline(FRIDAY_BEFORE_LABOUR_DAY, 10, self.company), date(2026, 10, 19))


@tagged("post_install", "-at_install", "progress_billing")
class TestStatutoryClock(StatutoryClockCase):
    """readme/USAGE.md, "Payment schedules and the statutory clock": each claim computes when it was received, when its
    payment schedule and its payment are due, and whether the schedule was given in time."""

    def test_submission_starts_the_clock(self):
        invoice = self._receive(self._create_sub_invoice(), FRIDAY_BEFORE_LABOUR_DAY)
        self.assertValues(invoice, {
            "payment_regime_id": self.nsw_subcontract,
            "claim_received_date": FRIDAY_BEFORE_LABOUR_DAY,
            "schedule_due_date": date(2026, 10, 19),
            "payment_due_date": date(2026, 11, 2),
            "schedule_given_date": False,
            "schedule_status": "awaiting",
        })

    def test_no_regime_no_deadline(self):
        self.project.sub_payment_regime_id = False
        invoice = self._receive(self._create_sub_invoice(), FRIDAY_BEFORE_LABOUR_DAY)
        self.assertValues(invoice, {
            "claim_received_date": FRIDAY_BEFORE_LABOUR_DAY, "schedule_due_date": False, "schedule_status": False,
        })
        self.assertFalse(invoice.activity_ids)

    def test_contract_regime_overrides_the_project(self):
        self.commitment.payment_regime_id = self.vic
        invoice = self._receive(self._create_sub_invoice(), FRIDAY_BEFORE_LABOUR_DAY)
        self.assertEqual(invoice.payment_regime_id, self.vic)
        # Victoria: 10 business days to schedule and to pay (the calendar's Labour Day is a holiday for both)
        self.assertEqual((invoice.schedule_due_date, invoice.payment_due_date), (date(2026, 10, 19), date(2026, 10, 19)))

    def test_regime_edits_do_not_move_received_claims(self):
        invoice = self._receive(self._create_sub_invoice(), FRIDAY_BEFORE_LABOUR_DAY)
        self.nsw_subcontract.schedule_days = 5
        self.assertEqual(invoice.schedule_due_date, date(2026, 10, 19))

    def test_reviewer_corrects_the_received_date(self):
        """A claim received on the public holiday counts from the next business day."""
        invoice = self._receive(self._create_sub_invoice(), FRIDAY_BEFORE_LABOUR_DAY)
        invoice.with_user(self.manager).claim_received_date = LABOUR_DAY_2026
        self.assertEqual((invoice.schedule_due_date, invoice.payment_due_date), (date(2026, 10, 20), date(2026, 11, 3)))

    def test_users_cannot_move_the_clock(self):
        invoice = self._receive(self._create_sub_invoice(), FRIDAY_BEFORE_LABOUR_DAY)
        for field_name, value in [
            ("claim_received_date", date(2026, 10, 9)),
            ("schedule_given_date", date(2026, 10, 9)),
            ("payment_regime_id", self.vic.id),
        ]:
            with self.subTest(field=field_name), self.assertRaisesRegex(
                AccessError, "Only a Progress Billing administrator can change"
            ):
                invoice.with_user(self.user).write({field_name: value})
        with self.assertRaisesRegex(AccessError, "are set by Progress Billing itself"):
            invoice.with_user(self.manager).schedule_alert = "overdue"
        self.assertEqual(invoice.claim_received_date, FRIDAY_BEFORE_LABOUR_DAY)

    def test_users_cannot_create_a_received_claim(self):
        with self.assertRaisesRegex(AccessError, "Only a Progress Billing administrator can change Claim Received On"):
            self.env["progress.billing.sub.invoice"].with_user(self.user).create({
                "purchase_order_id": self.commitment.id, "period_id": self.period.id,
                "claim_received_date": date(2026, 1, 1),
            })

    def test_reviewer_gets_an_activity_due_on_the_schedule_date(self):
        invoice = self._receive(self._create_sub_invoice(), FRIDAY_BEFORE_LABOUR_DAY)
        activity = invoice.activity_ids
        self.assertEqual(len(activity), 1)
        self.assertEqual(activity.activity_type_id, self.env.ref(SCHEDULE_ACTIVITY))
        self.assertEqual((activity.user_id, activity.date_deadline), (self.manager, date(2026, 10, 19)))

    def test_schedule_given_in_time_on_certification(self):
        invoice = self._receive(self._create_sub_invoice(), FRIDAY_BEFORE_LABOUR_DAY)
        with freeze_time(sydney_utc(date(2026, 10, 19), time(16))):
            invoice.with_user(self.manager).action_approve_as_noted()
        self.assertValues(invoice, {"schedule_given_date": date(2026, 10, 19), "schedule_status": "on_time"})
        self.assertFalse(invoice.activity_ids, "the reviewer's activity is done")

    def test_schedule_given_late(self):
        invoice = self._receive(self._create_sub_invoice(), FRIDAY_BEFORE_LABOUR_DAY)
        with freeze_time(sydney_utc(date(2026, 10, 20), time(9))):
            invoice.with_user(self.manager).action_approve()
        self.assertValues(invoice, {"schedule_given_date": date(2026, 10, 20), "schedule_status": "late"})

    def test_resubmission_is_a_new_claim(self):
        invoice = self._receive(self._create_sub_invoice(), FRIDAY_BEFORE_LABOUR_DAY)
        with freeze_time(sydney_utc(date(2026, 10, 6), time(9))):
            invoice.with_user(self.manager).action_request_revision()
        self._receive(invoice, date(2026, 10, 9))
        self.assertValues(invoice, {"claim_received_date": date(2026, 10, 9), "schedule_due_date": date(2026, 10, 23)})
        self.assertEqual(len(invoice.activity_ids), 1, "the open activity follows the new deadline, no twin")
        self.assertEqual(invoice.activity_ids.date_deadline, date(2026, 10, 23))

    def test_owner_side(self):
        """Our owner invoice is the claim: the owner's schedule is due to us
        in 10 business days, the payment in 15 (NSW head contract)."""
        invoice = self._receive(self._create_owner_invoice(), FRIDAY_BEFORE_LABOUR_DAY)
        self.assertValues(invoice, {
            "payment_regime_id": self.nsw_head_contract,
            "schedule_due_date": date(2026, 10, 19),
            "payment_due_date": date(2026, 10, 26),
        })
        self.assertFalse(invoice.activity_ids, "no reviewer owes a schedule on our own claim")
        with freeze_time(sydney_utc(date(2026, 10, 16), time(9))):
            invoice.with_user(self.manager).action_approve()
        self.assertValues(invoice, {"schedule_given_date": date(2026, 10, 16), "schedule_status": "on_time"})

    def test_prime_contract_regime_overrides_the_project(self):
        self.prime_contract.payment_regime_id = self.vic
        invoice = self._receive(self._create_owner_invoice(), FRIDAY_BEFORE_LABOUR_DAY)
        self.assertEqual(invoice.payment_regime_id, self.vic)

    def test_filters(self):
        awaiting = self._receive(self._create_sub_invoice(), FRIDAY_BEFORE_LABOUR_DAY)
        given = self._receive(self._create_sub_invoice(commitment=self._create_commitment(self.project, [
            {"name": "Steel", "cost_code_id": self.cost_code.id, "cost_type_id": self.labor.id, "price_unit": 10_000},
        ])), FRIDAY_BEFORE_LABOUR_DAY)
        with freeze_time(sydney_utc(date(2026, 10, 12), time(9))):
            given.with_user(self.manager).action_approve()
        Invoice = self.env["progress.billing.sub.invoice"]
        search = self.env.ref("progress_billing.progress_billing_sub_invoice_view_search_statutory_clock")
        domains = {
            name: self._filter_domain(search, name) for name in ("schedule_due_this_week", "schedule_overdue", "payment_due")
        }
        ours = [("id", "in", (awaiting | given).ids)]
        with freeze_time(sydney_utc(date(2026, 10, 14), time(9))):
            self.assertEqual(Invoice.search(ours + domains["schedule_due_this_week"]), Invoice)
            self.assertEqual(Invoice.search(ours + domains["schedule_overdue"]), Invoice)
        with freeze_time(sydney_utc(date(2026, 10, 19), time(9))):
            self.assertEqual(Invoice.search(ours + domains["schedule_due_this_week"]), awaiting)
        with freeze_time(sydney_utc(date(2026, 10, 20), time(9))):
            self.assertEqual(Invoice.search(ours + domains["schedule_overdue"]), awaiting)
        with freeze_time(sydney_utc(date(2026, 10, 27), time(9))):
            self.assertEqual(Invoice.search(ours + domains["payment_due"]), given)

    def _filter_domain(self, view, name):
        node = etree.fromstring(view.arch).xpath(f"//filter[@name='{name}']")[0]
        return safe_eval(node.get("domain"))


@tagged("post_install", "-at_install", "progress_billing")
class TestStatutoryClockCron(StatutoryClockCase):
    """readme/USAGE.md, "Payment schedules and the statutory clock": the scheduled action warns the reviewers two
    business days before a payment schedule is due and flags the claims whose deadline
    passed without one, once each, whatever the number of runs."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.cron = cls.env.ref("progress_billing.ir_cron_statutory_clock")

    def _run_cron(self, day):
        with freeze_time(sydney_utc(day, time(7))), self.enter_registry_test_mode():
            self.cron.method_direct_trigger()

    def _alerts(self, invoice, fragment):
        return invoice.message_ids.filtered(lambda message: fragment in (message.body or ""))

    def _notifications(self, fragment):
        return self.env["bus.bus"].sudo().search([("message", "ilike", fragment)])

    def test_warns_two_business_days_before_once(self):
        invoice = self._receive(self._create_sub_invoice(), FRIDAY_BEFORE_LABOUR_DAY)
        self._run_cron(date(2026, 10, 14))  # three business days left: 15, 16 and 19 October
        self.assertFalse(invoice.schedule_alert)
        for day in (date(2026, 10, 15), date(2026, 10, 15), date(2026, 10, 16)):
            self._run_cron(day)
        invoice.invalidate_recordset()
        self.assertEqual(invoice.schedule_alert, "warned")
        self.assertEqual(len(self._alerts(invoice, "in two business days or less")), 1)
        self.assertEqual(len(self._notifications("in two business days or less")), 1)
        activity = invoice.activity_ids
        self.assertEqual(len(activity), 1, "the reviewer's activity is updated, not doubled")
        self.assertEqual((activity.summary, activity.user_id), ("Payment schedule due soon", self.manager))

    def test_flags_overdue_claims_once(self):
        invoice = self._receive(self._create_sub_invoice(), FRIDAY_BEFORE_LABOUR_DAY)
        for day in (date(2026, 10, 20), date(2026, 10, 21), date(2026, 10, 22)):
            self._run_cron(day)
        invoice.invalidate_recordset()
        self.assertEqual(invoice.schedule_alert, "overdue")
        self.assertEqual(len(self._alerts(invoice, "The full claimed amount may now be payable")), 1)
        self.assertEqual(len(self._notifications("The full claimed amount may now be payable")), 1)
        self.assertEqual(invoice.activity_ids.summary, "Payment schedule overdue")

    def test_warned_then_overdue(self):
        invoice = self._receive(self._create_sub_invoice(), FRIDAY_BEFORE_LABOUR_DAY)
        self._run_cron(date(2026, 10, 16))
        self._run_cron(date(2026, 10, 20))
        self._run_cron(date(2026, 10, 20))
        invoice.invalidate_recordset()
        self.assertEqual(invoice.schedule_alert, "overdue")
        self.assertEqual(len(self._alerts(invoice, "in two business days or less")), 1)
        self.assertEqual(len(self._alerts(invoice, "The full claimed amount may now be payable")), 1)

    def test_schedule_given_stops_the_alerts(self):
        invoice = self._receive(self._create_sub_invoice(), FRIDAY_BEFORE_LABOUR_DAY)
        with freeze_time(sydney_utc(date(2026, 10, 13), time(9))):
            invoice.with_user(self.manager).action_approve()
        self._run_cron(date(2026, 10, 16))
        self._run_cron(date(2026, 10, 20))
        invoice.invalidate_recordset()
        self.assertFalse(invoice.schedule_alert)
        self.assertFalse(invoice.activity_ids)

    def test_a_new_received_date_is_warned_again(self):
        invoice = self._receive(self._create_sub_invoice(), FRIDAY_BEFORE_LABOUR_DAY)
        self._run_cron(date(2026, 10, 20))
        invoice.invalidate_recordset()
        invoice.with_user(self.manager).claim_received_date = date(2026, 10, 16)
        self.assertFalse(invoice.schedule_alert)
        self._run_cron(date(2026, 10, 20))
        invoice.invalidate_recordset()
        self.assertFalse(invoice.schedule_alert, "the new deadline, 30 October, is far")


@tagged("post_install", "-at_install", "progress_billing")
class TestStatutoryClockJsonRpc(StatutoryClockCase, HttpCase):
    """readme/USAGE.md, "Payment schedules and the statutory clock": what the ORM refuses a plain user, JSON-RPC refuses
    too."""

    def setUp(self):
        super().setUp()
        self.authenticate(self.user.login, self.user.login + "x" * (8 - len(self.user.login)))
        self.invoice = self._receive(self._create_sub_invoice(), FRIDAY_BEFORE_LABOUR_DAY)

    def _call_kw(self, model, method, args):
        response = self.url_open(
            f"/web/dataset/call_kw/{model}/{method}",
            json={"jsonrpc": "2.0", "method": "call", "id": 1, "params": {
                "model": model, "method": method, "args": args, "kwargs": {},
            }},
        )
        response.raise_for_status()
        return response.json()["error"]["data"]

    def test_write_received_date(self):
        error = self._call_kw(self.invoice._name, "write", [self.invoice.ids, {"claim_received_date": "2026-10-09"}])
        self.assertEqual(error["name"], "odoo.exceptions.AccessError")
        self.assertIn("Only a Progress Billing administrator can change Claim Received On", error["message"])
        self.invoice.invalidate_recordset()
        self.assertEqual(self.invoice.claim_received_date, FRIDAY_BEFORE_LABOUR_DAY)

    def test_write_alert(self):
        error = self._call_kw(self.invoice._name, "write", [self.invoice.ids, {"schedule_alert": "warned"}])
        self.assertEqual(error["name"], "odoo.exceptions.AccessError")
        self.assertIn("are set by Progress Billing itself", error["message"])

    def test_create_regime(self):
        error = self._call_kw("progress.billing.payment.regime", "create", [{"name": "Mine", "schedule_days": 1, "payment_days": 1}])
        self.assertEqual(error["name"], "odoo.exceptions.AccessError")
        self.assertFalse(self.env["progress.billing.payment.regime"].search([("name", "=", "Mine")]))
