# Copyright 2026 Progress Billing Developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

"""Bank guarantees and retention bonds instead of cash retention
(readme/USAGE.md, "Bank guarantees and retention bonds").

The worked example (tests/test_accounting.py) withholds 10% on work and 0% on
stored materials. Cash retention without guarantee: period 1 labor 1,000.00,
materials 500.00 (1,500.00); period 2 labor 3,000.06 (10% of 30,000.55),
materials 1,100.00 (4,100.06).

With a 600.00 guarantee in force through both periods, cash plus guarantee
cover what the contract requires, so the guarantee is taken off the cash
retention in proportion to each line's:

* period 1: 600.00 split 1,000.00 : 500.00 = 400.00 + 200.00, cash 600.00 +
  300.00 = 900.00 (1,500.00 − 600.00); bill 10,000.00 + 13,000.00 − 900.00 =
  22,100.00;
* period 2: 600.00 split 3,000.06 : 1,100.00 = 439.0257... + 160.9742...,
  rounded down to 439.02 and 160.97 with the cent left to the larger
  remainder (labor): 439.03 + 160.97; cash 2,561.03 + 939.03 = 3,500.06;
  withheld this period 3,500.06 − 900.00 = 2,600.06, as without guarantee
  (the cover did not change), bill 18,400.49 as in the worked example.

A guarantee expiring between the two periods stops covering: period 2 then
holds 4,100.06 in cash and withholds 3,200.06 (bill 17,800.49).
"""

from datetime import date, timedelta

from odoo import fields
from odoo.exceptions import AccessError, ValidationError
from odoo.tests import tagged

from .test_accounting import WORKED_EXAMPLE, AccountingCase


class GuaranteeCase(AccountingCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.bank = cls.env["res.partner"].create({"name": "Harbour Bank"})
        cls.example_commitment = cls._create_contract("purchase.order", user_id=cls.manager.id)

    def _guarantee(self, amount, date_expiry=None, **values):
        return self.env["progress.billing.retention.guarantee"].create({
            "purchase_order_id": self.example_commitment.id, "reference": f"BG-{amount}", "issuer_id": self.bank.id,
            "amount": amount, "date_start": date(2025, 12, 1), "date_expiry": date_expiry, **values,
        })

    def _retainage_withheld_on(self, bill):
        account = self._retainage_account(self.example_commitment)
        return -sum(bill.invoice_line_ids.filtered(lambda line: line.account_id == account).mapped("price_subtotal"))


@tagged("post_install", "-at_install", "progress_billing")
class TestRetentionGuarantees(GuaranteeCase):
    def test_guarantee_partly_replaces_cash_retention(self):
        self._guarantee(600.0)
        first = self._create_application(self.example_commitment, self.periods[0], WORKED_EXAMPLE[0])
        self.assertAmount(first.retainage_guarantee_cover, 600.0)
        self.assertEqual(first.line_ids.mapped("retainage_work"), [600.0, 300.0])
        self.assertEqual(first.line_ids.mapped("retainage"), [600.0, 300.0], "column I")
        self.assertAmount(first.total_retainage, 900.0, "G702 line 5")
        bill = self._create_bill(first)
        self.assertAmount(self._retainage_withheld_on(bill), 900.0)
        self.assertAmount(bill.amount_untaxed, 22_100.0)
        self.assertAmount(first.current_payment_due, 22_100.0, "G702 line 8 is the bill")

        second = self._create_application(self.example_commitment, self.periods[1], WORKED_EXAMPLE[1])
        self.assertEqual(second.line_ids.mapped("retainage_work"), [2_561.03, 939.03])
        self.assertAmount(second.total_retainage, 3_500.06)
        bill = self._create_bill(second)
        self.assertAmount(self._retainage_withheld_on(bill), 2_600.06)
        self.assertAmount(bill.amount_untaxed, 18_400.49)
        self.assertAmount(second.current_payment_due, bill.amount_untaxed)

    def test_guarantee_wholly_replaces_cash_retention(self):
        self._guarantee(10_000.0)
        first = self._create_application(self.example_commitment, self.periods[0], WORKED_EXAMPLE[0])
        self.assertAmount(first.total_retainage, 0.0)
        bill = self._create_bill(first)
        self.assertAmount(bill.amount_untaxed, 23_000.0)
        self.assertFalse(bill.invoice_line_ids.filtered(lambda line: line.name.startswith("Retainage")))

    def test_expired_guarantee_withholds_cash_again(self):
        self._guarantee(600.0, date_expiry=self.periods[0].date_end + timedelta(days=3))
        self._create_bill(self._create_application(self.example_commitment, self.periods[0], WORKED_EXAMPLE[0]))
        second = self._create_application(self.example_commitment, self.periods[1], WORKED_EXAMPLE[1])
        self.assertAmount(second.retainage_guarantee_cover, 0.0)
        self.assertAmount(second.total_retainage, 4_100.06)
        bill = self._create_bill(second)
        self.assertAmount(self._retainage_withheld_on(bill), 3_200.06)
        self.assertAmount(bill.amount_untaxed, 17_800.49)

    def test_guarantee_recorded_later_changes_no_certified_application(self):
        """The cover is frozen with the application, as its other figures taken from other documents."""
        first = self._create_application(self.example_commitment, self.periods[0], WORKED_EXAMPLE[0])
        self._guarantee(600.0)
        first.invalidate_recordset()
        self.assertAmount(first.retainage_guarantee_cover, 0.0)
        self.assertAmount(first.total_retainage, 1_500.0)
        self.assertAmount(first.certified_retainage_withheld, 1_500.0)

    def test_guarantee_is_checked(self):
        with self.assertRaisesRegex(ValidationError, "must have a positive amount"):
            self._guarantee(0.0)
        with self.assertRaisesRegex(ValidationError, "expires or is returned before it is received"):
            self._guarantee(100.0, date_expiry=date(2025, 11, 1))

    def test_expiring_guarantee_reminds_once(self):
        today = fields.Date.today()
        expiring = self._guarantee(600.0, date_expiry=today + timedelta(days=20))
        later = self._guarantee(700.0, date_expiry=today + timedelta(days=60))
        for _run in range(2):
            with self.enter_registry_test_mode():
                self.env.ref("progress_billing.ir_cron_remind_expiring_guarantees").method_direct_trigger()
        self.env.invalidate_all()
        activities = self.example_commitment.activity_ids
        self.assertEqual(len(activities), 1, "one activity, however often the scheduled action runs")
        self.assertEqual(activities.user_id, self.manager)
        self.assertEqual(activities.date_deadline, expiring.date_expiry)
        self.assertIn(expiring.reference, activities.summary)
        self.assertEqual((expiring.reminder_sent, later.reminder_sent), (True, False))
        expiring.date_expiry = today + timedelta(days=25)
        self.assertFalse(expiring.reminder_sent, "an extended guarantee is reminded again before its new expiry")
        later.amount = 650.0
        self.assertFalse(later.reminder_sent)

    def test_only_administrators_record_guarantees(self):
        """A guarantee changes the retention withheld: Progress Billing users read it, administrators record it."""
        guarantee = self._guarantee(600.0)
        self.assertEqual(guarantee.with_user(self.user).read(["amount"])[0]["amount"], 600.0)
        with self.assertRaisesRegex(AccessError, "not allowed to modify"):
            guarantee.with_user(self.user).amount = 6_000.0
        with self.assertRaisesRegex(AccessError, "not allowed to create"):
            self.env["progress.billing.retention.guarantee"].with_user(self.user).create({
                "purchase_order_id": self.example_commitment.id, "reference": "BG-X", "issuer_id": self.bank.id,
                "amount": 1.0,
            })
        guarantee.with_user(self.manager).amount = 700.0
        self.assertAmount(guarantee.amount, 700.0)
