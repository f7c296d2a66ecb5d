from odoo.exceptions import UserError
from odoo.fields import Command
from odoo.tests import TransactionCase, new_test_user, tagged


@tagged("post_install", "-at_install", "progress_billing")
class TestSubInvoiceApproval(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        project = cls.env["project.project"].create({"name": "Clinic"})
        period = cls.env["progress.billing.period"].create(
            {"project_id": project.id, "date_start": "2026-03-01", "date_end": "2026-03-31", "date_due": "2026-03-31"}
        )
        period.action_open()
        product = cls.env["product.product"].create({"name": "Subcontract work", "type": "service"})
        commitment = cls.env["purchase.order"].create({
            "partner_id": cls.env["res.partner"].create({"name": "Granite Ridge Concrete"}).id,
            "project_id": project.id,
            "is_commitment": True,
            "order_line": [Command.create({
                "product_id": product.id, "name": "Cast-in-place concrete", "product_qty": 1, "price_unit": 100000,
                "cost_code_id": cls.env.ref("progress_billing.cost_code_03_300").id,
            })],
        })
        cls.invoice = cls.env["progress.billing.sub.invoice"].create(
            {"purchase_order_id": commitment.id, "period_id": period.id}
        )
        cls.invoice.line_ids.work_this_period = 40000
        cls.invoice.action_submit()

    def test_approving_approves_the_lines_still_to_review(self):
        self.invoice.action_approve()
        self.assertEqual(self.invoice.state, "approved")
        self.assertEqual(self.invoice.line_ids.mapped("review_state"), ["approved"])

    def test_only_a_manager_approves(self):
        user = new_test_user(self.env, "pb_reviewer", groups="progress_billing.group_progress_billing_user")
        with self.assertRaisesRegex(UserError, "Only a Progress Billing manager"):
            self.invoice.with_user(user).action_approve_as_noted()
        self.assertEqual(self.invoice.state, "under_review")
