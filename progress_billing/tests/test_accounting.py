# Copyright 2026 Progress Billing Developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

"""Approved pay applications become vendor bills and customer invoices.

The worked example bills a contract with two lines over three periods, with
retainage 10% on work and 0% on stored material, then releases part of the
retainage. "materials" carries a 10% tax, "labor" none.

=======  =========  ============  ==========  ==========  ===========
period   line       E this period  F stored    G to date   billed (ΔG)
=======  =========  ============  ==========  ==========  ===========
1        labor      10,000.00     0           10,000.00   10,000.00
1        materials  5,000.00      8,000.00    13,000.00   13,000.00
2        labor      20,000.55     0           30,000.55   20,000.55
2        materials  6,000.00      3,000.00    14,000.00   1,000.00
3        labor      29,999.45     0           60,000.00   29,999.45
3        materials  13,000.00     0           24,000.00   10,000.00
=======  =========  ============  ==========  ==========  ===========

In period 2, 5,000 of the 8,000 of materials stored in period 1 are installed
(they move from F to E) and 1,000 more are installed: billing E + F (9,000)
would bill the stored materials twice; ΔG bills 1,000.

Retainage held (I) after each period: 1,500.00; 4,100.06 (10% of 30,000.55
rounds to 3,000.06, plus 1,100); 8,400.00. G702: line 6 = ΣG − I =
21,500.00; 39,900.49; 75,600.00; line 8 = line 6 − previous line 6 =
21,500.00; 18,400.49; 35,699.51, each the untaxed total of its bill:

* period 1: 10,000.00 + 13,000.00 − 1,500.00 retainage = 21,500.00, tax 1,300.00, total 22,800.00
* period 2: 20,000.55 + 1,000.00 − 2,600.06 retainage = 18,400.49, tax 100.00, total 18,500.49
* period 3: 29,999.45 + 10,000.00 − 4,299.94 retainage = 35,699.51, tax 1,000.00, total 36,699.51
* period 4 (release): labor's 6,000.00 and 1,000.00 of materials' 2,400.00 = 7,000.00, untaxed;
  the contract then shows 8,400.00 held, 7,000.00 released, 1,400.00 remaining.

Billed quantities of the order lines (quantity 1 each): the billed share G / C
rounded to the quantity precision: labor 0.17, 0.50, 1.00; materials 0.33,
0.35, 0.60; billed amounts are G to date exactly.
"""

from lxml import etree
from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import TransactionCase, tagged
from odoo.tools.safe_eval import safe_eval

from .common import MANAGER_GROUP, ProgressBillingCase

ACCOUNTING_GROUP = "account.group_account_invoice"

# (E, F) of each line in each period
WORKED_EXAMPLE = [
    {"labor": (10_000.00, 0.0), "materials": (5_000.00, 8_000.00)},
    {"labor": (20_000.55, 0.0), "materials": (6_000.00, 3_000.00)},
    {"labor": (29_999.45, 0.0), "materials": (13_000.00, 0.0)},
]
EXPECTED_BILLS = [
    {"billed": {"labor": 10_000.00, "materials": 13_000.00}, "retainage": 1_500.00, "due": 21_500.00, "tax": 1_300.00},
    {"billed": {"labor": 20_000.55, "materials": 1_000.00}, "retainage": 2_600.06, "due": 18_400.49, "tax": 100.00},
    {"billed": {"labor": 29_999.45, "materials": 10_000.00}, "retainage": 4_299.94, "due": 35_699.51, "tax": 1_000.00},
]
# the order lines after each bill: billed quantity and billed amount (G to date)
EXPECTED_ORDER = [
    {"labor": (0.17, 10_000.00), "materials": (0.33, 13_000.00)},
    {"labor": (0.50, 30_000.55), "materials": (0.35, 14_000.00)},
    {"labor": (1.00, 60_000.00), "materials": (0.60, 24_000.00)},
]
# what accounting adds to each kind of contract of tests/common.py: its
# builder, retainage account, confirmation, taxes and the order line field of
# the billed amount
ACCOUNTING_KINDS = {
    "purchase.order": {
        "create": "_create_commitment", "account": "retainage_payable_account_id", "confirm": "button_confirm",
        "tax_use": "purchase", "billed_amount": "amount_billed",
    },
    "sale.order": {
        "create": "_create_prime_contract", "account": "retainage_receivable_account_id", "confirm": "action_confirm",
        "tax_use": "sale", "billed_amount": "untaxed_amount_invoiced",
    },
}


class AccountingCase(ProgressBillingCase):
    """The fixtures of tests/common.py plus four billing periods (January to
    April 2026), 10% taxes, an ``accountant`` (Progress Billing administrator
    with accounting rights; ``manager`` has none) and the builders of the
    worked example's contracts."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.taxes = {
            tax_use: cls.env["account.tax"].create({
                "name": f"PB {tax_use} tax 10%", "amount": 10.0, "amount_type": "percent", "type_tax_use": tax_use,
            })
            for tax_use in ("purchase", "sale")
        }
        cls.periods = [cls._create_month_period(cls.project, 2026, month, state="future") for month in (1, 2, 3, 4)]
        cls.accountant = cls._create_user("pb_accountant", f"{MANAGER_GROUP},{ACCOUNTING_GROUP}")

    @classmethod
    def _create_contract(cls, model, lines=None, confirm=True, **values):
        """A confirmed contract of the worked example (labor 60,000 untaxed,
        materials 40,000 with the 10% tax; retainage 10% on work, 0% on stored
        material) unless ``lines`` (name, price, taxes) say otherwise."""
        kind = ACCOUNTING_KINDS[model]
        if lines is None:
            lines = [("labor", 60_000.0, False), ("materials", 40_000.0, cls.taxes[kind["tax_use"]])]
        line_values = [
            {"name": name, "price_unit": price, "tax_ids": [Command.set(taxes.ids if taxes else [])]}
            for name, price, taxes in lines
        ]
        contract = getattr(cls, kind["create"])(cls.project, line_values, retainage_materials=0.0, **values)
        if confirm:
            getattr(contract, kind["confirm"])()
        return contract

    def _lines_by_name(self, contract):
        return dict(zip(contract.order_line.mapped("name"), contract.order_line, strict=True))

    def _create_application(self, contract, period, amounts, approve=True):
        """The pay application of ``contract`` in ``period`` billing
        ``amounts`` (line name -> (E, F)), submitted and approved by default."""
        period.action_open()
        contract_lines = self._lines_by_name(contract)
        application = self._create_invoice(
            contract, period, {contract_lines[name]: value for name, value in amounts.items()}
        )
        if approve:
            application.action_submit()
            application.action_approve()
        return application

    def _create_bill(self, application, user=None):
        """Create the bill of ``application`` as ``user`` (default: the accountant) and return it."""
        application.with_user(user or self.accountant).action_create_move()
        return application.move_id

    def _retainage_account(self, contract):
        return self.company[ACCOUNTING_KINDS[contract._name]["account"]]

    def assertAmount(self, actual, expected, message=None):
        self.assertEqual(self.currency.compare_amounts(actual, expected), 0, message or f"{actual} != {expected}")


@tagged("post_install", "-at_install", "progress_billing")
class TestWorkedExample(AccountingCase):
    def _run_worked_example(self, contract):
        """Bill the three periods of the worked example on ``contract``,
        checking each bill line by line and the order lines after each bill;
        then release labor's retainage and 1,000 of materials'."""
        contract_lines = self._lines_by_name(contract)
        billed_amount_field = ACCOUNTING_KINDS[contract._name]["billed_amount"]
        retainage_account = self._retainage_account(contract)
        for period, amounts, expected, expected_order in zip(
            self.periods[:3], WORKED_EXAMPLE, EXPECTED_BILLS, EXPECTED_ORDER, strict=True
        ):
            application = self._create_application(contract, period, amounts)
            move = self._create_bill(application)
            self.assertAmount(application.current_payment_due, expected["due"])
            self.assertEqual(move.state, "draft")
            self.assertEqual(move.partner_id, contract.partner_id)
            self.assertEqual(move.currency_id, self.currency)
            for name, billed in expected["billed"].items():
                bill_line = move.invoice_line_ids & contract_lines[name].invoice_lines
                self.assertEqual(len(bill_line), 1, f"one bill line for {name}")
                self.assertAmount(bill_line.price_subtotal, billed, f"period {period.name} {name}")
                self.assertEqual(bill_line.tax_ids, contract_lines[name].tax_ids)
            retainage_line = move.invoice_line_ids.filtered(lambda line: line.account_id == retainage_account)
            self.assertEqual(len(retainage_line), 1)
            self.assertAmount(retainage_line.price_subtotal, -expected["retainage"])
            self.assertFalse(retainage_line.tax_ids)
            self.assertAmount(move.amount_untaxed, expected["due"])
            self.assertAmount(move.amount_tax, expected["tax"])
            self.assertAmount(move.amount_total, expected["due"] + expected["tax"])
            move.with_user(self.accountant).action_post()
            for name, (quantity, amount) in expected_order.items():
                self.assertEqual(contract_lines[name].qty_invoiced, quantity, f"{name} after {period.name}")
                self.assertAmount(contract_lines[name][billed_amount_field], amount, f"{name} after {period.name}")
        self.assertEqual(
            (contract.retainage_held, contract.retainage_released, contract.retainage_remaining), (8_400.0, 0.0, 8_400.0)
        )

        self.periods[3].action_open()
        action = contract.with_user(self.accountant).action_release_retainage()
        wizard = self.env[action["res_model"]].browse(action["res_id"])
        self.assertEqual(wizard.period_id, self.periods[3], "the open period is proposed")
        self.assertEqual(wizard.line_ids.mapped("retainage_remaining"), [6_000.0, 2_400.0])
        wizard.line_ids[1].amount = 1_000.0
        release_move = self.env["account.move"].browse(wizard.with_user(self.accountant).action_release()["res_id"])
        release = release_move._progress_billing_application()
        self.assertEqual((release.payment_application_type, release.state), ("retainage_release", "approved"))
        self.assertAmount(release.current_payment_due, 7_000.0)
        self.assertEqual(release_move.invoice_line_ids.account_id, retainage_account)
        self.assertAmount(release_move.amount_untaxed, 7_000.0)
        self.assertAmount(release_move.amount_total, 7_000.0)
        self.assertEqual(
            (contract.retainage_held, contract.retainage_released, contract.retainage_remaining), (8_400.0, 7_000.0, 1_400.0)
        )
        release_move.with_user(self.accountant).action_post()
        for name, (quantity, amount) in EXPECTED_ORDER[-1].items():
            self.assertEqual(contract_lines[name].qty_invoiced, quantity, "a release bills no order quantity")
            self.assertAmount(contract_lines[name][billed_amount_field], amount)
        balance = sum(self.env["account.move.line"].search([("account_id", "=", retainage_account.id)]).mapped("balance"))
        self.assertAmount(abs(balance), 1_400.0, "the retainage account holds what remains")

    def test_subcontractor_invoices_become_vendor_bills(self):
        self._run_worked_example(self._create_contract("purchase.order"))

    def test_owner_invoices_become_customer_invoices(self):
        self._run_worked_example(self._create_contract("sale.order"))


@tagged("post_install", "-at_install", "progress_billing")
class TestBillingGuards(AccountingCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.example_commitment = cls._create_contract("purchase.order")
        cls.first_amounts = WORKED_EXAMPLE[0]

    def test_an_application_is_billed_once(self):
        application = self._create_application(self.example_commitment, self.periods[0], self.first_amounts)
        bill = self._create_bill(application)
        self.assertEqual(bill.progress_billing_sub_invoice_id, application)
        self.assertEqual(bill.ref, application.name, "the bill carries the subcontractor's invoice number or ours")
        with self.assertRaisesRegex(UserError, "already billed on Draft Bill"):
            self._create_bill(application)
        bill.with_user(self.accountant).button_cancel()
        self.assertFalse(application.move_id, "a cancelled bill no longer counts")
        new_bill = self._create_bill(application)
        self.assertEqual(application.move_ids, bill | new_bill)
        self.assertEqual(self.example_commitment.order_line.mapped("qty_invoiced"), [0.17, 0.33], "the cancelled bill is not counted")

    def test_voiding_asks_and_names_the_bill_to_cancel(self):
        application = self._create_application(self.example_commitment, self.periods[0], self.first_amounts)
        bill = self._create_bill(application)
        action = application.action_void()
        wizard = self.env[action["res_model"]].browse(action["res_id"])
        self.assertEqual(application.state, "approved", "nothing happens before the user confirms")
        self.assertIn(f"billed on the draft {bill.display_name}", wizard.message)
        self.assertTrue(wizard.can_cancel)
        wizard.action_confirm()
        self.assertEqual((bill.state, application.state), ("cancel", "void"))

    def test_void_button_asks_once(self):
        """A billed application's Void button has no confirmation of its
        own: the dialog naming the bill is the one question asked."""
        for model in ("progress.billing.sub.invoice", "progress.billing.owner.invoice"):
            arch = etree.fromstring(self.env[model].with_user(self.manager).get_view(view_type="form")["arch"])
            buttons = {button.get("invisible"): button for button in arch.iterfind(".//button[@name='action_void']")}
            self.assertEqual(buttons.keys(), {"not id or state == 'void' or move_id", "state == 'void' or not move_id"}, model)
            self.assertTrue(buttons["not id or state == 'void' or move_id"].get("confirm"), model)
            self.assertIsNone(buttons["state == 'void' or not move_id"].get("confirm"), model)

    def test_posted_bill_blocks_voiding(self):
        application = self._create_application(self.example_commitment, self.periods[0], self.first_amounts)
        bill = self._create_bill(application)
        bill.with_user(self.accountant).action_post()
        action = application.action_void()
        wizard = self.env[action["res_model"]].browse(action["res_id"])
        self.assertFalse(wizard.can_cancel)
        self.assertIn(f"{bill.display_name}, which is posted", wizard.message)
        with self.assertRaisesRegex(UserError, rf"billed on {bill.name}.*: cancel these documents first"):
            application._change_state("void", ("approved",))

    def test_only_billing_users_create_bills(self):
        application = self._create_application(self.example_commitment, self.periods[0], self.first_amounts)
        for user in (self.manager, self.user):
            with self.assertRaisesRegex(AccessError, "has no accounting rights"):
                self._create_bill(application, user)
        self.assertFalse(application.move_ids)
        self.assertTrue(self._create_bill(application, self.accountant))

    def test_bill_on_approval_setting(self):
        self.company.progress_billing_bill_on_approval = True
        application = self._create_application(self.example_commitment, self.periods[0], self.first_amounts, approve=False)
        application.action_submit()
        application.with_user(self.manager).action_approve()
        self.assertFalse(application.move_id, "an approver without accounting rights creates no bill")
        self.assertIn("No bill was created on approval", application.message_ids[0].body)
        application.with_user(self.manager).action_void()
        application.action_reset_to_draft()
        application.action_submit()
        application.with_user(self.accountant).action_approve()
        self.assertAmount(application.move_id.amount_untaxed, 21_500.0)

    def test_applications_are_billed_in_order_of_confirmed_contracts(self):
        first = self._create_application(self.example_commitment, self.periods[0], self.first_amounts)
        second = self._create_application(self.example_commitment, self.periods[1], WORKED_EXAMPLE[1])
        with self.assertRaisesRegex(UserError, f"comes after {first.name}, which is not billed yet"):
            self._create_bill(second)
        self._create_bill(first)
        self.assertAmount(self._create_bill(second).amount_untaxed, 18_400.49)
        unconfirmed = self._create_contract("purchase.order", confirm=False)
        application = self._create_application(unconfirmed, self.periods[1], self.first_amounts)
        with self.assertRaisesRegex(UserError, "is not confirmed"):
            self._create_bill(application)

    def test_create_bill_gives_way_to_its_reason(self):
        """Create Bill is not offered on an application whose predecessor is
        unbilled: the form says why, with the text that refuses the bill."""
        first = self._create_application(self.example_commitment, self.periods[0], self.first_amounts)
        second = self._create_application(self.example_commitment, self.periods[1], WORKED_EXAMPLE[1])
        reason = f"{second.name} comes after {first.name}, which is not billed yet: approve and bill it first."
        self.assertEqual(second.with_user(self.accountant).billing_blocked_reason, reason)
        with self.assertRaises(UserError) as refusal:
            self._create_bill(second)
        self.assertEqual(str(refusal.exception), reason)
        self.assertFalse(first.billing_blocked_reason)
        arch = etree.fromstring(second.with_user(self.accountant).get_views([(False, "form")])["views"]["form"]["arch"])
        button = arch.find(".//header/button[@name='action_create_move']")
        explanation = arch.find(".//field[@name='billing_blocked_reason']/..")
        for application, shown in ((first, button), (second, explanation)):
            values = {name: application[name] for name in ("move_id", "state", "billing_blocked_reason")}
            for node in (button, explanation):
                with self.subTest(application=application.name, node=node.tag):
                    self.assertEqual(not safe_eval(node.get("invisible"), values), node is shown)
        self._create_bill(first)
        second.invalidate_recordset(["billing_blocked_reason"])
        self.assertFalse(second.billing_blocked_reason)

    def test_unapproved_or_empty_applications_are_not_billed(self):
        draft = self._create_application(self.example_commitment, self.periods[0], self.first_amounts, approve=False)
        with self.assertRaisesRegex(UserError, "only approved applications are billed"):
            self._create_bill(draft)
        draft.action_submit()
        draft.action_approve()
        self._create_bill(draft)
        empty = self._create_application(self._create_contract("purchase.order"), self.periods[1], {})
        with self.assertRaisesRegex(UserError, "has nothing to bill"):
            self._create_bill(empty)

    def test_a_bill_no_longer_equal_to_the_payment_due_is_not_posted(self):
        application = self._create_application(self.example_commitment, self.periods[0], self.first_amounts)
        bill = self._create_bill(application).with_user(self.accountant)
        bill.invoice_line_ids[0].price_unit += 1.0
        with self.assertRaisesRegex(UserError, "must stay those of the pay application"):
            bill.action_post()

    def test_contracts_are_not_billed_as_a_whole(self):
        with self.assertRaisesRegex(UserError, "is billed through its pay applications"):
            self.example_commitment.action_create_invoice()
        prime_contract = self._create_contract("sale.order")
        with self.assertRaisesRegex(UserError, "is billed through its pay applications"):
            prime_contract._create_invoices()

    def test_contracts_in_another_currency_are_refused(self):
        """Multi-currency: refusal. Contracts, hence bills, are in the company currency."""
        other_currency = self.env["res.currency"].with_context(active_test=False).search(
            [("id", "!=", self.currency.id)], limit=1
        )
        other_currency.active = True
        pricelist = self.env["product.pricelist"].create({"name": "Foreign", "currency_id": other_currency.id})
        with self.assertRaisesRegex(ValidationError, "must be in the company currency"):
            self._create_contract("purchase.order", currency_id=other_currency.id)
        with self.assertRaisesRegex(ValidationError, "must be in the company currency"):
            self._create_contract("sale.order", pricelist_id=pricelist.id)

    def test_negative_payment_due_becomes_a_credit_note(self):
        """Stored materials removed without being installed: the payment due is negative."""
        self._create_bill(self._create_application(self.example_commitment, self.periods[0], self.first_amounts))
        application = self._create_application(self.example_commitment, self.periods[1], {"materials": (0.0, 0.0)})
        self.assertAmount(application.current_payment_due, -8_000.0)
        credit_note = self._create_bill(application)
        self.assertEqual(credit_note.move_type, "in_refund")
        self.assertAmount(credit_note.amount_untaxed, 8_000.0)
        credit_note.with_user(self.accountant).action_post()
        materials = self._lines_by_name(self.example_commitment)["materials"]
        self.assertEqual(materials.qty_invoiced, 0.13)
        self.assertAmount(materials.amount_billed, 5_000.0)

    def test_retainage_release_is_checked(self):
        self._create_bill(self._create_application(self.example_commitment, self.periods[0], self.first_amounts))
        self.periods[1].action_open()
        action = self.example_commitment.with_user(self.accountant).action_release_retainage()
        wizard = self.env[action["res_model"]].browse(action["res_id"]).with_user(self.accountant)
        with self.assertRaisesRegex(ValidationError, "can release between 0 and the"):
            wizard.line_ids[0].amount = 1_000.01
        wizard.line_ids.amount = 0.0
        with self.assertRaisesRegex(UserError, "Enter the retainage to release"):
            wizard.action_release()

    def test_release_keeps_the_stored_materials(self):
        """A release installs nothing: the materials stored stay billed, only the retainage is paid."""
        self._create_bill(self._create_application(self.example_commitment, self.periods[0], self.first_amounts))
        self.periods[1].action_open()
        action = self.example_commitment.with_user(self.accountant).action_release_retainage()
        wizard = self.env[action["res_model"]].browse(action["res_id"]).with_user(self.accountant)
        bill = self.env["account.move"].browse(wizard.action_release()["res_id"])
        release = bill.progress_billing_sub_invoice_id
        self.assertEqual(release.line_ids.mapped("materials_stored"), [0.0, 8_000.0])
        self.assertFalse(bill.invoice_line_ids.purchase_line_id)
        self.assertAmount(bill.amount_untaxed, 1_500.0)
        self.assertEqual(
            (self.example_commitment.retainage_held, self.example_commitment.retainage_remaining), (1_500.0, 0.0)
        )

    def test_retainage_released_on_the_application_being_edited(self):
        """A release in a period whose application is still a draft is billed with it."""
        self._create_bill(self._create_application(self.example_commitment, self.periods[0], self.first_amounts))
        draft = self._create_application(self.example_commitment, self.periods[1], WORKED_EXAMPLE[1], approve=False)
        action = self.example_commitment.with_user(self.accountant).action_release_retainage()
        wizard = self.env[action["res_model"]].browse(action["res_id"])
        self.assertEqual(wizard.with_user(self.accountant).action_release()["res_id"], draft.id)
        self.assertEqual(draft.line_ids.mapped("retainage_released"), [1_000.0, 500.0])
        draft.action_submit()
        draft.action_approve()
        bill = self._create_bill(draft)
        released = bill.invoice_line_ids.filtered(lambda line: line.name.startswith("Retainage released"))
        self.assertAmount(released.price_subtotal, 1_500.0)
        self.assertAmount(bill.amount_untaxed, 18_400.49 + 1_500.0)

    def test_unit_based_commitment_bills_quantities(self):
        commitment = self._create_contract(
            "purchase.order", lines=[("piles", 0.0, False)], accounting_method="unit",
        )
        commitment.order_line.write({"product_qty": 40.0, "price_unit": 1_250.0})
        self.periods[0].action_open()
        application = self.env["progress.billing.sub.invoice"].create(
            {"purchase_order_id": commitment.id, "period_id": self.periods[0].id}
        )
        application.line_ids.quantity_this_period = 12.0
        application.action_submit()
        application.action_approve()
        bill_line = self._create_bill(application).invoice_line_ids.filtered("purchase_line_id")
        self.assertEqual((bill_line.quantity, bill_line.price_unit, bill_line.price_subtotal), (12.0, 1_250.0, 15_000.0))
        self.assertEqual(commitment.order_line.qty_invoiced, 12.0)

    def test_change_order_line_billed_on_its_own(self):
        """It has no order line: billed as one unit with the taxes all contract lines share."""
        taxes = self.taxes["purchase"]
        commitment = self._create_contract("purchase.order", lines=[("labor", 60_000.0, taxes), ("materials", 40_000.0, taxes)])
        self._create_change_order(commitment, [{"name": "Extra footing", "amount": 5_000.0}])
        self.periods[0].action_open()
        application = self._create_invoice(commitment, self.periods[0])
        change_line = application.line_ids.filtered("change_order_line_id")
        change_line.work_this_period = 2_000.0
        application.action_submit()
        application.action_approve()
        bill = self._create_bill(application)
        bill_line = bill.invoice_line_ids.filtered(lambda line: "Extra footing" in line.name)
        self.assertEqual((bill_line.quantity, bill_line.price_subtotal, bill_line.tax_ids), (1.0, 2_000.0, taxes))
        self.assertFalse(bill_line.purchase_line_id)
        self.assertAmount(bill.amount_untaxed, 1_800.0)
        self.assertAmount(bill.amount_tax, 200.0)

        self._create_change_order(self.example_commitment, [{"name": "Extra footing", "amount": 5_000.0}])
        application = self._create_application(self.example_commitment, self.periods[1], {}, approve=False)
        application.line_ids.filtered("change_order_line_id").work_this_period = 2_000.0
        application.action_submit()
        application.action_approve()
        with self.assertRaisesRegex(UserError, "have different taxes: make the change order revise one of the contract's lines"):
            self._create_bill(application)

    def test_owner_invoice_is_paid_with_its_customer_invoice(self):
        """Paid by an accountant who has no Progress Billing rights."""
        billing_user = self._create_user("pb_billing_only", ACCOUNTING_GROUP)
        prime_contract = self._create_contract("sale.order")
        application = self._create_application(prime_contract, self.periods[0], self.first_amounts)
        invoice = self._create_bill(application).with_user(billing_user)
        invoice.action_post()
        self.env["account.payment.register"].with_user(billing_user).with_context(
            active_model="account.move", active_ids=invoice.ids
        ).create({})._create_payments()
        self.assertIn(application.move_payment_state, ("paid", "in_payment"))
        self.assertEqual(application.state, "paid")

    def test_bill_buttons_follow_accounting_rights(self):
        """Create Bill / Create Invoice show to billing users only; Release Retainage to administrators."""
        for model, button in (
            ("progress.billing.sub.invoice", "action_create_move"),
            ("progress.billing.owner.invoice", "action_create_move"),
            ("purchase.order", "action_release_retainage"),
            ("sale.order", "action_release_retainage"),
        ):
            for user, shown in ((self.accountant, True), (self.manager, "action_release" in button), (self.user, False)):
                with self.subTest(model=model, user=user.login):
                    arch = self.env[model].with_user(user).get_views([(False, "form")])["views"]["form"]["arch"]
                    self.assertEqual(f'name="{button}"' in arch, shown)


@tagged("post_install", "-at_install", "progress_billing")
class TestRetainageAccounts(TransactionCase):
    def test_generic_chart_has_retainage_accounts(self):
        """The company installed with the generic chart got them at installation, a new one when its chart is loaded."""
        new_company = self.env["res.company"].create({"name": "Second Builder"})
        self.env["account.chart.template"].try_loading("generic_coa", new_company, install_demo=False)
        for company in (self.env.ref("base.main_company"), new_company):
            accounts = company.retainage_payable_account_id | company.retainage_receivable_account_id
            self.assertEqual(
                accounts.with_company(company).mapped("code"), ["211200", "121200"], f"accounts of {company.name}"
            )
            self.assertEqual(accounts.mapped("account_type"), ["liability_current", "asset_current"])


# Stored materials carried and installed over three periods
# (readme/USAGE.md, "Bills, invoices and retainage"), on
# the worked example's contract with 5% retainage on stored materials, under
# each stored materials method. Per period: line 8 and the F of each line as
# the application is created, the (E, F) entered, then per line (D, G, H, I),
# the G702 lines 4, 5b, 6, 7 and 8, and the bill (ΔG per line, retainage
# withheld ΔI, tax). Period 1 is the same under both methods. Carry forward:
# 5,000 of the 8,000 stored in period 1 are installed in period 2 (E 6,000 =
# 5,000 installed + 1,000), the other 3,000 in period 3. Roll forward: the
# 8,000 are in D from period 2 on, 2,000 more are stored in period 2 and rolled
# into D in period 3; installing rolled materials is no new work.
STORED_MATERIALS_FIRST_PERIOD = {
    "opening_due": 0.0,
    "opening_f": {"labor": 0.0, "materials": 0.0},
    "entered": {"labor": (10_000.00, 0.0), "materials": (5_000.00, 8_000.00)},
    "lines": {"labor": (0.0, 10_000.00, 50_000.00, 1_000.00), "materials": (0.0, 13_000.00, 27_000.00, 900.00)},
    "g702": (23_000.00, 400.00, 21_100.00, 0.0, 21_100.00),
    "bill": ({"labor": 10_000.00, "materials": 13_000.00}, 1_900.00, 1_300.00),
}
STORED_MATERIALS_EXAMPLE = {
    "carry_forward": [
        STORED_MATERIALS_FIRST_PERIOD,
        {
            "opening_due": 0.0,
            "opening_f": {"labor": 0.0, "materials": 8_000.00},
            "entered": {"labor": (20_000.55, 0.0), "materials": (6_000.00, 3_000.00)},
            "lines": {"labor": (10_000.00, 30_000.55, 29_999.45, 3_000.06), "materials": (5_000.00, 14_000.00, 26_000.00, 1_250.00)},
            "g702": (44_000.55, 150.00, 39_750.49, 21_100.00, 18_650.49),
            "bill": ({"labor": 20_000.55, "materials": 1_000.00}, 2_350.06, 100.00),
        },
        {
            "opening_due": 0.0,
            "opening_f": {"labor": 0.0, "materials": 3_000.00},
            "entered": {"labor": (29_999.45, 0.0), "materials": (13_000.00, 0.0)},
            "lines": {"labor": (30_000.55, 60_000.00, 0.0, 6_000.00), "materials": (11_000.00, 24_000.00, 16_000.00, 2_400.00)},
            "g702": (84_000.00, 0.0, 75_600.00, 39_750.49, 35_849.51),
            "bill": ({"labor": 29_999.45, "materials": 10_000.00}, 4_149.94, 1_000.00),
        },
    ],
    "roll_forward": [
        STORED_MATERIALS_FIRST_PERIOD,
        {
            "opening_due": -400.00,
            "opening_f": {"labor": 0.0, "materials": 0.0},
            "entered": {"labor": (20_000.55, 0.0), "materials": (1_000.00, 2_000.00)},
            "lines": {"labor": (10_000.00, 30_000.55, 29_999.45, 3_000.06), "materials": (13_000.00, 16_000.00, 24_000.00, 1_500.00)},
            "g702": (46_000.55, 100.00, 41_500.49, 21_100.00, 20_400.49),
            "bill": ({"labor": 20_000.55, "materials": 3_000.00}, 2_600.06, 300.00),
        },
        {
            "opening_due": -100.00,
            "opening_f": {"labor": 0.0, "materials": 0.0},
            "entered": {"labor": (29_999.45, 0.0), "materials": (8_000.00, 0.0)},
            "lines": {"labor": (30_000.55, 60_000.00, 0.0, 6_000.00), "materials": (16_000.00, 24_000.00, 16_000.00, 2_400.00)},
            "g702": (84_000.00, 0.0, 75_600.00, 41_500.49, 34_099.51),
            "bill": ({"labor": 29_999.45, "materials": 8_000.00}, 3_899.94, 800.00),
        },
    ],
}


@tagged("post_install", "-at_install", "progress_billing")
class TestStoredMaterialsWorkedExample(AccountingCase):
    def _run_stored_materials_example(self, model, method):
        """Bill the three periods of STORED_MATERIALS_EXAMPLE[method] on a new contract of ``model``."""
        contract = self._create_contract(model, stored_materials_method=method)
        contract.retainage_rate_materials = 5.0
        contract_lines = self._lines_by_name(contract)
        retainage_account = self._retainage_account(contract)
        for period, expected in zip(self.periods[:3], STORED_MATERIALS_EXAMPLE[method], strict=True):
            label = f"{method}, {period.name}"
            period.action_open()
            application = self._create_invoice(contract, period)
            lines = {name: self._line_of(application, contract_line) for name, contract_line in contract_lines.items()}
            self.assertEqual({name: line.materials_stored for name, line in lines.items()}, expected["opening_f"], label)
            self.assertAmount(application.current_payment_due, expected["opening_due"], f"line 8 as created, {label}")
            self._bill(application, {contract_lines[name]: value for name, value in expected["entered"].items()})
            for name, (previous_work, completed, balance, retainage) in expected["lines"].items():
                self.assertEqual(
                    [self.currency.round(lines[name][field]) for field in
                     ("previous_work", "total_completed", "balance_to_finish", "retainage")],
                    [previous_work, completed, balance, retainage], f"D, G, H, I of {name}, {label}",
                )
            self.assertEqual(
                [self.currency.round(application[field]) for field in
                 ("total_completed", "retainage_materials", "total_earned", "previous_certificates", "current_payment_due")],
                list(expected["g702"]), f"G702 lines 4, 5b, 6, 7, 8, {label}",
            )
            application.action_submit()
            application.action_approve()
            move = self._create_bill(application)
            billed, retainage, tax = expected["bill"]
            for name, amount in billed.items():
                bill_line = move.invoice_line_ids & contract_lines[name].invoice_lines
                self.assertAmount(bill_line.price_subtotal, amount, f"{name} billed, {label}")
            retainage_line = move.invoice_line_ids.filtered(lambda line: line.account_id == retainage_account)
            self.assertAmount(retainage_line.price_subtotal, -retainage, f"retainage withheld, {label}")
            self.assertAmount(move.amount_untaxed, expected["g702"][-1], f"bill = line 8, {label}")
            self.assertAmount(move.amount_tax, tax, f"tax, {label}")
            move.with_user(self.accountant).action_post()
            for name, contract_line in contract_lines.items():
                billed_amount = contract_line[ACCOUNTING_KINDS[model]["billed_amount"]]
                self.assertAmount(billed_amount, expected["lines"][name][1], f"{name} billed to date = G, {label}")

    def test_carry_forward_on_commitments(self):
        self._run_stored_materials_example("purchase.order", "carry_forward")

    def test_carry_forward_on_prime_contracts(self):
        self._run_stored_materials_example("sale.order", "carry_forward")

    def test_roll_forward_on_commitments(self):
        self._run_stored_materials_example("purchase.order", "roll_forward")

    def test_roll_forward_on_prime_contracts(self):
        self._run_stored_materials_example("sale.order", "roll_forward")
