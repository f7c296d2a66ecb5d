# Copyright 2026 Progress Billing Developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

"""Money you can trust (readme/CONFIGURE.md, "Accounting"): a pay application never has
two active bills, whatever way in (two users at once, a cancelled or reversed
bill reset to draft, a create over JSON-RPC), and a retainage release never
exceeds the retainage held.

Retainage held after the first application of the worked example
(tests/test_accounting.py): labor 1,000.00 (10% of 10,000.00), materials
500.00 (10% of the 5,000.00 installed; stored materials hold 0%).
"""

import json
import re
from datetime import date

from odoo import SUPERUSER_ID, Command, api
from odoo.exceptions import UserError, ValidationError
from odoo.tests import HttpCase, TransactionCase, tagged
from odoo.tools import mute_logger
from odoo.tools.misc import format_amount

from .common import USER_GROUP
from .test_accounting import ACCOUNTING_GROUP, WORKED_EXAMPLE, AccountingCase

SUB_INVOICE = "progress.billing.sub.invoice"


class AccountingGuaranteesCase(AccountingCase):
    """The worked example's commitment, its first application billed (held:
    labor 1,000.00, materials 500.00) and ``billing_user``, a plain Progress
    Billing user with accounting rights."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.billing_user = cls._create_user("pb_billing_user", f"{USER_GROUP},{ACCOUNTING_GROUP}")
        cls.example_commitment = cls._create_contract("purchase.order")
        cls.periods[0].action_open()
        contract_lines = {line.name: line for line in cls.example_commitment.order_line}
        cls.first = cls._create_invoice(
            cls.example_commitment, cls.periods[0],
            {contract_lines[name]: amounts for name, amounts in WORKED_EXAMPLE[0].items()},
        )
        cls.first.action_submit()
        cls.first.action_approve()
        cls.first.with_user(cls.accountant).action_create_move()
        cls.first_bill = cls.first.move_id

    def _second_application(self):
        """The application of the second period, still a draft."""
        return self._create_application(self.example_commitment, self.periods[1], WORKED_EXAMPLE[1], approve=False)

    def _money(self, amount):
        return format_amount(self.env, amount, self.currency)


@tagged("post_install", "-at_install", "progress_billing")
class TestOneActiveBill(AccountingGuaranteesCase):
    def test_cancelled_bill_is_not_reset_while_billed_again(self):
        bill = self.first_bill.with_user(self.billing_user)
        bill.button_cancel()
        new_bill = self._create_bill(self.first, self.billing_user)
        with self.assertRaisesRegex(UserError, re.escape(
            f"{bill.display_name} cannot be reset to draft: {self.first.name} is already billed on {new_bill.display_name}."
        )):
            bill.button_draft()
        self.assertEqual((bill.state, self.first.move_id), ("cancel", new_bill))
        new_bill.button_cancel()
        bill.button_draft()
        self.assertEqual(self.first.move_id, bill, "with the other bill cancelled, the first one comes back")

    def test_reversed_bill_is_not_reactivated_while_billed_again(self):
        """A bill reversed by a credit note no longer counts: the application
        is billed again, and the reversed bill cannot come back to draft."""
        bill = self.first_bill.with_user(self.billing_user)
        bill.action_post()
        bill.sudo()._reverse_moves(cancel=True)
        self.assertEqual(bill.payment_state, "reversed")
        self.assertFalse(self.first.move_id)
        new_bill = self._create_bill(self.first, self.billing_user)
        self.assertEqual(self.first.move_id, new_bill)
        with self.assertRaisesRegex(UserError, re.escape(
            f"{bill.display_name} cannot be reset to draft: {self.first.name} is already billed on {new_bill.display_name}."
        )):
            bill.button_draft()
        self.assertEqual((bill.state, bill.payment_state), ("posted", "reversed"))


@tagged("post_install", "-at_install", "progress_billing")
class TestRetainageReleaseBound(AccountingGuaranteesCase):
    def test_release_is_bounded_by_the_retainage_held(self):
        second = self._second_application()
        labor, materials = second.line_ids.with_user(self.billing_user)
        for line, held, released in ((labor, 1_000.0, 1_000.01), (materials, 500.0, -0.01)):
            with self.subTest(line=line.name), self.assertRaisesRegex(ValidationError, re.escape(
                f"Line “{line.name}” of {second.name} cannot release {self._money(released)} of retainage: "
                f"it held {self._money(held)} as of the previous application"
            )):
                line.retainage_released = released
        labor.retainage_released = 1_000.0
        materials.retainage_released = 500.0
        self.assertAmount(second.retainage_released, 1_500.0)

    def test_nothing_is_released_before_anything_is_held(self):
        unbilled = self._create_application(self._create_contract("purchase.order"), self.periods[0], {}, approve=False)
        with self.assertRaisesRegex(ValidationError, re.escape(f"it held {self._money(0.0)} as of the previous application")):
            unbilled.line_ids[0].with_user(self.billing_user).retainage_released = 0.01

    def test_wizard_adds_to_the_release_of_the_period(self):
        second = self._second_application()
        second.line_ids[0].retainage_released = 400.0
        action = self.example_commitment.with_user(self.accountant).action_release_retainage()
        wizard = self.env[action["res_model"]].browse(action["res_id"]).with_user(self.accountant)
        self.assertEqual(wizard.period_id, self.periods[1])
        self.assertEqual(wizard.line_ids.mapped("already_released"), [400.0, 0.0])
        self.assertEqual(wizard.line_ids.mapped("amount"), [600.0, 500.0], "what is still held is proposed")
        self.assertEqual(wizard.already_released_note, (
            f"{second.name} of this billing period already releases {self._money(400.0)} of retainage: "
            "the amounts below are added to it."
        ))
        with self.assertRaisesRegex(ValidationError, "can release between 0 and the 600.0 of retainage it still holds"):
            wizard.line_ids[0].amount = 600.01
        wizard.line_ids[0].amount = 100.0
        result = wizard.action_release()
        self.assertEqual(second.line_ids.mapped("retainage_released"), [500.0, 500.0], "added, not overwritten")
        self.assertEqual(result["params"]["next"]["res_id"], second.id)
        message = (
            f"Retainage released on {second.name}, added to the release already entered in this billing period: "
            f"labor: {self._money(100.0)} added to {self._money(400.0)}, now {self._money(500.0)}."
        )
        self.assertEqual(result["params"]["message"], message)
        self.assertIn(message.replace("\xa0", "&nbsp;"), second.message_ids[0].body, "the chatter says so too")


@tagged("post_install", "-at_install", "progress_billing")
class TestAccountingJsonRpc(AccountingGuaranteesCase, HttpCase):
    """The same guarantees through ``/web/dataset/call_kw``, as a client would."""

    def _call_kw(self, user, model, method, args, kwargs=None):
        """The JSON-RPC error of calling ``method`` as ``user`` (its password is its login)."""
        self.authenticate(user.login, user.login)
        payload = {
            "jsonrpc": "2.0", "method": "call", "id": 1,
            "params": {"model": model, "method": method, "args": args, "kwargs": kwargs or {}},
        }
        response = self.url_open(
            "/web/dataset/call_kw", data=json.dumps(payload), headers={"Content-Type": "application/json"}
        )
        return response.json().get("error", {}).get("data", {})

    def test_release_bound_over_json_rpc(self):
        second = self._second_application()
        labor = second.line_ids[0]
        error = self._call_kw(
            self.billing_user, labor._name, "write", [labor.ids, {"retainage_released": 1_000.01}]
        )
        self.assertEqual(error.get("name"), "odoo.exceptions.ValidationError")
        self.assertIn(
            f"Line “labor” of {second.name} cannot release {self._money(1_000.01)} of retainage: "
            f"it held {self._money(1_000.0)} as of the previous application", error.get("message"),
        )
        self.assertEqual(labor.retainage_released, 0.0)

    def test_second_active_bill_over_json_rpc(self):
        """Linking another bill to a billed application is refused by the database, with a message naming it."""
        with mute_logger("odoo.sql_db"):
            error = self._call_kw(self.billing_user, "account.move", "create", [{
                "move_type": "in_invoice", "partner_id": self.subcontractor.id,
                "progress_billing_sub_invoice_id": self.first.id,
            }])
        self.assertEqual(error.get("name"), "odoo.exceptions.ValidationError")
        self.assertEqual(error.get("message"), (
            f"The operation cannot be completed: {self.first.name} already has an active bill or invoice: cancel it, "
            "or reverse it with a credit note, before billing the application again."
        ))
        self.assertEqual(self.first.move_ids, self.first_bill)


@tagged("post_install", "-at_install", "progress_billing")
class TestBillingConcurrency(TransactionCase):
    """Two users at once, in two database transactions, as
    account/tests/test_sequence_mixin.py does: the fixture (a confirmed
    commitment and its approved application of 400.00 of work) is committed,
    each user works in a cursor of its own, and everything is deleted after.
    The second user's transaction begins before the first user's commit, as
    when both click at once."""

    def setUp(self):
        super().setUp()
        with self.env.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            partner = env["res.partner"].create({"name": "PB concurrency subcontractor"})
            product = env["product.product"].create({
                "name": "PB concurrency work", "type": "service", "taxes_id": False, "supplier_taxes_id": False,
            })
            project = env["project.project"].create({"name": "PB concurrency"})
            period = env["progress.billing.period"].create({
                "project_id": project.id, "date_start": date(2026, 1, 1), "date_end": date(2026, 1, 31),
                "date_due": date(2026, 1, 31),
            })
            period.action_open()
            commitment = env["purchase.order"].create({
                "is_commitment": True, "partner_id": partner.id, "project_id": project.id, "retainage_rate": 10.0,
                "order_line": [Command.create({
                    "product_id": product.id, "name": "Labor", "product_qty": 1, "price_unit": 1_000.0, "tax_ids": False,
                })],
            })
            commitment.button_confirm()
            application = env[SUB_INVOICE].create({"purchase_order_id": commitment.id, "period_id": period.id})
            application.line_ids.work_this_period = 400.0
            application.action_submit()
            application.action_approve()
            env.cr.commit()
        self.data = {
            "application_id": application.id, "commitment_id": commitment.id, "project_id": project.id,
            "product_id": product.id, "partner_id": partner.id,
        }
        self.envs = [api.Environment(self.env.registry.cursor(), SUPERUSER_ID, {}) for _ in range(3)]
        for env in self.envs:
            # a user waiting for the other's lock would wait for ever in this single thread: fail instead
            env.cr.execute("SET lock_timeout = '10s'")
            env.cr.commit()
        self.addCleanup(self.cleanUp)

    def cleanUp(self):
        for env in self.envs:
            env.cr.rollback()
            env.cr.close()
        with self.env.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            env["account.move"].search([("progress_billing_sub_invoice_id", "=", self.data["application_id"])]).with_context(
                force_delete=True
            ).unlink()
            # the ORM keeps approved applications: they are certified documents
            env["mail.message"].search([("model", "=", SUB_INVOICE), ("res_id", "=", self.data["application_id"])]).unlink()
            cr.execute("DELETE FROM progress_billing_sub_invoice WHERE id = %s", [self.data["application_id"]])
            commitment = env["purchase.order"].browse(self.data["commitment_id"])
            commitment.button_cancel()
            commitment.unlink()
            env["project.project"].browse(self.data["project_id"]).unlink()
            env["product.product"].browse(self.data["product_id"]).unlink()
            env["res.partner"].browse(self.data["partner_id"]).unlink()
            env.cr.commit()

    def _application(self, env):
        return env[SUB_INVOICE].browse(self.data["application_id"])

    def _active_moves(self, env):
        return self._application(env).move_ids.filtered(lambda move: move._is_active_progress_billing_move())

    def test_billing_twice_at_once(self):
        env0, env1, env2 = self.envs
        env1.cr.execute("SELECT 1")  # the second user's transaction begins

        self._application(env2).action_create_move()
        bill = self._application(env2).move_id
        env2.cr.commit()

        with self.assertRaisesRegex(UserError, re.escape(
            f"{self._application(env1).name} was billed on {bill.display_name} by another user in the meantime"
        )):
            self._application(env1).action_create_move()
        env1.cr.rollback()
        self.assertEqual(self._active_moves(env0).ids, bill.ids, "billed once")

    def test_billing_while_another_user_is_billing(self):
        """The first user's bill is not committed yet: the second user does not wait for it."""
        env0, env1, env2 = self.envs
        env1.cr.execute("SELECT 1")

        self._application(env2).action_create_move()

        with self.assertRaisesRegex(UserError, re.escape(
            f"{self._application(env1).name} is being billed by another user right now"
        )):
            self._application(env1).action_create_move()
        env1.cr.rollback()
        env2.cr.commit()
        self.assertEqual(len(self._active_moves(env0)), 1, "billed once")

    def test_reset_to_draft_while_billed_again(self):
        """A user resets the cancelled bill to draft while another bills the application again."""
        env0, env1, env2 = self.envs
        self._application(env0).action_create_move()
        cancelled = self._application(env0).move_id
        cancelled.button_cancel()
        env0.cr.commit()
        env1.cr.execute("SELECT 1")

        self._application(env2).action_create_move()
        new_bill = self._application(env2).move_id
        env2.cr.commit()

        with self.assertRaisesRegex(UserError, re.escape(
            f"{self._application(env1).name} was billed on {new_bill.display_name} by another user in the meantime"
        )):
            env1["account.move"].browse(cancelled.id).button_draft()
        env1.cr.rollback()
        env0.cr.rollback()
        self.assertEqual(self._active_moves(env0).ids, new_bill.ids)
        self.assertEqual(env0["account.move"].browse(cancelled.id).state, "cancel")
