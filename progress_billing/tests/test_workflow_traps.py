# Copyright 2026 Progress Billing Developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

"""Workflow traps of a month-end (readme/USAGE.md, "Pay applications"; readme/USAGE.md, "Billing periods"): an
application without a billing period, numbers consumed by refused creations, opening a period that silently
closes another, and buttons that cannot succeed."""

from lxml import etree
from odoo.exceptions import UserError, ValidationError
from odoo.tests import Form, HttpCase, tagged
from odoo.tests.common import JsonRpcException
from odoo.tools.safe_eval import safe_eval

from .common import ProgressBillingCase

APPLICATION_CONTRACTS = {
    "progress.billing.sub.invoice": ("purchase_order_id", "commitment", "a subcontractor invoice"),
    "progress.billing.owner.invoice": ("sale_order_id", "prime_contract", "an owner invoice"),
}


def sequence_number(name):
    """The counter at the end of a document number: 12 for OI/2026/0012."""
    return int(name.rsplit("/", 1)[1])


@tagged("post_install", "-at_install", "progress_billing")
class TestApplicationNeedsPeriod(ProgressBillingCase):
    """An application bills one billing period: it is never saved without one."""

    def test_create_without_period_is_refused(self):
        for model, (contract_field, contract, document) in APPLICATION_CONTRACTS.items():
            with self.subTest(model=model), self.assertRaisesRegex(
                ValidationError, rf"^Cannot save {document} without a billing period: choose the billing period it bills\.$"
            ):
                self.env[model].with_user(self.user).create({contract_field: getattr(self, contract).id})

    def test_import_without_period_is_refused(self):
        result = self.env["progress.billing.sub.invoice"].load(["purchase_order_id/.id"], [[str(self.commitment.id)]])
        self.assertFalse(result["ids"])
        self.assertIn("Cannot save a subcontractor invoice without a billing period", result["messages"][0]["message"])
        self.assertFalse(self.env["progress.billing.sub.invoice"].search([("purchase_order_id", "=", self.commitment.id)]))

    def test_period_cannot_be_removed(self):
        invoice = self._create_sub_invoice()
        with self.assertRaisesRegex(ValidationError, "^Cannot save a subcontractor invoice without a billing period"):
            invoice.period_id = False

    def test_form_proposes_the_open_period(self):
        self.assertTrue(self.env["progress.billing.sub.invoice"]._fields["period_id"].required)
        with Form(self.env["progress.billing.owner.invoice"].with_user(self.user)) as invoice_form:
            invoice_form.sale_order_id = self.prime_contract
        self.assertEqual(invoice_form.record.period_id, self.period)


@tagged("post_install", "-at_install", "progress_billing")
class TestApplicationNeedsPeriodHttp(ProgressBillingCase, HttpCase):
    def test_json_rpc_create_without_period_is_refused(self):
        self.authenticate(self.user.login, self.user.login)
        with self.assertRaisesRegex(JsonRpcException, r"^odoo\.exceptions\.ValidationError$"):
            self.make_jsonrpc_request("/web/dataset/call_kw", {
                "model": "progress.billing.owner.invoice", "method": "create", "args": [{"sale_order_id": self.prime_contract.id}],
                "kwargs": {},
            })
        self.assertFalse(self.prime_contract.owner_invoice_ids)


@tagged("post_install", "-at_install", "progress_billing")
class TestRefusedCreationConsumesNoNumber(ProgressBillingCase):
    """Numbers are drawn only once the application is valid: a refused
    creation leaves no gap and no message names a number never saved."""

    def _assert_next_number(self, previous, invoice):
        self.assertEqual(invoice.name.rsplit("/", 1)[0], previous.name.rsplit("/", 1)[0])
        self.assertEqual(sequence_number(invoice.name), sequence_number(previous.name) + 1, "no number was consumed")

    def _unsaved_number(self, previous):
        prefix, number = previous.name.rsplit("/", 1)
        return f"{prefix}/{int(number) + 1:0{len(number)}d}"

    def test_refusals_consume_no_number(self):
        first = self._create_owner_invoice()
        unsaved = self._unsaved_number(first)
        future = self._create_next_period(state="future")
        refusals = [
            ({"period_id": self.period.id}, ValidationError, rf"already has {first.name} in billing period"),
            ({"period_id": future.id}, UserError, "Cannot add an owner invoice to billing period .* the period is not open"),
            ({}, ValidationError, "Cannot save an owner invoice without a billing period"),
        ]
        for values, exception, message in refusals:
            with self.subTest(message=message), self.assertRaisesRegex(exception, message) as refusal:
                self.env["progress.billing.owner.invoice"].create({"sale_order_id": self.prime_contract.id, **values})
            self.assertNotIn(unsaved, str(refusal.exception))
        future.action_open()
        self._assert_next_number(first, self._create_owner_invoice(future))

    def test_constraint_refusal_consumes_no_number(self):
        first = self._create_sub_invoice()
        other_project = self._create_project("Harbour Bridge")
        other_period = self._create_period(other_project, self.period.date_start, self.period.date_end)
        with self.assertRaisesRegex(ValidationError, "billing period .* belongs to project Harbour Bridge"):
            self._create_sub_invoice(other_period)
        later = self._create_next_period()
        self._assert_next_number(first, self._create_sub_invoice(later))

    def test_earlier_period_is_refused_naming_the_later_application(self):
        """The demo's trap: November's OI/…/0002 exists, the user creates
        October's; refused before any number is drawn, naming November's."""
        october = self.period
        november = self._create_next_period()
        november_invoice = self._create_owner_invoice(november)
        unsaved = self._unsaved_number(november_invoice)
        october.action_open()
        with self.assertRaises(UserError) as refusal:
            self._create_owner_invoice(october)
        self.assertEqual(str(refusal.exception), (
            f"Cannot create an owner invoice of {self.prime_contract.name} for billing period {october.name}: "
            f"{november_invoice.name} (billing period {november.name}) already exists, and only the latest pay "
            "application of a contract can be edited. Create it in the latest billing period, or void the later "
            "application first."
        ))
        self.assertNotIn(unsaved, str(refusal.exception))
        november.action_open()
        december = self._create_next_period(november)
        self._assert_next_number(november_invoice, self._create_owner_invoice(december))

    def test_several_later_applications_are_listed_in_the_plural(self):
        october = self.period
        november = self._create_next_period()
        november_invoice = self._create_sub_invoice(november)
        december = self._create_next_period(november)
        december_invoice = self._create_sub_invoice(december)
        october.action_open()
        with self.assertRaisesRegex(UserError, (
            rf"{november_invoice.name} \(billing period {november.name}\) and {december_invoice.name} "
            rf"\(billing period {december.name}\) already exist, .* void the later applications first\.$"
        )):
            self._create_sub_invoice(october)

    def test_void_later_application_does_not_block(self):
        november = self._create_next_period()
        self._create_sub_invoice(november).with_user(self.manager).action_void()
        self.period.action_open()
        self.assertEqual(self._create_sub_invoice().period_id, self.period)

    def test_due_date_message_says_what_was_tried(self):
        self.period.date_due = self.period.date_start.replace(year=self.period.date_start.year - 1)
        with self.assertRaisesRegex(UserError, (
            rf"^Cannot add a subcontractor invoice to billing period {self.period.name}: its due date .* has passed, "
            "and only a Progress Billing manager can still add invoices to it"
        )):
            self.env["progress.billing.sub.invoice"].with_user(self.user).create({
                "purchase_order_id": self.commitment.id, "period_id": self.period.id,
            })


@tagged("post_install", "-at_install", "progress_billing")
class TestPeriodOpenConfirmation(ProgressBillingCase):
    """Opening a period from its form first says which open period it closes."""

    def _confirmation(self, period):
        action = period.with_user(self.manager).action_confirm_open()
        self.assertEqual(action["target"], "new")
        return self.env[action["res_model"]].with_user(self.manager).browse(action["res_id"])

    def test_reopening_names_the_period_it_closes(self):
        closed = self._create_next_period(state="closed")
        wizard = self._confirmation(closed)
        self.assertEqual(wizard.closed_period_id, self.period)
        self.assertEqual(wizard.message, (
            f"Opening billing period {closed.name} closes billing period {self.period.name}, the open period of project "
            f"Riverside Tower: new invoices of the project then go in {closed.name}, and none can be added to "
            f"{self.period.name} until it is reopened."
        ))
        self.assertEqual((closed.state, self.period.state), ("closed", "open"), "nothing changes before confirmation")
        wizard.action_confirm()
        self.assertEqual((closed.state, self.period.state), ("open", "closed"))

    def test_opening_with_no_other_open_period(self):
        self.period.action_close()
        wizard = self._confirmation(self.period)
        self.assertFalse(wizard.closed_period_id)
        self.assertIn("No other period of the project is open", wizard.message)
        wizard.action_confirm()
        self.assertEqual(self.period.state, "open")

    def test_form_buttons_ask_first(self):
        arch = etree.fromstring(self.env["progress.billing.period"].get_views([(False, "form")])["views"]["form"]["arch"])
        buttons = {button.get("string"): button.get("name") for button in arch.iterfind(".//header/button")}
        self.assertEqual((buttons["Open"], buttons["Reopen"]), ("action_confirm_open", "action_confirm_open"))


@tagged("post_install", "-at_install", "progress_billing")
class TestContractBillingButtons(ProgressBillingCase):
    """Odoo's own invoicing buttons are not shown on contracts, and the
    server refuses them all the same."""

    def _invisible(self, model, xpath, values):
        """Whether the form's button (or widget) at ``xpath`` is invisible for the field ``values``."""
        view = self.env[model].get_views([(False, "form")])["views"]["form"]
        node = etree.fromstring(view["arch"]).find(xpath)
        self.assertIsNotNone(node, xpath)
        return bool(safe_eval(node.get("invisible", "False"), values))

    def test_sale_create_invoice_hidden_on_prime_contracts(self):
        """Both of sale's Create Invoice buttons: invoicing what is to
        invoice, and the down payment of a confirmed order with nothing to invoice."""
        for button, status in (("create_invoice", "to invoice"), ("create_invoice_percentage", "no")):
            xpath = f".//header/button[@id='{button}']"
            values = {"invoice_status": status, "state": "sale"}
            with self.subTest(button=button):
                self.assertFalse(self._invisible("sale.order", xpath, {**values, "is_prime_contract": False}))
                self.assertTrue(self._invisible("sale.order", xpath, {**values, "is_prime_contract": True}))

    def test_purchase_upload_bill_hidden_on_commitments(self):
        xpath = ".//header/widget[@name='purchase_file_uploader']"
        self.assertFalse(self._invisible("purchase.order", xpath, {"state": "purchase", "is_commitment": False}))
        self.assertTrue(self._invisible("purchase.order", xpath, {"state": "purchase", "is_commitment": True}))

    def test_buttons_read_the_order_itself(self):
        """The values the tests above give are the orders' own."""
        ordinary = self._create_prime_contract(self.project, [{"name": "Fit-out", "price_unit": 1_000}], is_prime_contract=False)
        (ordinary | self.prime_contract).action_confirm()
        self.assertEqual((self.prime_contract.invoice_status, ordinary.invoice_status), ("to invoice", "to invoice"))
        self.assertEqual((self.prime_contract.is_prime_contract, ordinary.is_prime_contract), (True, False))
        self.commitment.button_confirm()
        self.assertEqual((self.commitment.state, self.commitment.is_commitment), ("purchase", True))

    def test_down_payment_on_a_prime_contract_is_refused(self):
        self.prime_contract.action_confirm()
        wizard = self.env["sale.advance.payment.inv"].with_context(
            active_model="sale.order", active_ids=self.prime_contract.ids,
        ).create({"advance_payment_method": "percentage", "amount": 10})
        with self.assertRaises(UserError) as refusal:
            wizard.create_invoices()
        self.assertEqual(str(refusal.exception), (
            f"Cannot bill {self.prime_contract.name} from the order: it is billed through its pay applications "
            "(Owner Invoices). Create the bill or invoice from an approved pay application instead."
        ))
        self.assertFalse(self.prime_contract.invoice_ids)

    def test_several_contracts_are_refused_in_the_plural(self):
        other = self._create_commitment(self.project, [{"name": "Rebar", "price_unit": 1_000}])
        (self.commitment | other).button_confirm()
        with self.assertRaisesRegex(UserError, (
            rf"^Cannot bill {self.commitment.name} and {other.name} from the orders: they are billed through their "
            r"pay applications \(Subcontractor Invoices\)\."
        )):
            (self.commitment | other).action_create_invoice()
