# Copyright 2026 Progress Billing Developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

"""readme/CONFIGURE.md, "Auto-completion": two auto-completions of one owner invoice, or of two owner invoices
of one project offered the same cost, applied at once, each in its own database transaction (as
addons/account/tests/test_sequence_mixin.py tests concurrent postings): one wins, the other is told,
nothing is doubled."""

from datetime import timedelta

from psycopg2.errors import SerializationFailure

from odoo import SUPERUSER_ID, Command, api, fields
from odoo.exceptions import UserError
from odoo.tests import TransactionCase, tagged
from odoo.tools import mute_logger

from ..models.progress_billing_period import monthly_period_bounds


@tagged("post_install", "-at_install", "progress_billing")
class TestAutocompleteConcurrency(TransactionCase):
    """A committed job (the two transactions must both see it): a subcontractor
    invoice billing 1,000 of the cost code of the owner invoice's only line,
    and a second prime contract of the project whose owner invoice of the next
    billing period is offered that cost as one left behind."""

    def setUp(self):
        super().setUp()
        with self.env.registry.cursor() as cr:
            self.job = self._create_job(api.Environment(cr, SUPERUSER_ID, {}))
        self.envs = [api.Environment(self.env.registry.cursor(), SUPERUSER_ID, {}) for _index in range(2)]
        self.addCleanup(self._delete_job)

    @staticmethod
    def _create_job(env):
        cost_code = env["progress.billing.cost.code"].search([("company_id", "=", False)], limit=1)
        cost_type = env["progress.billing.cost.type"].search([("company_id", "=", False)], limit=1)
        product = env["product.product"].create({"name": "Concurrent work", "type": "service", "taxes_id": False})
        owner, subcontractor = env["res.partner"].create(
            [{"name": "Concurrent owner"}, {"name": "Concurrent subcontractor"}]
        )
        project = env["project.project"].create({"name": "Concurrent job"})
        date_start, date_end = monthly_period_bounds(fields.Date.today(), 1)
        period = env["progress.billing.period"].create({
            "project_id": project.id, "date_start": date_start, "date_end": date_end, "date_due": date_end,
        })
        period.action_open()
        line = {
            "product_id": product.id,
            "name": "Concrete",
            "cost_code_id": cost_code.id,
            "cost_type_id": cost_type.id,
            "price_unit": 100_000,
            "tax_ids": False,
        }
        prime_contract = env["sale.order"].create({
            "is_prime_contract": True, "partner_id": owner.id, "project_id": project.id,
            "order_line": [Command.create({**line, "product_uom_qty": 1})],
        })
        commitment = env["purchase.order"].create({
            "is_commitment": True, "partner_id": subcontractor.id, "project_id": project.id,
            "order_line": [Command.create({**line, "product_qty": 1})],
        })
        sub_invoice = env["progress.billing.sub.invoice"].create(
            {"purchase_order_id": commitment.id, "period_id": period.id}
        )
        sub_invoice.line_ids.work_this_period = 1000
        sub_invoice.action_submit()
        sub_invoice.action_approve()
        owner_invoice = env["progress.billing.owner.invoice"].create(
            {"sale_order_id": prime_contract.id, "period_id": period.id}
        )
        next_start, next_end = monthly_period_bounds(date_end + timedelta(days=1), 1)
        next_period = env["progress.billing.period"].create({
            "project_id": project.id, "date_start": next_start, "date_end": next_end, "date_due": next_end,
        })
        next_period.action_open()
        other_prime_contract = prime_contract.copy({"is_prime_contract": True, "project_id": project.id})
        other_owner_invoice = env["progress.billing.owner.invoice"].create(
            {"sale_order_id": other_prime_contract.id, "period_id": next_period.id}
        )
        return {
            "owner_invoice": owner_invoice.id, "other_owner_invoice": other_owner_invoice.id,
            "sub_invoice": sub_invoice.id, "commitment": commitment.id,
            "prime_contracts": (prime_contract | other_prime_contract).ids, "project": project.id,
            "product": product.id, "partners": (owner | subcontractor).ids,
        }

    def _delete_job(self):
        for env in self.envs:
            env.cr.rollback()
            env.cr.close()
        with self.env.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            env["progress.billing.owner.invoice"].browse(
                [self.job["owner_invoice"], self.job["other_owner_invoice"]]
            ).unlink()
            sub_invoice = env["progress.billing.sub.invoice"].browse(self.job["sub_invoice"])
            sub_invoice.action_void()
            sub_invoice.action_reset_to_draft()
            sub_invoice.unlink()
            commitment = env["purchase.order"].browse(self.job["commitment"])
            commitment.button_cancel()
            commitment.unlink()
            env["sale.order"].browse(self.job["prime_contracts"]).unlink()
            env["project.project"].browse(self.job["project"]).unlink()
            env["product.product"].browse(self.job["product"]).unlink()
            env["res.partner"].browse(self.job["partners"]).unlink()

    def _preview(self, env, invoice="owner_invoice"):
        invoice = env["progress.billing.owner.invoice"].browse(self.job[invoice])
        action = invoice.action_autocomplete()
        return env[action["res_model"]].browse(action["res_id"])

    def _preview_including_the_cost(self, env):
        """The preview of the other prime contract's invoice, the subcontractor invoice's cost included."""
        wizard = self._preview(env, "other_owner_invoice")
        self.assertEqual(wizard.earlier_ids.mapped("amount"), [1000])
        wizard.action_include_all()
        return wizard

    def assertBilledOnce(self):
        with self.env.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            sub_invoice = env["progress.billing.sub.invoice"].browse(self.job["sub_invoice"])
            links = env["progress.billing.owner.invoice.source"].search(
                [("sub_invoice_line_id", "in", sub_invoice.line_ids.ids)]
            )
            self.assertEqual(links.invoice_id.ids, [self.job["owner_invoice"]])

    def assertAppliedOnce(self):
        with self.env.registry.cursor() as cr:
            invoice = api.Environment(cr, SUPERUSER_ID, {})["progress.billing.owner.invoice"].browse(
                self.job["owner_invoice"]
            )
            self.assertEqual(invoice.line_ids.mapped("work_this_period"), [1000])
            self.assertEqual(len(invoice.line_ids.autocomplete_source_ids), 1)

    def assertRefused(self, apply, message):
        with self.assertRaises(UserError) as caught:
            apply()
        self.assertRegex(str(caught.exception), message)

    def test_two_applies_at_once(self):
        """The second Apply finds the invoice locked by the first, still running: refused at once."""
        env1, env2 = self.envs
        wizard1, wizard2 = self._preview(env1), self._preview(env2)
        # without the invoice's lock, the second would wait for the first's rows: give up instead of hanging
        env1.cr.execute("SET LOCAL lock_timeout = '5s'")
        wizard2.action_apply()
        self.assertRefused(wizard1.action_apply, r"^OI/.* is being auto-completed by someone else right now")
        env1.cr.rollback()
        env2.cr.commit()
        self.assertAppliedOnce()

    def test_apply_after_another_one_committed(self):
        """The first preview, applied after the second auto-completion committed, no longer describes the lines."""
        env1, env2 = self.envs
        wizard1 = self._preview(env1)
        env1.cr.commit()
        self._preview(env2).action_apply()
        env2.cr.commit()
        self.assertRefused(
            wizard1.action_apply, r"changed while you were reviewing them, on lines “Concrete”: nothing was written"
        )
        env1.cr.rollback()
        self.assertAppliedOnce()

    def test_two_invoices_of_the_project_at_once(self):
        """The second invoice's Apply, offered the cost the first one is copying, finds the project claimed by the
        first, still running: refused at once."""
        env1, env2 = self.envs
        wizard1, wizard2 = self._preview(env1), self._preview_including_the_cost(env2)
        env1.cr.execute("SET LOCAL lock_timeout = '5s'")
        env2.cr.execute("SET LOCAL lock_timeout = '5s'")
        wizard1.action_apply()
        self.assertRefused(
            wizard2.action_apply,
            r"^Another owner invoice of Concurrent job is being auto-completed right now: auto-complete OI/.* "
            r"again in a moment, so that no cost is billed twice\.$",
        )
        env2.cr.rollback()
        env1.cr.commit()
        self.assertBilledOnce()

    def test_invoice_read_before_the_other_was_saved(self):
        """The second invoice's Apply, in a transaction that read the database before the first invoice's was
        saved, fails on the project's row; run again, as Odoo does, it finds the cost billed and refuses."""
        env1, env2 = self.envs
        wizard1, wizard2 = self._preview(env1), self._preview_including_the_cost(env2)
        env2.cr.commit()
        env2.cr.execute("SELECT 1")  # the new transaction's view of the database starts here
        wizard1.action_apply()
        env1.cr.commit()
        with mute_logger("odoo.sql_db"), self.assertRaises(SerializationFailure):
            wizard2.action_apply()
        env2.cr.rollback()
        self.assertRefused(
            wizard2.action_apply, r"changed while you were reviewing them, on lines “Concrete”: nothing was written"
        )
        env2.cr.rollback()
        self.assertBilledOnce()
