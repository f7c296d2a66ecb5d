# Copyright 2026 Progress Billing Developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from odoo import Command
from odoo.exceptions import UserError, ValidationError
from odoo.tests import Form, tagged

from .common import ProgressBillingCase

LOCKED = "is Approved and can no longer be changed: a Progress Billing administrator must reset it first"


@tagged("post_install", "-at_install", "progress_billing")
class TestApprovedDocumentLocks(ProgressBillingCase):
    """readme/CONFIGURE.md, "Workflow and locks": approved change orders and direct costs are locked like
    approved applications, for administrators too, until an administrator
    resets them, which the chatter records."""

    def _approved_change_order(self):
        order = self._create_change_order(self.commitment, [
            {"name": "Thicker slab", "amount": 5_000, "purchase_line_id": self.ssov_labor.id},
        ], state="draft")
        order.with_user(self.manager).action_approve()
        return order

    def _approved_direct_cost(self):
        cost = self.env["progress.billing.direct.cost"].create({
            "project_id": self.project.id,
            "line_ids": [Command.create({
                "name": "Crane hire", "cost_code_id": self.cost_code.id, "cost_type_id": self.labor.id, "amount": 900,
            })],
        })
        cost.with_user(self.manager).action_approve()
        return cost

    def test_approved_change_order_is_locked(self):
        order = self._approved_change_order().with_user(self.manager)
        line = order.line_ids
        other_commitment = self._create_commitment(self.project, [{"name": "Steel", "price_unit": 10_000}])
        for values in (
            {"date": "2020-01-01"}, {"purchase_order_id": other_commitment.id},
            {"line_ids": [Command.create({"name": "More", "amount": 1})]}, {"line_ids": [Command.delete(line.id)]},
        ):
            with self.subTest(values=values), self.assertRaisesRegex(UserError, LOCKED):
                order.write(values)
        for values in ({"amount": 50_000}, {"cost_code_id": self.cost_code_paint.id}, {"cost_type_id": self.materials.id}):
            with self.subTest(values=values), self.assertRaisesRegex(UserError, LOCKED):
                line.write(values)
        with self.assertRaisesRegex(UserError, LOCKED):
            line.create({"change_order_id": order.id, "name": "Sneaked in", "amount": 1_000})
        with self.assertRaisesRegex(UserError, LOCKED):
            line.unlink()
        draft = self._create_change_order(self.commitment, [{"name": "Other", "amount": 1}], state="draft")
        with self.assertRaisesRegex(UserError, LOCKED):
            draft.line_ids.with_user(self.manager).change_order_id = order
        order.title = "Thicker slab at the MRI suite"  # the narrative stays editable
        self.assertEqual(self.commitment.approved_change_orders_amount, 5_000)
        self.assertEqual(self.ssov_labor.revised_scheduled_value, 65_000)

    def test_change_event_line_of_an_approved_change_order_stays(self):
        event = self.env["progress.billing.change.event"].create({
            "title": "Slab", "project_id": self.project.id, "line_ids": [Command.create({"name": "Slab"})],
        })
        order = self._create_change_order(self.commitment, [
            {"name": "Slab", "amount": 5_000, "change_event_line_id": event.line_ids.id},
        ], state="draft")
        order.with_user(self.manager).action_approve()
        with self.assertRaisesRegex(UserError, LOCKED):
            event.line_ids.with_user(self.manager).unlink()
        self.assertEqual(order.line_ids.change_event_line_id, event.line_ids)

    def test_approved_change_order_form_cannot_change_lines(self):
        """The form shows the lines read-only, and a save sent anyway (as the
        web client sends it) is refused."""
        order = self._approved_change_order().with_user(self.manager)
        self.assertTrue(Form(order)._get_modifier("line_ids", "readonly"))
        with self.assertRaisesRegex(UserError, LOCKED):
            order.web_save({"line_ids": [Command.update(order.line_ids.id, {"amount": 50_000})]}, specification={})
        self.assertEqual(order.amount_total, 5_000)

    def test_approved_direct_cost_is_locked(self):
        cost = self._approved_direct_cost().with_user(self.manager)
        for values in ({"date_received": "2020-01-01"}, {"date": "2020-01-01"}, {"project_id": self._create_project("Other").id}):
            with self.subTest(values=values), self.assertRaisesRegex(UserError, LOCKED):
                cost.write(values)
        for values in ({"amount": 50_000}, {"cost_code_id": self.cost_code_paint.id}, {"cost_type_id": self.materials.id}):
            with self.subTest(values=values), self.assertRaisesRegex(UserError, LOCKED):
                cost.line_ids.write(values)
        with self.assertRaisesRegex(UserError, LOCKED):
            cost.line_ids.create({
                "direct_cost_id": cost.id, "name": "More", "cost_code_id": self.cost_code.id,
                "cost_type_id": self.labor.id, "amount": 1,
            })
        with self.assertRaisesRegex(UserError, LOCKED):
            cost.line_ids.unlink()
        cost.date_paid = "2030-01-31"  # payment is recorded after approval and feeds no figure
        self.assertEqual(cost.amount_total, 900)

    def test_reset_unlocks_and_is_tracked(self):
        """The administrator resets the document; the chatter names who did it and from which status."""
        cost = self._approved_direct_cost()
        self.env.cr.precommit.run()  # the status tracking of the approval, as at the end of its request
        cost.with_user(self.manager).action_reset_to_draft()
        self.env.cr.precommit.run()
        cost.line_ids.with_user(self.user).amount = 1_000
        self.assertEqual(cost.amount_total, 1_000)
        tracking = cost.message_ids.tracking_value_ids.filtered(lambda value: value.field_id.name == "state")
        reset = tracking.filtered(lambda value: value.new_value_char == "Draft")
        self.assertEqual(reset.old_value_char, "Approved")
        self.assertEqual(reset.mail_message_id.author_id, self.manager.partner_id)
        order = self._approved_change_order()
        with self.assertRaisesRegex(UserError, "Only a Progress Billing manager can set"):
            order.with_user(self.user).action_void()
        order.with_user(self.manager).action_void()
        order.with_user(self.manager).action_reset_to_draft()
        order.line_ids.amount = 7_000
        self.assertEqual(self.commitment.approved_change_orders_amount, 0)


@tagged("post_install", "-at_install", "progress_billing")
class TestApplicationLineContract(ProgressBillingCase):
    """readme/CONFIGURE.md, "Workflow and locks": a line stays on its application and bills a line of that
    application's own contract."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.other_commitment = cls._create_commitment(cls.project, [{"name": "Steel", "price_unit": 10_000}])
        cls.other_prime_contract = cls._create_prime_contract(cls.project, [{"name": "Annex", "price_unit": 20_000}])

    def test_line_cannot_move_to_another_application(self):
        invoice = self._create_sub_invoice()
        other = self._create_sub_invoice(commitment=self.other_commitment)
        line = self._line_of(invoice, self.ssov_labor).with_user(self.user)
        with self.assertRaisesRegex(UserError, r"Line “Concrete labor” of .* cannot be moved to another application"):
            line.invoice_id = other
        self.assertEqual(line.invoice_id, invoice)
        line.write({"invoice_id": invoice.id, "work_this_period": 100})

    def test_line_of_an_approved_application_cannot_move(self):
        invoice = self._create_sub_invoice()
        invoice.action_submit()
        invoice.with_user(self.manager).action_approve()
        draft = self._create_sub_invoice(period=self._create_next_period())
        with self.assertRaisesRegex(UserError, "cannot be moved to another application"):
            self._line_of(invoice, self.ssov_labor).with_user(self.manager).invoice_id = draft

    def test_line_bills_only_its_own_contract(self):
        sub_invoice = self._create_sub_invoice()
        owner_invoice = self._create_owner_invoice()
        cco = self._create_change_order(self.other_commitment, [{"name": "Bracing", "amount": 2_000}])
        pcco = self._create_change_order(self.other_prime_contract, [{"name": "Annex canopy", "amount": 3_000}])
        cases = [
            (sub_invoice, {"purchase_line_id": self.other_commitment.order_line.id}, self.other_commitment),
            (sub_invoice, {"purchase_line_id": False, "change_order_line_id": cco.line_ids.id}, self.other_commitment),
            (owner_invoice, {"sale_line_id": self.other_prime_contract.order_line.id}, self.other_prime_contract),
            (owner_invoice, {"sale_line_id": False, "change_order_line_id": pcco.line_ids.id}, self.other_prime_contract),
        ]
        for invoice, values, other in cases:
            line = invoice.line_ids[0].with_user(self.user)
            message = rf"Line “(?:{line.name}|Foreign)” of {invoice.name} bills .* of {other.name}: a line can only bill a line of {invoice._contract().name}"
            with self.subTest(values=values):
                with self.assertRaisesRegex(ValidationError, message):
                    line.write(values)
                with self.assertRaisesRegex(ValidationError, message):
                    line.create({"invoice_id": invoice.id, "name": "Foreign", **values})
