# Copyright 2026 Progress Billing Developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import ProgressBillingCase


@tagged("post_install", "-at_install", "progress_billing")
class TestDirectCost(ProgressBillingCase):
    def _create_direct_cost(self, amount):
        return self.env["progress.billing.direct.cost"].create({
            "project_id": self.project.id,
            "date_received": self.period.date_start,
            "line_ids": [Command.create({
                "name": "Site labour", "cost_code_id": self.cost_code.id, "cost_type_id": self.labor.id, "amount": amount,
            })],
        })

    def test_numbered_and_totalled(self):
        cost = self._create_direct_cost(1_250)
        self.assertTrue(cost.name.startswith("DC/"))
        self.assertEqual(cost.amount_total, 1_250)

    def test_workflow_and_rights(self):
        cost = self._create_direct_cost(800).with_user(self.user)
        cost.action_submit()
        self.assertEqual(cost.state, "pending")
        with self.assertRaisesRegex(UserError, "Only a Progress Billing manager can set .* to Approved"):
            cost.action_approve()
        cost.with_user(self.manager).action_approve()
        self.assertEqual(cost.state, "approved")
        with self.assertRaisesRegex(UserError, "cannot go from Approved to Pending"):
            cost.action_submit()
        cost.with_user(self.manager).action_request_revision()
        cost.action_submit()
        self.assertEqual(cost.state, "pending")
