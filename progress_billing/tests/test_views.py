# Copyright 2026 Progress Billing Developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from odoo.tests import Form, new_test_user, tagged

from .common import ProgressBillingCase

VIEWED_MODELS = [
    "progress.billing.division",
    "progress.billing.cost.code",
    "progress.billing.cost.type",
    "progress.billing.period",
    "progress.billing.direct.cost",
    "progress.billing.change.event",
    "progress.billing.change.order",
    "progress.billing.sub.invoice",
    "progress.billing.owner.invoice",
    "project.project",
    "sale.order",
    "purchase.order",
]


@tagged("post_install", "-at_install", "progress_billing")
class TestViews(ProgressBillingCase):
    def test_default_views_load(self):
        for user in (self.user, self.manager):
            for model in VIEWED_MODELS:
                with self.subTest(model=model, user=user.login):
                    views = self.env[model].with_user(user).get_views([(False, "list"), (False, "form"), (False, "search")])
                    self.assertEqual(set(views["views"]), {"list", "form", "search"})

    def test_action_views_load(self):
        action_ids = self.env["ir.model.data"].search(
            [("module", "=", "progress_billing"), ("model", "=", "ir.actions.act_window")]
        ).mapped("res_id")
        actions = self.env["ir.actions.act_window"].browse(action_ids)
        self.assertTrue(actions)
        for action in actions:
            with self.subTest(action=action.name):
                views = [(view.view_id.id, view.view_mode) for view in action.view_ids]
                modes = {mode for _view_id, mode in views}
                views += [(False, mode) for mode in action.view_mode.split(",") if mode not in modes]
                views.append((action.search_view_id.id, "search"))
                self.env[action.res_model].with_user(self.manager).get_views(views)

    def test_forms_without_progress_billing_rights(self):
        """Project, sales and purchase users outside Progress Billing still
        open projects and orders: the progress billing parts are hidden."""
        for model, group, hidden_field in (
            ("project.project", "project.group_project_user", "billing_period_count"),
            ("sale.order", "sales_team.group_sale_salesman", "owner_invoice_count"),
            ("purchase.order", "purchase.group_purchase_user", "sub_invoice_count"),
        ):
            with self.subTest(model=model):
                outsider = new_test_user(self.env, f"pb_outsider_{model}", groups=group)
                form = self.env[model].with_user(outsider).get_views([(False, "form")])["views"]["form"]
                self.assertNotIn(hidden_field, form["arch"])

    def test_picking_commitment_lists_its_lines_and_open_period(self):
        with Form(self.env["progress.billing.sub.invoice"].with_user(self.user)) as invoice_form:
            invoice_form.purchase_order_id = self.commitment
            self.assertEqual(invoice_form.project_id, self.project)
            self.assertEqual(invoice_form.period_id, self.period)
            self.assertEqual(len(invoice_form.line_ids), 2)
            with invoice_form.line_ids.edit(0) as line:
                self.assertEqual(line.scheduled_value, 60_000)
                line.work_this_period = 6_000
                self.assertEqual(line.total_completed, 6_000)
                self.assertEqual(line.percent_complete, 10)
        invoice = invoice_form.record
        self.assertEqual(invoice.line_ids.purchase_line_id, self.commitment.order_line, "create() adds no line twice")
        self.assertEqual(self._line_of(invoice, self.ssov_labor).cost_type_id, self.labor)
        self.assertEqual(invoice.work_this_period, 6_000)

    def test_picking_prime_contract_lists_its_lines(self):
        with Form(self.env["progress.billing.owner.invoice"].with_user(self.user)) as invoice_form:
            invoice_form.sale_order_id = self.prime_contract
            self.assertEqual(invoice_form.period_id, self.period)
        invoice = invoice_form.record
        self.assertEqual(invoice.line_ids.sale_line_id, self.prime_contract.order_line)
        self.assertEqual(self._line_of(invoice, self.sov_finishes).division_id, self.division_finishes)


@tagged("post_install", "-at_install", "progress_billing")
class TestLineRejectWizard(ProgressBillingCase):
    def test_reject_line_with_reason(self):
        invoice = self._create_sub_invoice(amounts={self.ssov_labor: (6_000, 0)})
        invoice.with_user(self.user).action_submit()
        line = self._line_of(invoice, self.ssov_labor)
        action = line.with_user(self.manager).action_reject_line()
        wizard = Form(self.env[action["res_model"]].with_user(self.manager).with_context(action["context"]))
        wizard.reason = "Level 3 slab not poured yet"
        wizard.save().action_confirm()
        self.assertValues(line, {"review_state": "rejected", "rejection_reason": "Level 3 slab not poured yet"})
        self.assertEqual(invoice.state, "revise_resubmit")
