# Copyright 2026 Progress Billing Developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from odoo import Command
from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged
from odoo.tools import mute_logger
from psycopg2 import IntegrityError

from .common import ProgressBillingCase


@tagged("post_install", "-at_install", "progress_billing")
class TestInvoiceConstraints(ProgressBillingCase):
    """Rules of the foundation issue on pay applications, each with the
    message the user reads."""

    def test_period_of_another_project_is_refused(self):
        other_period = self._create_month_period(self._create_project("Harbour Bridge"), 2026, 1)
        with self.assertRaisesRegex(
            ValidationError, r"is for project Riverside Tower but billing period 2026-01-01 – 2026-01-31 belongs to project Harbour Bridge"
        ):
            self._create_sub_invoice(other_period)
        invoice = self._create_owner_invoice()
        with self.assertRaisesRegex(ValidationError, "belongs to project Harbour Bridge"):
            invoice.period_id = other_period

    def test_one_invoice_per_contract_and_period(self):
        first = self._create_sub_invoice()
        with self.assertRaisesRegex(
            ValidationError, rf"{self.commitment.name} already has {first.name} in billing period {self.period.name}: void it"
        ):
            self._create_sub_invoice()
        owner_invoice = self._create_owner_invoice()
        with self.assertRaisesRegex(ValidationError, rf"already has {owner_invoice.name} in billing period"):
            self._create_owner_invoice()
        first.action_void()
        second = self._create_sub_invoice()
        with self.assertRaisesRegex(ValidationError, rf"already has {second.name} in billing period"):
            first.action_reset_to_draft()
        self.assertEqual(first.state, "void")

    @mute_logger("odoo.sql_db")
    def test_database_refuses_a_second_invoice_too(self):
        """The unique index backs the check up against concurrent requests."""
        self._create_sub_invoice()
        other = self._create_sub_invoice(self._create_next_period())
        self.env.flush_all()
        with self.assertRaises(IntegrityError):
            self.env.cr.execute(
                "UPDATE progress_billing_sub_invoice SET period_id = %s WHERE id = %s", [self.period.id, other.id]
            )

    def test_only_the_latest_invoice_is_editable(self):
        january = self._create_month_period(self.project, 2026, 1)
        first = self._create_sub_invoice(january, amounts={self.ssov_labor: (1_000, 0)})
        second = self._create_sub_invoice(self._create_month_period(self.project, 2026, 2))
        self.assertFalse(first.is_editable)
        self.assertTrue(second.is_editable)
        for user in (self.user, self.manager):
            with self.assertRaisesRegex(UserError, rf"{first.name} is followed by {second.name}: only the latest application"):
                self._line_of(first, self.ssov_labor).with_user(user).work_this_period = 2_000
        second.action_void()
        self.assertTrue(first.is_editable, "a void application does not count")

    def test_editing_an_approved_invoice_is_refused(self):
        invoice = self._create_owner_invoice(amounts={self.sov_concrete: (1_000, 0)})
        invoice.action_submit()
        invoice.action_approve()
        with self.assertRaisesRegex(UserError, rf"{invoice.name} is Approved and can no longer be edited"):
            invoice.period_id = self._create_month_period(self.project, 2026, 1)
        with self.assertRaisesRegex(UserError, "is Approved and can no longer be edited"):
            self._line_of(invoice, self.sov_concrete).materials_stored = 10
        with self.assertRaisesRegex(UserError, "is Approved and can no longer be edited"):
            invoice.line_ids = [Command.create({"name": "Extra", "work_this_period": 5})]
        with self.assertRaisesRegex(UserError, "is Approved and can no longer be edited"):
            invoice.action_sync_lines()

    def test_approved_header_is_locked_too(self):
        invoice = self._create_sub_invoice(vendor_reference="INV-7")
        invoice.action_submit()
        invoice.action_approve()
        for values in ({"vendor_reference": "INV-8"}, {"note": "<p>changed</p>"}, {"date": "2026-01-01"}):
            with self.assertRaisesRegex(UserError, "is Approved and can no longer be edited"):
                invoice.with_user(self.manager).write(values)
        invoice.message_post(body="Paid by wire transfer")  # the chatter stays open

    def test_invoice_moves_only_to_an_open_period(self):
        invoice = self._create_owner_invoice()
        closed = self._create_next_period(state="closed")
        with self.assertRaisesRegex(UserError, f"Cannot add an owner invoice to billing period {closed.name} of project Riverside Tower: the period is not open"):
            invoice.period_id = closed

    def test_only_the_latest_draft_is_deleted(self):
        january = self._create_sub_invoice(self._create_next_period())
        february = self._create_sub_invoice(self._create_next_period(january.period_id))
        with self.assertRaisesRegex(UserError, rf"{january.name} is followed by {february.name}"):
            january.unlink()
        february.unlink()
        january.unlink()
        self.assertFalse(january.exists())

    def test_negative_stored_materials(self):
        line = self._line_of(self._create_sub_invoice(), self.ssov_materials)
        with self.assertRaisesRegex(ValidationError, "Line “Concrete materials” of .* has negative materials presently stored"):
            line.materials_stored = -1
        line.work_this_period = -500  # a correction of work billed earlier is allowed

    def test_retainage_rates_between_0_and_100(self):
        line = self._line_of(self._create_sub_invoice(), self.ssov_labor)
        with self.assertRaisesRegex(ValidationError, "Retainage rates of line “Concrete labor” of .* must be between 0 and 100%"):
            line.retainage_rate = 101
        with self.assertRaisesRegex(ValidationError, "Retainage rates of .* must be between 0 and 100%"):
            self.commitment.retainage_rate_materials = -1
        with self.assertRaisesRegex(ValidationError, "Retainage of line “Concrete” of .* must be between 0 and 100%"):
            self.sov_concrete.retainage_rate = 100.5


@tagged("post_install", "-at_install", "progress_billing")
class TestOverBilling(ProgressBillingCase):
    """Billed to date above the scheduled value: a warning while typing, and
    a block unless the user is a Progress Billing manager."""

    def setUp(self):
        super().setUp()
        self.invoice = self._create_sub_invoice()
        self.line = self._line_of(self.invoice, self.ssov_labor)

    def _onchange(self, line, values):
        """What the web client receives when the user types ``values`` in the line."""
        return line.onchange(values, list(values), {name: {} for name in ("work_this_period", "materials_stored")})

    def test_warning_while_typing(self):
        result = self._onchange(self.line.with_user(self.user), {"work_this_period": 55_000, "materials_stored": 6_000})
        self.assertEqual(result["warning"]["title"], "Billed above the scheduled value")
        self.assertRegex(
            result["warning"]["message"],
            rf"Line “Concrete labor” of {self.invoice.name} bills \$\xa061,000\.00 to date, above its scheduled value of \$\xa060,000\.00",
        )
        self.assertNotIn("warning", self._onchange(self.line, {"work_this_period": 60_000}))

    def test_user_is_blocked(self):
        with self.assertRaisesRegex(ValidationError, r"bills \$\xa060,000\.01 to date.*\nOnly a Progress Billing manager can bill above the scheduled value"):
            self.line.with_user(self.user).work_this_period = 60_000.01
        self.line.with_user(self.user).work_this_period = 60_000

    def test_stored_materials_count_too(self):
        self.line.with_user(self.user).work_this_period = 59_000
        with self.assertRaisesRegex(ValidationError, "above its scheduled value"):
            self.line.with_user(self.user).materials_stored = 1_500

    def test_earlier_work_counts_too(self):
        self.line.work_this_period = 50_000
        self.period.action_close()
        later = self._create_sub_invoice(self._create_next_period())
        with self.assertRaisesRegex(ValidationError, r"bills \$\xa061,000\.00 to date"):
            self._line_of(later, self.ssov_labor).with_user(self.user).work_this_period = 11_000

    def test_manager_may_bill_above(self):
        self.line.with_user(self.manager).work_this_period = 70_000
        self.assertEqual(self.line.balance_to_finish, -10_000)
        self.assertAlmostEqual(self.line.percent_complete, 116.67, places=2)


@tagged("post_install", "-at_install", "progress_billing")
class TestContractConstraints(ProgressBillingCase):
    def test_negative_scheduled_value_is_refused(self):
        with self.assertRaisesRegex(ValidationError, r"Line “Credit” of .* has a negative scheduled value \(\$\xa0-"):
            self._create_commitment(self.project, [{"name": "Credit", "price_unit": -100}])
        with self.assertRaisesRegex(ValidationError, "Line “Concrete” of .* has a negative scheduled value"):
            self.sov_concrete.price_unit = -1
        with self.assertRaisesRegex(ValidationError, "has a negative scheduled value"):
            self.ssov_labor.product_qty = -2

    def test_negative_lines_outside_progress_billing_are_left_alone(self):
        order = self.env["sale.order"].create({
            "partner_id": self.owner.id,
            "order_line": [Command.create({"product_id": self.product.id, "price_unit": -20})],
        })
        self.assertEqual(order.amount_untaxed, -20)

    def test_order_made_a_contract_later_is_checked(self):
        order = self.env["purchase.order"].create({
            "partner_id": self.subcontractor.id,
            "order_line": [Command.create({"product_id": self.product.id, "name": "Refund", "price_unit": -20})],
        })
        with self.assertRaisesRegex(ValidationError, "Line “Refund” of .* has a negative scheduled value"):
            order.is_commitment = True

    def test_contract_in_company_currency(self):
        euro = self.env.ref("base.EUR")
        euro.active = True
        if euro == self.currency:
            euro = self.env.ref("base.USD")
            euro.active = True
        with self.assertRaisesRegex(
            ValidationError, rf"is in {euro.name}: progress billing contracts must be in the company currency \({self.currency.name}\)"
        ):
            self._create_commitment(self.project, [{"name": "Steel", "price_unit": 10}], currency_id=euro.id)
        purchase = self.env["purchase.order"].create({"partner_id": self.subcontractor.id, "currency_id": euro.id})
        self.assertEqual(purchase.currency_id, euro, "ordinary purchases keep any currency")
        with self.assertRaisesRegex(ValidationError, "must be in the company currency"):
            purchase.is_commitment = True

    def test_sov_line_bills_a_division_or_a_cost_code(self):
        with self.assertRaisesRegex(ValidationError, "Line “Finishes” of .* bills both a division and a cost code: choose one"):
            self.sov_finishes.cost_code_id = self.cost_code_paint

    def test_codes_unique_per_company(self):
        other_company = self._create_company("Other Builders")
        self._create_division("T03", "Concrete", company=other_company)
        with mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError):
            self._create_division("T03", "Concrete again")
        self._create_cost_code("T03-300", "Cast-in-Place Concrete", self._create_division("T04", "Masonry", other_company),
                               company=other_company)


@tagged("post_install", "-at_install", "progress_billing")
class TestChangeOrderConstraints(ProgressBillingCase):
    def test_change_order_belongs_to_one_contract(self):
        with self.assertRaisesRegex(ValidationError, "Change order .* must belong to exactly one prime contract"):
            self.env["progress.billing.change.order"].create({"title": "Lobby", "order_type": "prime"})
        with self.assertRaisesRegex(ValidationError, "Change order .* must belong to exactly one commitment"):
            self.env["progress.billing.change.order"].create({
                "title": "Lobby", "order_type": "commitment", "purchase_order_id": self.commitment.id,
                "sale_order_id": self.prime_contract.id,
            })

    def test_revised_line_of_another_contract_is_refused(self):
        other = self._create_commitment(self.project, [{"name": "Steel", "price_unit": 1_000}])
        with self.assertRaisesRegex(ValidationError, "Line “More steel” of .* revises a line of another contract"):
            self._create_change_order(self.commitment, [{"name": "More steel", "amount": 10, "purchase_line_id": other.order_line.id}])
        with self.assertRaisesRegex(ValidationError, "revises a line of another contract"):
            self._create_change_order(self.prime_contract, [{"name": "More steel", "amount": 10, "purchase_line_id": self.ssov_labor.id}])

    def test_change_event_line_funds_one_prime_line(self):
        event = self.env["progress.billing.change.event"].create({
            "title": "Extra basement", "project_id": self.project.id,
            "line_ids": [Command.create({"name": "Excavation"})],
        })
        self._create_change_order(self.prime_contract, [
            {"name": "Excavation", "amount": 5_000, "change_event_line_id": event.line_ids.id},
        ])
        with self.assertRaisesRegex(ValidationError, "Change event line “Excavation” of CE-\\d+ is already tied to another prime contract change order line"):
            self._create_change_order(self.prime_contract, [
                {"name": "Excavation again", "amount": 1_000, "change_event_line_id": event.line_ids.id},
            ])
        cco = self._create_change_order(self.commitment, [
            {"name": "Excavation", "amount": 4_000, "change_event_line_id": event.line_ids.id},
        ])
        self.assertEqual(event.line_ids.prime_line_id.amount, 5_000)
        self.assertEqual(event.line_ids.commitment_line_ids, cco.line_ids)
