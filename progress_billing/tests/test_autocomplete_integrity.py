# Copyright 2026 Progress Billing Developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

"""readme/CONFIGURE.md, "Auto-completion": auto-completion writes what its preview showed or nothing, its
source links are written by auto-completion only and show nothing of a
source the user may not read, and its SQL keeps to the companies of the
owner invoice and of the user."""

import re
from contextlib import contextmanager

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import HttpCase, tagged
from odoo.tools import SQL

from ..models.progress_billing_application_mixin import SHARED_G703_FIGURES
from ..tools.trusted_write import _KEY, trusted
from .common import USER_GROUP
from .common_autocomplete import AutocompleteCase, AutocompleteInvoiceCase

LINK_MODEL = "progress.billing.owner.invoice.source"
REFUSED = (
    "You are not allowed to %s 'Auto-Completed Owner Invoice Amount' (progress.billing.owner.invoice.source) records."
)
NOT_BY_HAND = "Auto-completed amounts keep the link to their source as auto-completion wrote it"


class AutocompletedCase(AutocompleteInvoiceCase):
    def _link_values(self):
        """A link a user would forge by hand onto ``finishes_line``."""
        return {
            "owner_line_id": self.finishes_line.id, "period_id": self.period.id, "name": "Forged",
            "sub_invoice_line_id": self.sub_invoice.line_ids[0].id, "work_this_period": 1,
        }


@tagged("post_install", "-at_install", "progress_billing")
class TestAutocompleteApplyChecks(AutocompletedCase):
    """Apply writes exactly what the preview showed, or nothing, naming the
    lines that changed in between."""

    def assertRefused(self, wizard, lines):
        names = ", ".join(f"“{line.name}”" for line in lines)
        with self.assertRaisesRegex(
            UserError,
            rf"The sources or amounts of {self.owner_invoice.display_name} "
            rf"changed while you were reviewing them, on lines {names}: nothing was written\.",
        ):
            wizard.action_apply()

    def test_amount_typed_by_hand_after_the_preview(self):
        wizard = self._preview()
        self.concrete_line.work_this_period = 999
        self.assertRefused(wizard, self.concrete_line)
        self.assertLineAmounts(self.owner_invoice, {self.sov_concrete: (999, 0)})
        self.assertFalse(self.owner_invoice.line_ids.autocomplete_source_ids)

    def test_materials_typed_by_hand_as_plain_user(self):
        wizard = self._preview(user=self.user)
        self._line_of(self.owner_invoice.with_user(self.user), self.sov_finishes).materials_stored = 5
        self.assertRefused(wizard, self.finishes_line)
        self.assertLineAmounts(self.owner_invoice, {self.sov_finishes: (0, 5)})

    def test_edit_of_an_unticked_line_is_kept(self):
        wizard = self._preview()
        self._tick(wizard, self.concrete_line, apply=False)
        self.concrete_line.work_this_period = 999
        wizard.action_apply()
        self.assertLineAmounts(self.owner_invoice, {self.sov_concrete: (999, 0), self.sov_finishes: (500, 0)})

    def test_source_changed_after_the_preview(self):
        wizard = self._preview()
        with self._revising(self.direct_cost):
            self.direct_cost.line_ids.amount = 10
        self.assertRefused(wizard, self.finishes_line)
        self.assertLineAmounts(self.owner_invoice, {})

    def test_auto_completed_by_someone_else_after_the_preview(self):
        """Same amounts, new links: still refused, the preview no longer describes the lines."""
        wizard = self._preview()
        self.owner_invoice._autocomplete()
        links = self.owner_invoice.line_ids.autocomplete_source_ids
        self.assertRefused(wizard, self.concrete_line | self.finishes_line)
        self.assertEqual(self.owner_invoice.line_ids.autocomplete_source_ids, links)

    def test_auto_completed_source_revised_after_the_preview(self):
        self.owner_invoice._autocomplete()
        with self._revising(self.direct_cost):
            self.direct_cost.line_ids.amount = 650
        wizard = self._preview()
        self.finishes_line.autocomplete_source_ids.invalidate_recordset()
        with self._revising(self.direct_cost):
            self.direct_cost.line_ids.amount = 700
        self.assertRefused(wizard, self.finishes_line)
        self.assertLineAmounts(self.owner_invoice, {self.sov_concrete: (1000, 200), self.sov_finishes: (500, 0)})

    def test_preview_rewritten_by_the_user(self):
        """The previewed lines come back from the browser in one json value,
        which a user may write over JSON-RPC: Apply compares them with what
        auto-completion now proposes, as it does the sources."""
        rewrites = {
            "amount changed": lambda row: dict(row, new_work=1),
            "amount not a number": lambda row: dict(row, new_work="1000"),
            "tick not a boolean": lambda row: dict(row, apply="yes"),
            "row removed": lambda row: None,
        }
        for rewrite_name, rewrite in rewrites.items():
            with self.subTest(rewrite_name):
                wizard = self._preview(user=self.user)
                rows = [rewrite(row) if row["owner_line_id"] == self.concrete_line.id else row
                        for row in wizard.preview_lines]
                wizard.write({"preview_lines": [row for row in rows if row is not None]})
                self.assertRefused(wizard, self.concrete_line)
                self.assertLineAmounts(self.owner_invoice, {})

    def test_preview_rows_shared_then_written_whole(self):
        """The previewed rows are read without a copy (tools/shared_json_field.py): a tick writes a new value,
        which Apply reads, and the value read before is left as it was."""
        wizard = self._preview(user=self.user)
        rows = wizard.preview_lines
        self.assertIs(wizard.preview_lines, rows)
        self._tick(wizard, self.concrete_line, apply=False)
        self.assertTrue(all(row["apply"] for row in rows))
        wizard.action_apply()
        self.assertLineAmounts(self.owner_invoice, {self.sov_finishes: (500, 0)})

    def test_unchanged_preview_applies(self):
        wizard = self._preview(user=self.user)
        wizard.action_apply()
        self.assertLineAmounts(self.owner_invoice, {self.sov_concrete: (1000, 200), self.sov_finishes: (500, 0)})


    def test_over_billing_refused_for_a_plain_user(self):
        """The over-billing check holds for auto-completion, which works out
        each line's figures once for the check and the G702 figures: a plain
        user's Apply billing a line above its scheduled value writes nothing,
        and the figures are not kept past it."""
        self._create_direct_cost([(self.cost_code_paint, self.labor, 60_000)])
        wizard = self._preview(user=self.user)
        with self.assertRaisesRegex(ValidationError, re.escape(
            f"Line “{self.finishes_line.name}” of {self.owner_invoice.display_name} bills $\xa060,500.00 to date, "
            "above its scheduled value of $\xa050,000.00.\nOnly a Progress Billing manager can bill above the "
            "scheduled value."
        )):
            wizard.action_apply()
        self.assertNotIn(SHARED_G703_FIGURES, self.env.cr.cache)
        self.assertLineAmounts(self.owner_invoice, {})

    def test_applied_figures_are_those_of_the_lines(self):
        """The G702 figures stored at Apply are those its lines show when
        worked out afresh, after the figures shared within Apply are gone."""
        self._preview(user=self.user).action_apply()
        self.assertNotIn(SHARED_G703_FIGURES, self.env.cr.cache)
        invoice = self.owner_invoice
        invoice.invalidate_recordset()
        invoice.line_ids.invalidate_recordset()
        lines = invoice.line_ids
        self.assertEqual(invoice.total_completed, sum(lines.mapped("total_completed")))
        self.assertEqual(invoice.total_retainage, sum(lines.mapped("retainage")))
        self.assertEqual(invoice.total_completed, 1_000 + 200 + 500)


@tagged("post_install", "-at_install", "progress_billing")
class TestAutocompleteSourceLinkAccess(AutocompletedCase):
    """Users and administrators read source links; nobody creates, writes or
    deletes them through the ORM, not even the superuser unless the addon's
    own code marks the call as trusted."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.owner_invoice._autocomplete()
        cls.link = cls.concrete_line.autocomplete_source_ids

    def test_user_and_administrator_read_them(self):
        for user in (self.user, self.manager):
            link = self.link.with_user(user)
            self.assertEqual(link.display_name, f"{self.sub_invoice.name} · Concrete labor")
            self.assertEqual((link.sub_invoice_id, link.work_this_period), (self.sub_invoice, 1000))

    def test_user_and_administrator_never_write_them(self):
        for user in (self.user, self.manager):
            with self.subTest(user=user.login):
                Link = self.env[LINK_MODEL].with_user(user)
                with self.assertRaisesRegex(AccessError, re.escape(REFUSED % "create")):
                    Link.create(self._link_values())
                with self.assertRaisesRegex(AccessError, re.escape(REFUSED % "modify")):
                    self.link.with_user(user).write({"work_this_period": 1})
                with self.assertRaisesRegex(AccessError, re.escape(REFUSED % "delete")):
                    self.link.with_user(user).unlink()
                with self.assertRaisesRegex(AccessError, re.escape(REFUSED % "create")):
                    self.finishes_line.with_user(user).write(
                        {"autocomplete_source_ids": [Command.create(self._link_values())]}
                    )
        self.assertEqual(
            (self.link.work_this_period, self.finishes_line.autocomplete_source_ids.work_this_period), (1000, 500)
        )

    def test_superuser_only_through_trusted_code(self):
        for forged in ({_KEY: True}, {}):
            Link = self.env[LINK_MODEL].with_context(**forged)
            with self.assertRaisesRegex(AccessError, NOT_BY_HAND):
                Link.create(self._link_values())
            with self.assertRaisesRegex(AccessError, NOT_BY_HAND):
                self.link.with_context(**forged).write({"work_this_period": 1})
            with self.assertRaisesRegex(AccessError, NOT_BY_HAND):
                self.link.with_context(**forged).unlink()
        trusted(self.link).write({"work_this_period": 1})
        self.assertEqual(self.link.work_this_period, 1)

    def test_only_the_owner_line_has_a_foreign_key(self):
        """Auto-completion inserts thousands of links at once, each foreign
        key checked row by row: the source lines and periods a link names
        are snapshots (SnapshotMany2one), only the owner line deletes its
        links with it. The source lines stay indexed for ``_linked_condition``."""
        self.env.cr.execute("""
            SELECT attribute.attname, constraint_.confdeltype
              FROM pg_constraint constraint_
              JOIN pg_attribute attribute
                ON attribute.attrelid = constraint_.conrelid AND attribute.attnum = ANY(constraint_.conkey)
             WHERE constraint_.conrelid = 'progress_billing_owner_invoice_source'::regclass
               AND constraint_.contype = 'f'
        """)
        self.assertEqual(self.env.cr.fetchall(), [("owner_line_id", "c")])
        self.env.cr.execute("""
            SELECT indexdef FROM pg_indexes
             WHERE tablename = 'progress_billing_owner_invoice_source' AND indexdef LIKE '%WHERE%'
             ORDER BY indexname
        """)
        self.assertEqual(
            [indexdef.split(" WHERE ")[1] for [indexdef] in self.env.cr.fetchall()],
            ["(direct_cost_line_id IS NOT NULL)", "(sub_invoice_line_id IS NOT NULL)"],
        )

    def test_source_fields_read_by_the_addon_only(self):
        """The stored label and source line would name a source the user may
        not read: users read display_name and the source documents instead."""
        for field in ("name", "sub_invoice_line_id", "direct_cost_line_id"):
            with self.assertRaisesRegex(AccessError, f'You do not have enough rights to access the field "{field}"'):
                self.link.with_user(self.manager).read([field])


class CompaniesCase(AutocompleteCase):
    """A project without company shared by company A (the test company) and
    company B, each with its prime contract, commitment and approved
    subcontractor invoice in the shared billing period, and a direct cost of
    the project (shared as the project). ``user_ab`` may use both companies."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_b = cls._create_company("Other Builders")
        cls.shared_project = cls.env["project.project"].create({"name": "Shared yard", "company_id": False})
        cls.shared_period = cls._create_period(cls.shared_project, cls.period.date_start, cls.period.date_end)
        concrete = {
            "name": "Concrete",
            "cost_code_id": cls.cost_code.id,
            "cost_type_id": cls.labor.id,
            "price_unit": 100_000,
        }
        cls.prime_a = cls._create_prime_contract(cls.shared_project, [concrete])
        cls.commitment_a = cls._create_commitment(cls.shared_project, [concrete])
        with cls._in_company(cls.company_b):
            cls.prime_b = cls._create_prime_contract(cls.shared_project, [concrete])
            cls.commitment_b = cls._create_commitment(cls.shared_project, [concrete])
        cls.sub_invoice_a = cls._create_billed_sub_invoice(
            cls.commitment_a, {cls.commitment_a.order_line: (1000, 0)}, period=cls.shared_period
        )
        cls.sub_invoice_b = cls._create_billed_sub_invoice(
            cls.commitment_b, {cls.commitment_b.order_line: (7000, 0)}, period=cls.shared_period
        )
        cls.shared_direct_cost = cls._create_direct_cost([(cls.cost_code, cls.labor, 500)], project=cls.shared_project)
        cls.owner_invoice_a = cls._create_owner_invoice(cls.shared_period, cls.prime_a)
        cls.owner_invoice_b = cls._create_owner_invoice(cls.shared_period, cls.prime_b)
        cls.user_ab = cls._create_user("pb_user_ab", USER_GROUP)
        cls.user_ab.company_ids = [Command.link(cls.company_b.id)]

    @classmethod
    @contextmanager
    def _in_company(cls, company):
        """The builders create records in ``company``."""
        env = cls.env
        cls.env = env(context={**env.context, "allowed_company_ids": company.ids})
        try:
            yield
        finally:
            cls.env = env

    def as_user_ab(self, records, *companies):
        """``records`` as ``user_ab`` with ``companies`` active."""
        return records.with_user(self.user_ab).with_context(allowed_company_ids=[company.id for company in companies])


@tagged("post_install", "-at_install", "progress_billing")
class TestAutocompleteCompanies(CompaniesCase):
    """Every SQL path of auto-completion keeps to the owner invoice's company
    and to the companies the user has active: amounts of two companies sharing
    a project never mix."""

    def test_each_company_bills_its_own_costs_with_both_companies_active(self):
        """The direct cost shared by both companies is billed once, by the invoice auto-completed first."""
        for invoice, prime, billed in (
            (self.owner_invoice_a, self.prime_a, 1000 + 500),
            (self.owner_invoice_b, self.prime_b, 7000),
        ):
            with self.subTest(company=invoice.company_id.name):
                self.as_user_ab(invoice, self.company_a, self.company_b)._autocomplete()
                self.assertEqual(self._line_of(invoice, prime.order_line).work_this_period, billed)
                sources = invoice.line_ids.autocomplete_source_ids
                self.assertEqual(
                    sources.sub_invoice_id.company_id | sources.direct_cost_id.company_id, invoice.company_id
                )

    def test_invoice_of_a_company_not_active_refused_before_any_lock(self):
        """Auto-completing an owner invoice of a company the user does not have active is refused as a write of
        that invoice, before its row or its project's row is locked or written."""
        with self.assertRaisesRegex(AccessError, r"doesn't have 'write' access to:\n- Owner Invoice"):
            self.as_user_ab(self.owner_invoice_b, self.company_a)._autocomplete()
        self.assertLineAmounts(self.owner_invoice_b, {})

    def test_one_company_active(self):
        self.as_user_ab(self.owner_invoice_a, self.company_a)._autocomplete()
        self.assertEqual(self._line_of(self.owner_invoice_a, self.prime_a.order_line).work_this_period, 1500)

    def test_preview_of_the_sources(self):
        wizard = self._preview(self.as_user_ab(self.owner_invoice_a, self.company_a, self.company_b))
        [row] = wizard.preview_lines
        self.assertEqual(row["new_work"], 1500)
        self.assertNotIn(self.sub_invoice_b.name, row["source_names"])

    def test_targets(self):
        """The invoice's lines are targets only for a user who has their company active."""
        self.assertEqual(len(self.as_user_ab(self.owner_invoice_a, self.company_a)._autocomplete_targets()), 1)
        self.assertEqual(self.as_user_ab(self.owner_invoice_a, self.company_b)._autocomplete_targets(), [])
        lines = self.as_user_ab(self.owner_invoice_a.line_ids, self.company_b)
        self.assertEqual(lines._autocomplete_fingerprints(), {})
        with self.assertRaisesRegex(AccessError, "Owner Invoice Line"):
            lines._write_autocompleted_amounts({line: (1, 1) for line in lines})

    def _preview(self, invoice):
        action = invoice.action_autocomplete()
        return invoice.env[action["res_model"]].browse(action["res_id"])

    @property
    def company_a(self):
        return self.company


@tagged("post_install", "-at_install", "progress_billing")
class TestAutocompleteRestrictedSource(CompaniesCase):
    """A link to a source the user may not read (left by an older version that
    mixed companies, or whose source changed company) shows a placeholder:
    neither the source's name nor what it says now."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.owner_line_a = cls.owner_invoice_a.line_ids
        Link = cls.env[LINK_MODEL].sudo()
        Link._insert_links([(cls.owner_line_a, source) for source in Link._current_sources(
            "sub_invoice_line_id", SQL("line.id = %s", cls.sub_invoice_b.line_ids.id),
        )])
        cls.link = cls.owner_line_a.autocomplete_source_ids
        cls.sub_invoice_b.action_void()
        cls.sub_invoice_b.action_reset_to_draft()
        cls.sub_invoice_b.line_ids.work_this_period = 7300
        cls.sub_invoice_b.action_submit()
        cls.sub_invoice_b.action_approve()

    def test_source_in_a_company_not_active(self):
        link = self.as_user_ab(self.link, self.company)
        self.assertEqual(link.display_name, "Source you may not read")
        self.assertEqual(link.stale_reason, "you may not read the source")
        self.assertFalse(link.sub_invoice_id)
        values = str(link.read(["display_name", "stale_reason", "sub_invoice_id", "direct_cost_id"]))
        self.assertNotIn(self.sub_invoice_b.name, values)
        self.assertNotIn("7,300", values)
        with self.assertRaisesRegex(UserError, "You may not read the source of this auto-completed amount."):
            link.action_open_source()

    def test_source_in_an_active_company(self):
        link = self.as_user_ab(self.link, self.company, self.company_b)
        self.assertEqual(link.display_name, f"{self.sub_invoice_b.name} · Concrete")
        self.assertRegex(link.stale_reason, r"^Work Completed This Period: .*7,000\.00.* → .*7,300\.00")
        self.assertEqual(link.sub_invoice_id, self.sub_invoice_b)

    def test_preview_drops_it_without_naming_it(self):
        invoice = self.as_user_ab(self.owner_invoice_a, self.company)
        action = invoice.action_autocomplete()
        wizard = invoice.env[action["res_model"]].browse(action["res_id"])
        [row] = wizard.preview_lines
        self.assertEqual(row["new_work"], 1500)
        self.assertIn("Source you may not read: no longer copied (you may not read the source)", row["changes"])
        self.assertNotIn(self.sub_invoice_b.name, row["changes"])
        wizard.action_apply()
        self.assertNotIn(
            self.sub_invoice_b.line_ids, self.owner_line_a.autocomplete_source_ids.sudo().sub_invoice_line_id
        )


@tagged("post_install", "-at_install", "progress_billing")
class TestAutocompleteSourceLinkRpc(AutocompletedCase, HttpCase):
    """The same refusals over JSON-RPC, as the web client would send them."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.owner_invoice._autocomplete()
        cls.link = cls.concrete_line.autocomplete_source_ids

    def _call_kw(self, model, method, args, kwargs=None):
        """The error of ``/web/dataset/call_kw`` as the plain user (its data: name, message)."""
        response = self.url_open(f"/web/dataset/call_kw/{model}/{method}", json={
            "jsonrpc": "2.0", "method": "call", "id": 1,
            "params": {"model": model, "method": method, "args": args, "kwargs": kwargs or {}},
        })
        return response.json().get("error", {}).get("data", {})

    def assertRefused(self, error, operation):
        self.assertEqual(error.get("name"), "odoo.exceptions.AccessError")
        self.assertTrue(error["message"].startswith(REFUSED % operation), error["message"])

    def test_plain_user_over_json_rpc(self):
        self.authenticate(self.user.login, self.user.login)
        forged = {"context": {_KEY: True}}
        self.assertRefused(self._call_kw(LINK_MODEL, "create", [self._link_values()], forged), "create")
        self.assertRefused(
            self._call_kw(LINK_MODEL, "write", [self.link.ids, {"work_this_period": 1}], forged), "modify"
        )
        self.assertRefused(self._call_kw(LINK_MODEL, "unlink", [self.link.ids], forged), "delete")
        self.assertRefused(self._call_kw(
            "progress.billing.owner.invoice.line", "write",
            [self.finishes_line.ids, {"autocomplete_source_ids": [Command.create(self._link_values())]}],
        ), "create")
        error = self._call_kw(LINK_MODEL, "read", [self.link.ids, ["name"]])
        self.assertEqual(error.get("name"), "odoo.exceptions.AccessError")
        self.assertIn('You do not have enough rights to access the field "name"', error["message"])
        self.assertEqual(self.link.work_this_period, 1000)
        self.assertEqual(len(self.owner_invoice.line_ids.autocomplete_source_ids), 2)

    def test_administrator_over_json_rpc(self):
        self.authenticate(self.manager.login, self.manager.login)
        self.assertRefused(self._call_kw(LINK_MODEL, "write", [self.link.ids, {"work_this_period": 1}]), "modify")
        self.assertRefused(self._call_kw(LINK_MODEL, "unlink", [self.link.ids]), "delete")
        self.assertEqual(self.link.work_this_period, 1000)
