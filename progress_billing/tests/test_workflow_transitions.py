# Copyright 2026 Progress Billing Developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

import re
from contextlib import closing
from pathlib import Path

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from odoo.addons.base.tests.common import DISABLED_MAIL_CONTEXT

from ..tools.trusted_write import trusted
from ..tools.workflow import MANAGER, PORTAL, SYSTEM, USER, markdown_table
from .common import ProgressBillingHttpCase
from .test_portal import PortalCase

ADDON = Path(__file__).parents[1]
# the README block generated from the transition tables, in this order
README_BEGIN = "<!-- workflow-transitions:begin -->"
README_END = "<!-- workflow-transitions:end -->"
README_DOCUMENTS = (
    ("progress.billing.sub.invoice", "Subcontractor invoices"),
    ("progress.billing.owner.invoice", "Owner invoices"),
    ("progress.billing.change.order", "Change orders"),
    ("progress.billing.direct.cost", "Direct costs"),
)
# which roles of the walk each row's ``who`` lets through; "system" is
# Progress Billing's own code (superuser environment)
ROLES_ALLOWED = {
    USER: {"user", "manager", "system"},
    PORTAL: {"user", "manager", "portal", "system"},
    MANAGER: {"manager", "system"},
    SYSTEM: {"system"},
}


def readme_transitions(env):
    """The README block the transition tables give, between its markers."""
    parts = [README_BEGIN]
    for model, title in README_DOCUMENTS:
        Model = env[model]
        labels = dict(Model._fields["state"].selection)
        parts += ["", f"**{title}**", "", markdown_table(Model._transitions, labels.__getitem__)]
    return "\n".join([*parts, "", README_END])


@tagged("post_install", "-at_install", "progress_billing")
class TestWorkflowTransitions(PortalCase, ProgressBillingHttpCase):
    """readme/CONFIGURE.md, "Workflow and locks": Each document's transition table is the
    whole of its workflow: from every status, every step as every role (a
    plain Progress Billing user, an administrator, the subcontractor on the
    portal for its invoices, Progress Billing itself) either moves the
    document as the table says or is refused with the exact error, and a
    direct write of the status moves it for administrators only. Each case
    runs in a savepoint rolled back after it."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.documents = {
            "progress.billing.sub.invoice": cls.invoice,
            "progress.billing.owner.invoice": cls._create_owner_invoice(amounts={cls.sov_concrete: (5_000, 0)}),
            "progress.billing.change.order": cls._create_change_order(
                cls.commitment, [{"name": "Extra footing", "amount": 2_000}], state="draft",
            ),
            "progress.billing.direct.cost": cls.env["progress.billing.direct.cost"].create({
                "project_id": cls.project.id,
                "line_ids": [Command.create({
                    "name": "Crane hire", "cost_code_id": cls.cost_code.id, "cost_type_id": cls.labor.id, "amount": 900,
                })],
            }),
        }
        cls._bill(cls.invoice, {cls.ssov_labor: (1_000, 0)})
        cls.role_users = {"user": cls.user, "manager": cls.manager, "portal": cls.portal_user}

    def _roles(self, document):
        """The roles walked on ``document``: the portal only on subcontractor invoices."""
        roles = ["user", "manager"]
        if document._name == "progress.billing.sub.invoice":
            roles.append("portal")
        return roles

    def _as(self, document, role):
        """``document`` as ``role`` sees it, without the chatter's tracking (not walked here)."""
        document = document.sudo() if role == "system" else document.with_user(self.role_users[role])
        return document.with_context(**DISABLED_MAIL_CONTEXT)

    def _in_state(self, document, state):
        """``document`` set to ``state`` as an import would (the superuser's direct write)."""
        trusted(document.sudo().with_context(**DISABLED_MAIL_CONTEXT)).write({"state": state})
        self.env.flush_all()
        document.invalidate_recordset()

    def _walk(self, document, cases):
        """From each status of ``document``: run each of ``cases`` (a
        function of the status) in a savepoint rolled back afterwards."""
        for state, _label in document._fields["state"].selection:
            with closing(self.env.cr.savepoint()):
                self._in_state(document, state)
                for case in cases:
                    with closing(self.env.cr.savepoint()):
                        case(state)

    def test_every_step_as_every_role(self):
        for model, document in self.documents.items():
            cases = []
            for transition in document._transitions:
                for role in [*self._roles(document), *(["system"] if transition.who == SYSTEM else [])]:
                    def case(state, transition=transition, role=role, document=document, model=model):
                        with self.subTest(model=model, step=transition.action, role=role, state=state):
                            self._check_step(document, transition, role, state)
                    cases.append(case)
            self._walk(document, cases)

    def _check_step(self, document, transition, role, state):
        label = document._state_label
        performed = getattr(self._as(document, role), transition.action)
        if role not in ROLES_ALLOWED[transition.who]:
            if transition.who == SYSTEM:
                expected = rf"can only be set to {label(transition.target)} by Progress Billing itself"
            else:
                expected = (
                    rf"Only a Progress Billing manager can set {re.escape(document.display_name)} "
                    rf"to {label(transition.target)}\."
                )
            with self.assertRaisesRegex(UserError, expected):
                performed()
        elif state not in transition.sources:
            with self.assertRaisesRegex(
                UserError, rf"cannot go from {re.escape(label(state))} to {re.escape(label(transition.target))}\.",
            ):
                performed()
        else:
            performed()
            document.invalidate_recordset()
            self.assertEqual(document.state, transition.target)
            return
        document.invalidate_recordset()
        self.assertEqual(document.state, state, "a refused step leaves the status as it was")

    def test_every_status_write_as_every_role(self):
        """Writing the status field directly (form, import, JSON-RPC):
        administrators may set any status, nobody else any."""
        for model, document in self.documents.items():
            cases = []
            for role in self._roles(document):
                for target, _label in document._fields["state"].selection:
                    def case(state, role=role, target=target, document=document, model=model):
                        if target != state:
                            with self.subTest(model=model, role=role, state=state, target=target):
                                self._check_status_write(document, role, target)
                    cases.append(case)
            self._walk(document, cases)

    def _check_status_write(self, document, role, target):
        written = self._as(document, role)
        if role == "manager":
            written.write({"state": target})
            document.invalidate_recordset()
            self.assertEqual(document.state, target)
        elif role == "portal":
            # the portal user may not write the field at all (Odoo's field access)
            with self.assertRaises(AccessError):
                written.write({"state": target})
        else:
            with self.assertRaisesRegex(
                AccessError, rf"cannot be set to {re.escape(document._state_label(target))} by editing its status",
            ):
                written.write({"state": target})

    def test_steps_over_json_rpc(self):
        """The same over HTTP, as the web client calls them: a plain user
        submits, is refused a reviewer's step and a direct status write."""
        self.login(self.user)
        for model, document in self.documents.items():
            with self.subTest(model=model):
                reviewing = next(transition for transition in document._transitions if transition.who == MANAGER)
                self._in_state(document, reviewing.sources[0])
                error = self._call_kw(model, reviewing.action, [document.ids])
                self.assertRefused(error, "UserError", "Only a Progress Billing manager can set")
                error = self._call_kw(model, "write", [document.ids, {"state": reviewing.target}])
                self.assertRefused(error, "AccessError", "by editing its status. Use the workflow buttons")
                document.invalidate_recordset()
                self.assertEqual(document.state, reviewing.sources[0])
                self._in_state(document, "draft")
                self.assertFalse(self._call_kw(model, "action_submit", [document.ids]))
                document.invalidate_recordset()
                self.assertNotEqual(document.state, "draft")

    def _refused_without_savepoint(self, exception, call):
        """``call()`` raises ``exception``, caught without the savepoint of
        ``assertRaises``: whatever it wrote before raising stays, flushed,
        for the test to find."""
        refused = False
        try:
            call()
        except exception:
            refused = True
        self.assertTrue(refused, "the call should have been refused")
        self.env.flush_all()
        self.env.invalidate_all()

    def test_refused_status_write_leaves_no_effect(self):
        """Checks before effects: a plain user's direct write of Under Review
        is refused before the claim is frozen, the claim received or anything
        posted. The error is caught without a savepoint, so that nothing is
        rolled back that an effect could have left behind."""
        invoice = self.invoice
        messages, activities = len(invoice.message_ids), len(invoice.activity_ids)
        self._refused_without_savepoint(
            AccessError, lambda: invoice.with_user(self.user).write({"state": "under_review"})
        )
        self.assertRecordValues(invoice, [{
            "state": "draft", "claim_frozen": False, "claimed_amount_due": 0.0, "claim_received_date": False,
        }])
        self.assertFalse(invoice.line_ids.filtered("claimed_work_this_period"))
        self.assertEqual((len(invoice.message_ids), len(invoice.activity_ids)), (messages, activities))

    def test_refused_submit_leaves_no_effect(self):
        """A submit refused (the invoice is already Under Review) leaves its
        rejected line rejected, with its reason, and the claim as it was."""
        invoice = self.invoice
        invoice.action_submit()
        line = self._line_of(invoice, self.ssov_labor)
        trusted(line).write({"review_state": "rejected", "rejection_reason": "No delivery note"})
        claimed = invoice.claimed_amount_due
        self._refused_without_savepoint(UserError, invoice.with_user(self.user).action_submit)
        self.assertRecordValues(line, [{"review_state": "rejected", "rejection_reason": "No delivery note"}])
        self.assertEqual(invoice.claimed_amount_due, claimed)

    def test_readme_table(self):
        """The README's table of the workflow is generated from the
        transition tables: when a table changes, paste the block this test
        prints into the README."""
        expected = readme_transitions(self.env)
        texts = [ADDON.parent / "README.md", *sorted((ADDON / "readme").glob("*.md"))]
        blocks = [
            text[text.index(README_BEGIN):text.index(README_END) + len(README_END)]
            for text in (path.read_text() for path in texts if path.exists())
            if README_BEGIN in text
        ]
        self.assertEqual(len(blocks), 1, "one README block holds the workflow tables")
        self.assertEqual(blocks[0], expected, f"the README's workflow tables should read:\n\n{expected}\n")
