# Copyright 2026 Progress Billing Developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

import os
from datetime import date, time

from odoo.exceptions import UserError
from odoo.tests import Form, freeze_time, tagged

from .common_statutory_clock import FRIDAY_BEFORE_LABOUR_DAY, StatutoryClockCase, sydney_utc
from .pdf_samples import pdf_page_texts

SCHEDULE_REPORT = "progress_billing.action_report_payment_schedule"
CERTIFIED_ON = date(2026, 10, 16)
FORMWORK_REASON = "Level 3 deck formwork assessed 90% complete at the 9 October site inspection."
REINFORCEMENT_REASON = "Column cages on grid C delivered but not fixed: 10% held until inspected."


@tagged("post_install", "-at_install", "progress_billing")
class TestPaymentSchedule(StatutoryClockCase):
    """readme/USAGE.md, "Payment schedules and the statutory clock", and its worked example
    (readme/USAGE.md, "Worked example"): a claim of 100,000
    received on Friday 2 October 2026, the Friday before the Labour Day
    public holiday, under the NSW subcontract regime, certified at 92,500
    with two reasons. The payment schedule is due by Monday 19 October
    (10 business days, s14(4)), the payment by Monday 2 November (20
    business days, s11(1B)); the schedule PDF states claimant, respondent,
    claim, amounts and reasons to the cent.

    Set PB_PAYMENT_SCHEDULE_PDF to a path to keep the PDF the test renders
    (the readme's image is drawn from it)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.subcontract = cls._create_commitment(cls.project, [
            {"name": "Formwork", "cost_code_id": cls.cost_code.id, "cost_type_id": cls.labor.id, "price_unit": 200_000},
            {"name": "Reinforcement", "cost_code_id": cls.cost_code.id, "cost_type_id": cls.materials.id, "price_unit": 150_000},
            {"name": "Concrete placement", "cost_code_id": cls.cost_code.id, "cost_type_id": cls.labor.id, "price_unit": 250_000},
        ], retainage=0.0, retainage_materials=0.0)
        cls.formwork, cls.reinforcement, cls.placement = cls.subcontract.order_line
        cls.september = cls._create_month_period(cls.project, 2026, 9)
        australia = cls.env.ref("base.au")
        cls.company.name = "Harbour Build Pty Ltd"
        cls.company.partner_id.write({"street": "1 Circular Quay", "city": "Sydney", "zip": "2000", "country_id": australia.id})
        cls.subcontractor.write({"street": "12 Foundry Road", "city": "Parramatta", "zip": "2150", "country_id": australia.id})

    def _claim(self):
        """The claim of 100,000, received on the Friday before Labour Day."""
        invoice = self._create_sub_invoice(self.september, self.subcontract, vendor_reference="SC-2026-10", amounts={
            self.formwork: (40_000, 0), self.reinforcement: (35_000, 0), self.placement: (25_000, 0),
        })
        return self._receive(invoice, FRIDAY_BEFORE_LABOUR_DAY)

    def _certify(self, invoice):
        """Certified at 92,500 on Friday 16 October, with a reason on each line certified at less."""
        reviewer = invoice.with_user(self.manager)
        with freeze_time(sydney_utc(CERTIFIED_ON, time(11))):
            self._line_of(reviewer, self.formwork).write({"work_this_period": 36_000, "certification_reason": FORMWORK_REASON})
            self._line_of(reviewer, self.reinforcement).write({
                "work_this_period": 31_500, "certification_reason": REINFORCEMENT_REASON,
            })
            reviewer.action_approve_as_noted()
        return invoice

    def _text(self, pdf):
        """The PDF's text; amounts without the zero-width space Odoo puts after a minus sign."""
        return " ".join(pdf_page_texts(pdf)).replace("\u200b", "")

    def _render(self, invoice):
        pdf = self.env["ir.actions.report"].with_context(force_report_rendering=True)._render_qweb_pdf(
            SCHEDULE_REPORT, invoice.ids,
        )[0]
        if os.environ.get("PB_PAYMENT_SCHEDULE_PDF"):
            with open(os.environ["PB_PAYMENT_SCHEDULE_PDF"], "wb") as file:
                file.write(pdf)
        return pdf

    def test_worked_example(self):
        invoice = self._claim()
        self.assertValues(invoice, {
            "claim_received_date": FRIDAY_BEFORE_LABOUR_DAY,
            "claimed_amount_due": 100_000,
            "schedule_due_date": date(2026, 10, 19),
            "payment_due_date": date(2026, 11, 2),
        })
        self._certify(invoice)
        self.assertValues(invoice, {
            "current_payment_due": 92_500,
            "certified_difference": -7_500,
            "schedule_given_date": CERTIFIED_ON,
            "schedule_status": "on_time",
        })
        text = self._text(self._render(invoice))
        for expected in (
            "Payment Schedule",
            "This is a payment schedule under the Building and Construction Industry Security of Payment Act 1999 (NSW).",
            "CLAIMANT", "Solid Concrete Ltd", "RESPONDENT", "Harbour Build Pty Ltd", "Riverside Tower", self.subcontract.name,
            f"SC-2026-10 ({invoice.name})",
            "CLAIM RECEIVED ON 10/02/2026", "PAYMENT SCHEDULE GIVEN ON 10/16/2026",
            "PAYMENT DUE BY 11/02/2026 (New South Wales — Subcontract)",
            "Claimed amount $ 100,000.00", "Scheduled amount (the amount we propose to pay) $ 92,500.00",
            "Difference $ -7,500.00",
            f"Formwork: {FORMWORK_REASON} ($ -4,000.00)", f"Reinforcement: {REINFORCEMENT_REASON} ($ -3,500.00)",
            "Formwork 40,000.00 36,000.00 -4,000.00", "Reinforcement 35,000.00 31,500.00 -3,500.00",
            "Concrete placement 25,000.00 25,000.00 0.00",
            "Total of the lines 100,000.00 92,500.00 -7,500.00",
        ):
            self.assertIn(expected, text)

    def test_schedule_of_a_claim_certified_as_claimed(self):
        invoice = self._claim()
        with freeze_time(sydney_utc(CERTIFIED_ON, time(11))):
            invoice.with_user(self.manager).action_approve()
        text = self._text(self._render(invoice))
        self.assertIn("Scheduled amount (the amount we propose to pay) $ 100,000.00", text)
        self.assertIn("None: the scheduled amount is the amount claimed.", text)

    def test_only_certified_claims_have_a_schedule(self):
        invoice = self._claim()
        with self.assertRaisesRegex(UserError, f"{invoice.name} is Under Review: its payment schedule can be printed or sent"):
            self._render(invoice)
        with self.assertRaisesRegex(UserError, "once a reviewer approves it"):
            invoice.with_user(self.manager).action_send_payment_schedule()

    def test_send_by_email_records_the_served_date(self):
        invoice = self._certify(self._claim())
        with freeze_time(sydney_utc(date(2026, 10, 19), time(9))):
            action = invoice.with_user(self.manager).action_send_payment_schedule()
            composer = Form(self.env[action["res_model"]].with_user(self.manager).with_context(
                action["context"], force_report_rendering=True,
            ))
            composer.save().action_send_mail()
        self.assertValues(invoice, {
            "schedule_served_date": date(2026, 10, 19), "schedule_given_date": date(2026, 10, 19), "schedule_status": "on_time",
        })
        sent = invoice.message_ids.filtered(lambda message: message.attachment_ids)
        self.assertEqual(len(sent), 1)
        self.assertIn(self.subcontractor, sent.partner_ids)
        self.assertEqual(sent.attachment_ids.name, f"Payment Schedule - {invoice.name.replace('/', '-')}.pdf")
        self.assertIn("Scheduled amount (the amount we propose to pay) $ 92,500.00", self._text(sent.attachment_ids.raw))
        self.assertTrue(invoice.message_ids.filtered(lambda message: "Payment schedule served by e-mail on" in (message.body or "")))

    def test_plain_users_do_not_send_schedules(self):
        invoice = self._certify(self._claim())
        with self.assertRaisesRegex(UserError, "Only a Progress Billing administrator can send the payment schedule"):
            invoice.with_user(self.user).action_send_payment_schedule()
        invoice.with_user(self.user).with_context(mark_payment_schedule_served=True).message_post(body="Hello")
        self.assertFalse(invoice.schedule_served_date, "a plain user's message is not a served schedule")
