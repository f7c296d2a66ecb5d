# Copyright 2026 Progress Billing Developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from odoo.tests import tagged

from ..tools.trusted_write import _KEY
from .common import ProgressBillingHttpCase


@tagged("post_install", "-at_install", "progress_billing")
class TestJsonRpcGuards(ProgressBillingHttpCase):
    """readme/CONFIGURE.md, "Workflow and locks": what the buttons refuse, JSON-RPC refuses too. A plain
    Progress Billing user, logged in, calls ``/web/dataset/call_kw`` as the
    web client would; each forbidden call answers the expected error and
    leaves the database unchanged."""

    def setUp(self):
        super().setUp()
        self.authenticate(self.user.login, self.user.login + "x" * (8 - len(self.user.login)))
        self.invoice = self._create_sub_invoice(amounts={self.ssov_labor: (1_000, 0)})
        self.line = self._line_of(self.invoice, self.ssov_labor)

    def test_write_state(self):
        error = self._call_kw(self.invoice._name, "write", [self.invoice.ids, {"state": "approved"}])
        self.assertRefused(error, "AccessError", "cannot be set to Approved by editing its status. Use the workflow buttons")
        self.invoice.invalidate_recordset()
        self.assertEqual(self.invoice.state, "draft")

    def test_write_frozen_values(self):
        for record in (self.invoice, self.line):
            with self.subTest(model=record._name):
                error = self._call_kw(record._name, "write", [record.ids, {"frozen_values": {"scheduled_value": 1}}])
                self.assertRefused(error, "AccessError", "are set by Progress Billing itself and cannot be written")
                record.invalidate_recordset()
                self.assertFalse(record.frozen_values)

    def test_create_approved_application(self):
        period = self._create_next_period()
        error = self._call_kw("progress.billing.owner.invoice", "create", [{
            "sale_order_id": self.prime_contract.id, "period_id": period.id, "state": "approved",
        }])
        self.assertRefused(error, "AccessError", "starts as Draft and cannot be created as Approved")
        self.assertFalse(self.env["progress.billing.owner.invoice"].search([("period_id", "=", period.id)]))

    def test_move_line(self):
        other = self._create_sub_invoice(period=self._create_next_period())
        error = self._call_kw(self.line._name, "write", [self.line.ids, {"invoice_id": other.id}])
        self.assertRefused(error, "UserError", "cannot be moved to another application")
        self.line.invalidate_recordset()
        self.assertEqual(self.line.invoice_id, self.invoice)

    def test_bill_another_contracts_line(self):
        other_commitment = self._create_commitment(self.project, [{"name": "Steel", "price_unit": 10_000}])
        error = self._call_kw(self.line._name, "write", [self.line.ids, {"purchase_line_id": other_commitment.order_line.id}])
        self.assertRefused(error, "ValidationError", "a line can only bill a line of")
        self.line.invalidate_recordset()
        self.assertEqual(self.line.purchase_line_id, self.ssov_labor)

    def test_review_a_line(self):
        self.invoice.action_submit()
        error = self._call_kw(self.line._name, "write", [self.line.ids, {"review_state": "approved"}])
        self.assertRefused(error, "AccessError", "are set by the review steps")
        self.line.invalidate_recordset()
        self.assertEqual(self.line.review_state, "to_review")

    def test_forged_trusted_context(self):
        """The marker of the addon's own writes is a Python object: no JSON value passes for it."""
        for forged in (True, 1, "trusted", {}):
            with self.subTest(forged=forged):
                context = {_KEY: forged}
                error = self._call_kw(self.invoice._name, "write", [self.invoice.ids, {"state": "approved"}], {"context": context})
                self.assertRefused(error, "AccessError", "Use the workflow buttons")
                error = self._call_kw(self.line._name, "write", [self.line.ids, {"frozen_values": {}}], {"context": context})
                self.assertRefused(error, "AccessError", "are set by Progress Billing itself")
        self.invoice.invalidate_recordset()
        self.assertEqual(self.invoice.state, "draft")

    def test_change_retention_rules_of_a_certified_contract(self):
        """readme/CONFIGURE.md, "Workflow and locks": the retention rules of a contract with a certified pay application
        are locked."""
        rule = self.env["progress.billing.retention.rule"].create({
            "purchase_order_id": self.commitment.id, "rate_work": 10, "limit_type": "percent_complete", "limit_percent": 50,
        })
        self.invoice.action_submit()
        self.invoice.action_approve()
        for method, args in (
            ("write", [rule.ids, {"rate_work": 5}]),
            ("unlink", [rule.ids]),
            ("create", [{"purchase_order_id": self.commitment.id, "rate_work": 5}]),
        ):
            with self.subTest(method=method):
                error = self._call_kw(rule._name, method, args)
                self.assertRefused(error, "UserError", "has certified pay applications .*: its retention rules can no longer change")
        self.assertEqual(self.commitment.retention_rule_ids.mapped("rate_work"), [10.0])
