# Copyright 2026 Progress Billing Developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged

from .common import USER_GROUP, ProgressBillingCase

# what a plain user is told when writing or creating a status
STATE_WRITE = "cannot be set to .* by editing its status. Use the workflow buttons"
STATE_CREATE = "starts as Draft and cannot be created as .* Use the workflow buttons"
PROTECTED = "are set by Progress Billing itself and cannot be written"


@tagged("post_install", "-at_install", "progress_billing")
class TestAccessRights(ProgressBillingCase):
    """readme/CONFIGURE.md, "Groups: who may do what", in the style of purchase/tests/test_access_rights.py: for
    pay applications (both kinds) and their lines, change orders and direct
    costs and their lines, what a plain Progress Billing user, an
    administrator, a user of another company and a portal user may create,
    write (a field, the status, the frozen figures) and delete."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_b = cls._create_company("Other Builders")
        cls.user_b = cls._create_user("pb_user_b", USER_GROUP, cls.company_b)
        cls.portal = new_test_user(cls.env, "pb_portal", groups="base.group_portal", context={"no_reset_password": True})

    def setUp(self):
        super().setUp()
        self.next_period = None

    def _documents(self):
        """{kind: (draft document, one of its lines)} of every workflow document."""
        sub_invoice = self._create_sub_invoice(amounts={self.ssov_labor: (1_000, 0)})
        owner_invoice = self._create_owner_invoice(amounts={self.sov_concrete: (1_000, 0)})
        change_order = self._create_change_order(self.commitment, [{"name": "Extra pour", "amount": 500}], state="draft")
        direct_cost = self._create_direct_cost()
        return {
            "sub_invoice": (sub_invoice, self._line_of(sub_invoice, self.ssov_labor)),
            "owner_invoice": (owner_invoice, self._line_of(owner_invoice, self.sov_concrete)),
            "change_order": (change_order, change_order.line_ids),
            "direct_cost": (direct_cost, direct_cost.line_ids),
        }

    def _create_direct_cost(self, **values):
        return self.env["progress.billing.direct.cost"].create({
            "project_id": self.project.id,
            "line_ids": [Command.create({
                "name": "Crane hire", "cost_code_id": self.cost_code.id, "cost_type_id": self.labor.id, "amount": 900,
            })],
            **values,
        })

    def _create_values(self, kind):
        """Values of a new document of ``kind`` as a user enters them (in the next period for applications)."""
        if not self.next_period:
            self.next_period = self._create_next_period()
        return {
            "sub_invoice": {"purchase_order_id": self.commitment.id, "period_id": self.next_period.id},
            "owner_invoice": {"sale_order_id": self.prime_contract.id, "period_id": self.next_period.id},
            "change_order": {
                "title": "Canopy", "order_type": "prime", "sale_order_id": self.prime_contract.id, "company_id": self.company.id,
            },
            "direct_cost": {"project_id": self.project.id},
        }[kind]

    def _everyone(self):
        """(who, records -> records as that user): plain user, administrator, superuser."""
        return [
            ("user", lambda records: records.with_user(self.user)),
            ("administrator", lambda records: records.with_user(self.manager)),
            ("superuser", lambda records: records.sudo()),
        ]

    def _normal_field(self, kind):
        return {"sub_invoice": "note", "owner_invoice": "note", "change_order": "title", "direct_cost": "description"}[kind]

    # the plain user

    def test_plain_user_edits_drafts(self):
        for kind, (document, line) in self._documents().items():
            with self.subTest(kind=kind):
                document = document.with_user(self.user)
                document.write({self._normal_field(kind): "Checked on site"})
                line.with_user(self.user).write({"name": "Renamed"})
                created = document.create(self._create_values(kind))
                self.assertEqual(created.state, "draft")
                created.unlink()
                self.assertFalse(created.exists())

    def test_plain_user_cannot_write_a_status(self):
        for kind, (document, _line) in self._documents().items():
            states = [state for state, _label in document._fields["state"].selection if state != "draft"]
            for state in states:
                with self.subTest(kind=kind, state=state), self.assertRaisesRegex(AccessError, STATE_WRITE):
                    document.with_user(self.user).write({"state": state})
            self.assertEqual(document.state, "draft")

    def test_plain_user_cannot_create_in_a_status(self):
        for kind, (document, _line) in self._documents().items():
            Model = document.with_user(self.user)
            values = self._create_values(kind)
            for state in ("approved", "void") if kind != "direct_cost" else ("pending", "approved"):
                with self.subTest(kind=kind, state=state), self.assertRaisesRegex(AccessError, STATE_CREATE):
                    Model.create({**values, "state": state})

    def test_plain_user_moves_status_by_the_workflow_steps(self):
        """The workflow steps keep working for the plain user, with their group checks."""
        documents = self._documents()
        for kind in ("sub_invoice", "owner_invoice", "change_order", "direct_cost"):
            document = documents[kind][0].with_user(self.user)
            with self.subTest(kind=kind):
                document.action_submit()
                self.assertIn(document.state, ("under_review", "pending"))
                with self.assertRaisesRegex(UserError, "Only a Progress Billing manager can set"):
                    document.action_approve()
                document.with_user(self.manager).action_approve()
                self.assertEqual(document.state, "approved")

    def test_plain_user_cannot_review_lines_by_a_write(self):
        invoice, line = self._documents()["sub_invoice"]
        invoice.action_submit()
        for values in ({"review_state": "approved"}, {"review_state": "rejected", "rejection_reason": "Too much"}):
            with self.subTest(values=values), self.assertRaisesRegex(AccessError, "are set by the review steps"):
                line.with_user(self.user).write(values)
        with self.assertRaisesRegex(AccessError, "are set by the review steps"):
            line.with_user(self.user).create({"invoice_id": invoice.id, "name": "Pre-approved", "review_state": "approved"})
        line.with_user(self.manager).action_approve_line()
        self.assertEqual(line.review_state, "approved")

    def test_nobody_writes_frozen_figures(self):
        """Not the plain user, not the administrator, not even the superuser."""
        documents = self._documents()
        for kind in ("sub_invoice", "owner_invoice"):
            invoice, line = documents[kind]
            values = {**self._create_values(kind), "frozen_values": {"previous_certificates": 1}}
            for who, as_who in self._everyone():
                with self.subTest(kind=kind, who=who):
                    with self.assertRaisesRegex(AccessError, PROTECTED):
                        as_who(invoice).write({"frozen_values": {"previous_certificates": 1}})
                    with self.assertRaisesRegex(AccessError, PROTECTED):
                        as_who(line).write({"frozen_values": {"scheduled_value": 1}})
                    with self.assertRaisesRegex(AccessError, PROTECTED):
                        as_who(invoice).create(values)
        with self.assertRaisesRegex(AccessError, PROTECTED):
            self.env["progress.billing.sub.invoice.line"].create({
                "invoice_id": documents["sub_invoice"][0].id, "name": "Forged", "frozen_values": {"scheduled_value": 1},
            })

    def test_nobody_writes_figures_computed_from_the_lines(self):
        """What feeds the contract sums (the change order total, the status of
        its lines) and a direct cost total are computed, never written."""
        documents = self._documents()
        change_order, change_line = documents["change_order"]
        direct_cost = documents["direct_cost"][0]
        for who, as_who in self._everyone():
            with self.subTest(who=who):
                with self.assertRaisesRegex(AccessError, PROTECTED):
                    as_who(change_order).write({"amount_total": 1_000_000})
                with self.assertRaisesRegex(AccessError, PROTECTED):
                    as_who(change_line).write({"state": "approved"})
                with self.assertRaisesRegex(AccessError, PROTECTED):
                    as_who(direct_cost).write({"amount_total": 1_000_000})
        self.assertEqual(self.commitment.approved_change_orders_amount, 0)

    # the administrator

    def test_administrator_sets_a_status_directly(self):
        """An administrator's import may carry statuses, and a document
        imported approved is created with its lines, then locked."""
        documents = self._documents()
        for kind in ("change_order", "direct_cost"):
            document = documents[kind][0].with_user(self.manager)
            document.write({"state": "approved"})
            self.assertEqual(document.state, "approved")
        cost = self._create_direct_cost(state="approved").with_user(self.manager)
        self.assertEqual((cost.state, cost.amount_total), ("approved", 900))
        with self.assertRaisesRegex(UserError, "is Approved and can no longer be changed"):
            cost.line_ids.amount = 1
        invoice = self.env["progress.billing.owner.invoice"].with_user(self.manager).create(
            {**self._create_values("owner_invoice"), "state": "under_review"}
        )
        self.assertEqual(invoice.state, "under_review")

    def test_administrator_cannot_change_or_delete_approved_documents(self):
        documents = self._documents()
        for kind in ("change_order", "direct_cost"):
            document, line = documents[kind]
            document.with_user(self.manager).action_approve()
            manager_document = document.with_user(self.manager)
            with self.subTest(kind=kind):
                with self.assertRaisesRegex(UserError, "is Approved and can no longer be changed"):
                    manager_document.date = "2020-01-01"
                with self.assertRaisesRegex(UserError, "is Approved and can no longer be changed"):
                    manager_document.unlink()
                with self.assertRaisesRegex(UserError, "is Approved and can no longer be changed"):
                    line.with_user(self.manager).unlink()

    # a user of another company

    def test_other_company_user_reaches_nothing(self):
        for kind, (document, line) in self._documents().items():
            for record in (document, line):
                with self.subTest(kind=kind, model=record._name):
                    other = record.with_user(self.user_b)
                    with self.assertRaises(AccessError):
                        other.read(["name"])
                    with self.assertRaises(AccessError):
                        other.write({"name": "Taken over"} if record == line else {self._normal_field(kind): "Taken over"})
                    with self.assertRaises(AccessError):
                        other.write({"state": "approved"} if record == document else {"sequence": 3})
                    with self.assertRaises(AccessError):
                        other.unlink()
            values = self._create_values(kind)
            with self.subTest(kind=kind, operation="create"), self.assertRaises(AccessError):
                self.env[document._name].with_user(self.user_b).create(values)

    # a portal user

    def test_portal_user_reaches_nothing(self):
        for kind, (document, line) in self._documents().items():
            for record in (document, line):
                with self.subTest(kind=kind, model=record._name):
                    portal_record = record.with_user(self.portal)
                    for operation in (
                        lambda: portal_record.read(["name"]),
                        lambda: portal_record.write({"name": "Taken over"}),
                        lambda: portal_record.write({"state": "approved"} if record == document else {"frozen_values": {}}),
                        lambda: portal_record.unlink(),
                    ):
                        with self.assertRaises(AccessError):
                            operation()
            values = self._create_values(kind)
            with self.subTest(kind=kind, operation="create"), self.assertRaises(AccessError):
                self.env[document._name].with_user(self.portal).create(values)
