# Copyright 2026 Progress Billing Developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from datetime import timedelta

from lxml import etree

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import USER_GROUP
from .common_autocomplete import AutocompleteCase, AutocompleteInvoiceCase
from .test_backup_security import hide_invoices_from


@tagged("post_install", "-at_install", "progress_billing")
class TestAutocompletePrompt(AutocompleteCase):
    """The question asked after creating an owner invoice: Cancel, No Thanks, Yes
    (readme/USAGE.md, "Auto-completing owner invoices")."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._create_billed_sub_invoice(cls.commitment, {cls.ssov_labor: (1000, 200)})
        cls.owner_invoice = cls._create_owner_invoice()

    def _prompt(self):
        action = self.owner_invoice.action_autocomplete_prompt()
        return self.env[action["res_model"]].browse(action["res_id"])

    def assertUntouched(self):
        self.assertLineAmounts(self.owner_invoice, {})
        self.assertFalse(self.owner_invoice.line_ids.autocomplete_source_ids)

    def test_new_invoice_awaits_an_answer(self):
        self.assertTrue(self.owner_invoice.autocomplete_prompt_pending)
        self.assertEqual(self._prompt().step, "prompt")

    def test_exactly_three_choices(self):
        arch = self.env["progress.billing.owner.invoice.autocomplete"].get_views([(False, "form")])["views"]["form"][
            "arch"
        ]
        buttons = [
            button.get("string") for button in etree.fromstring(arch).iterfind(".//footer/button")
            if button.get("invisible") in (None, "step != 'prompt'")
        ]
        self.assertEqual(buttons, ["Yes", "No Thanks", "Cancel"])

    def test_cancel_changes_nothing(self):
        """Cancel only closes the dialog (special="cancel"): the question stays open."""
        self._prompt()
        self.assertUntouched()
        self.assertTrue(self.owner_invoice.autocomplete_prompt_pending)

    def test_no_thanks_keeps_the_invoice_as_entered(self):
        self.assertEqual(self._prompt().action_no_thanks(), {"type": "ir.actions.act_window_close"})
        self.assertUntouched()
        self.assertFalse(self.owner_invoice.autocomplete_prompt_pending)

    def test_yes_previews_then_applies(self):
        wizard = self._prompt()
        wizard.action_yes()
        self.assertEqual(wizard.step, "preview")
        [row] = wizard.preview_lines
        concrete_line = self._line_of(self.owner_invoice, self.sov_concrete)
        self.assertEqual({name: row[name] for name in (
            "owner_line_id", "name", "current_work", "new_work", "current_materials", "new_materials", "is_manual",
            "is_stale", "apply",
        )}, {
            "owner_line_id": concrete_line.id, "name": concrete_line.name,
            "current_work": 0, "new_work": 1000, "current_materials": 0, "new_materials": 200,
            "is_manual": False, "is_stale": False, "apply": True,
        })
        self.assertIn(self.env["progress.billing.sub.invoice"].search([], limit=1).name, row["source_names"])
        self.assertEqual((wizard.new_work_total, wizard.new_materials_total), (1000, 200))
        self.assertUntouched()
        wizard.action_apply()
        self.assertLineAmounts(self.owner_invoice, {self.sov_concrete: (1000, 200)})
        self.assertFalse(self.owner_invoice.autocomplete_prompt_pending)
        self.assertIn("1 lines updated", self.owner_invoice.message_ids[0].body)

    def test_available_later_on_a_draft(self):
        """Procore cannot auto-complete an invoice after its creation; we can."""
        self._prompt().action_no_thanks()
        action = self.owner_invoice.action_autocomplete()
        wizard = self.env[action["res_model"]].browse(action["res_id"])
        self.assertEqual(wizard.step, "preview")
        wizard.action_apply()
        self.assertLineAmounts(self.owner_invoice, {self.sov_concrete: (1000, 200)})

    def test_only_drafts(self):
        self.owner_invoice.state = "under_review"
        with self.assertRaisesRegex(UserError, "only a draft owner invoice can be auto-completed"):
            self.owner_invoice.action_autocomplete()

    def test_plain_user(self):
        owner_invoice = self.owner_invoice.with_user(self.user)
        action = owner_invoice.action_autocomplete_prompt()
        wizard = owner_invoice.env[action["res_model"]].browse(action["res_id"])
        wizard.action_yes()
        wizard.action_apply()
        self.assertLineAmounts(self.owner_invoice, {self.sov_concrete: (1000, 200)})


@tagged("post_install", "-at_install", "progress_billing")
class TestAutocompleteRevisions(AutocompleteInvoiceCase):
    """Manual amounts, re-runs, stale flags and drill-down (readme/USAGE.md, "Auto-completing owner invoices")."""

    def test_manual_amounts_are_shown_and_can_be_kept(self):
        self.concrete_line.work_this_period = 999
        wizard = self._preview()
        self.assertTrue(self._preview_line(wizard, self.concrete_line)["is_manual"])
        self.assertFalse(self._preview_line(wizard, self.finishes_line)["is_manual"])
        self.assertEqual(wizard.manual_line_count, 1)
        self._tick(wizard, self.concrete_line, apply=False)
        self.assertEqual(wizard.manual_line_count, 0)
        self.assertEqual(wizard.new_work_total, 999 + 500)
        wizard.action_apply()
        self.assertLineAmounts(self.owner_invoice, {self.sov_concrete: (999, 0), self.sov_finishes: (500, 0)})
        self.assertFalse(self.concrete_line.autocomplete_source_ids)

    def test_manual_amounts_replaced_once_confirmed(self):
        self.concrete_line.work_this_period = 999
        self._preview().action_apply()
        self.assertLineAmounts(self.owner_invoice, {self.sov_concrete: (1000, 200), self.sov_finishes: (500, 0)})

    def test_edit_after_auto_completion_counts_as_manual(self):
        self.owner_invoice._autocomplete()
        self.assertFalse(self.concrete_line._has_manual_amounts())
        self.concrete_line.work_this_period = 1100
        self.assertTrue(self.concrete_line._has_manual_amounts())

    def test_drill_down_to_the_sources(self):
        self.owner_invoice._autocomplete()
        action = self.concrete_line.action_view_autocomplete_sources()
        links = self.env[action["res_model"]].search(action["domain"])
        self.assertEqual(links.sub_invoice_line_id, self.sub_invoice.line_ids[0])
        self.assertEqual((links.work_this_period, links.materials_stored), (1000, 200))
        self.assertEqual(links.action_open_source()["res_id"], self.sub_invoice.id)
        finishes_link = self.finishes_line.autocomplete_source_ids
        self.assertEqual(finishes_link.direct_cost_line_id, self.direct_cost.line_ids)
        self.assertEqual(finishes_link.action_open_source()["res_model"], "progress.billing.direct.cost")
        self.direct_cost.action_reset_to_draft()
        self.direct_cost.unlink()
        with self.assertRaisesRegex(UserError, "was deleted"):
            finishes_link.action_open_source()

    def test_rerun_without_changes_changes_nothing(self):
        self.owner_invoice._autocomplete()
        wizard = self._preview()
        self.assertFalse(wizard.preview_lines)
        self.assertFalse(self.owner_invoice.autocomplete_stale_count)

    def test_direct_cost_amount_revised(self):
        self.owner_invoice._autocomplete()
        with self._revising(self.direct_cost):
            self.direct_cost.line_ids.amount = 650
        self.assertTrue(self.finishes_line.autocomplete_stale)
        self.assertFalse(self.concrete_line.autocomplete_stale)
        self.assertEqual(self.owner_invoice.autocomplete_stale_count, 1)
        self.assertRegex(self.finishes_line.autocomplete_source_ids.stale_reason,
                         r"^Work Completed This Period: .*500\.00.* → .*650\.00")
        wizard = self._preview()
        preview_line = self._preview_line(wizard, self.finishes_line)
        self.assertEqual(wizard.preview_lines, [preview_line])
        self.assertEqual((preview_line["current_work"], preview_line["new_work"]), (500, 650))
        self.assertTrue(preview_line["is_stale"])
        self.assertRegex(
            preview_line["changes"],
            rf"^{self.direct_cost.display_name} · .*: Work Completed This Period: .*500\.00.* → .*650\.00",
        )
        self.assertLineAmounts(self.owner_invoice, {self.sov_concrete: (1000, 200), self.sov_finishes: (500, 0)})
        wizard.action_apply()
        self.assertLineAmounts(self.owner_invoice, {self.sov_concrete: (1000, 200), self.sov_finishes: (650, 0)})
        self.assertFalse(self.finishes_line.autocomplete_stale)

    def test_direct_cost_moved_out_of_the_period(self):
        self.owner_invoice._autocomplete()
        with self._revising(self.direct_cost):
            self.direct_cost.date_received = self.period.date_end + timedelta(days=1)
        self.assertTrue(self.finishes_line.autocomplete_stale)
        wizard = self._preview()
        preview_line = self._preview_line(wizard, self.finishes_line)
        self.assertEqual(preview_line["new_work"], 0)
        self.assertIn("no longer copied (Date Received When Copied:", preview_line["changes"])
        wizard.action_apply()
        self.assertLineAmounts(self.owner_invoice, {self.sov_concrete: (1000, 200)})
        self.assertFalse(self.finishes_line.autocomplete_source_ids)

    def test_direct_cost_status_revised(self):
        self.owner_invoice._autocomplete()
        self.direct_cost.action_request_revision()
        self.assertEqual(self.finishes_line.autocomplete_source_ids.stale_reason,
                         "Source Status When Copied: Approved → Revise and Resubmit")

    def assertSourceDeleted(self, owner_line, name):
        """The one link of ``owner_line`` lost its source line: stale in the
        database, saying so to a plain user, keeping the copied ``name``,
        opening nothing, and shown as a change by a new preview."""
        link = owner_line.autocomplete_source_ids
        self.env.flush_all()
        self.env.cr.execute("SELECT is_stale FROM progress_billing_owner_invoice_source WHERE id = %s", [link.id])
        self.assertEqual(self.env.cr.fetchall(), [(True,)])
        self.assertTrue(owner_line.autocomplete_stale)
        link = link.with_user(self.user)
        self.assertRecordValues(link, [{
            "display_name": name, "stale_reason": "the source line was deleted",
            "sub_invoice_id": False, "direct_cost_id": False,
        }])
        with self.assertRaisesRegex(UserError, f"^The source of “{name}” was deleted\\.$"):
            link.action_open_source()
        self.assertIn(
            f"{name}: no longer copied (the source line was deleted)",
            self._preview_line(self._preview(user=self.user), owner_line)["changes"],
        )

    def _copied_as_now(self, owner_line):
        """As if the one link of ``owner_line`` had been copied from its
        source as it is now, a draft: a copied source is deleted only once
        back to draft, which makes the link stale already; this shows that the
        deletion alone makes it stale too."""
        link = owner_line.autocomplete_source_ids
        self.env.cr.execute(
            "UPDATE progress_billing_owner_invoice_source SET source_state = 'draft' WHERE id = %s", [link.id]
        )
        link.invalidate_recordset()
        link.modified(["source_state"])
        self.assertFalse(owner_line.autocomplete_stale)

    def test_direct_cost_deleted(self):
        """The direct cost is deleted whole: PostgreSQL deletes its lines."""
        self.owner_invoice._autocomplete()
        name = self.finishes_line.autocomplete_source_ids.display_name
        self.direct_cost.action_reset_to_draft()
        self._copied_as_now(self.finishes_line)
        self.direct_cost.unlink()
        self.assertSourceDeleted(self.finishes_line, name)

    def test_direct_cost_line_deleted(self):
        self.owner_invoice._autocomplete()
        name = self.finishes_line.autocomplete_source_ids.display_name
        self.direct_cost.action_reset_to_draft()
        self._copied_as_now(self.finishes_line)
        self.direct_cost.line_ids.unlink()
        self.assertSourceDeleted(self.finishes_line, name)

    def test_sub_invoice_deleted(self):
        """The subcontractor invoice is voided, reset to draft and deleted
        whole (PostgreSQL deletes its lines): its backup copies nothing of it."""
        self.owner_invoice._autocomplete()
        name = self.concrete_line.autocomplete_source_ids.display_name
        self.sub_invoice.action_void()
        self.sub_invoice.action_reset_to_draft()
        self._copied_as_now(self.concrete_line)
        self.sub_invoice.unlink()
        self.assertSourceDeleted(self.concrete_line, name)
        self.assertFalse(self.owner_invoice._copied_sub_invoices())

    def test_sub_invoice_line_deleted(self):
        self.owner_invoice._autocomplete()
        name = self.concrete_line.autocomplete_source_ids.display_name
        self.sub_invoice.action_void()
        self.sub_invoice.action_reset_to_draft()
        self._copied_as_now(self.concrete_line)
        self._line_of(self.sub_invoice, self.ssov_labor).unlink()
        self.assertSourceDeleted(self.concrete_line, name)

    def test_source_emptied_on_deletion_by_an_earlier_version(self):
        """Before 19.0.1.2.0 a foreign key emptied the link's source line
        when it was deleted: such a link reads as deleted too."""
        self.owner_invoice._autocomplete()
        link = self.concrete_line.autocomplete_source_ids
        name = link.display_name
        self.env.cr.execute(
            "UPDATE progress_billing_owner_invoice_source SET sub_invoice_line_id = NULL WHERE id = %s", [link.id]
        )
        link.invalidate_recordset()
        link.modified(["sub_invoice_line_id"])
        self.assertSourceDeleted(self.concrete_line, name)

    def test_sub_invoice_revised(self):
        """An approved subcontractor invoice is voided, reset to draft, revised and approved again."""
        self.owner_invoice._autocomplete()
        self.sub_invoice.action_void()
        self.assertTrue(self.concrete_line.autocomplete_stale)
        self.sub_invoice.action_reset_to_draft()
        self.sub_invoice.line_ids[0].work_this_period = 1200
        self.sub_invoice.action_submit()
        self.sub_invoice.action_approve()
        self.assertEqual(self.concrete_line.autocomplete_source_ids.stale_reason,
                         f"Work Completed This Period: {self.currency.format(1000)} → {self.currency.format(1200)}")
        wizard = self._preview()
        self.assertEqual(self._preview_line(wizard, self.concrete_line)["new_work"], 1200)
        wizard.action_apply()
        self.assertLineAmounts(self.owner_invoice, {self.sov_concrete: (1200, 200), self.sov_finishes: (500, 0)})
        self.assertFalse(self.owner_invoice.autocomplete_stale_count)

    def test_sub_invoice_moved_to_another_period(self):
        self.owner_invoice._autocomplete()
        self.sub_invoice.action_void()
        self.sub_invoice.action_reset_to_draft()
        next_period = self._create_next_period()
        self.sub_invoice.period_id = next_period
        self.sub_invoice.state = "approved"
        self.assertIn("Source Billing Period When Copied:", self.concrete_line.autocomplete_source_ids.stale_reason)
        changes = self._preview_line(self._preview(), self.concrete_line)["changes"]
        self.assertIn(
            f"no longer copied (Source Billing Period When Copied: "
            f"{self.period.display_name} → {next_period.display_name})",
            changes,
        )

    def test_owner_invoice_moved_to_another_period(self):
        self.owner_invoice._autocomplete()
        next_period = self._create_next_period()
        self.owner_invoice.period_id = next_period
        self.assertEqual(self.owner_invoice.autocomplete_stale_count, 2)
        self.assertEqual(
            self.concrete_line.autocomplete_source_ids.stale_reason,
            f"Billing period of the owner invoice: {self.period.display_name} → {next_period.display_name}",
        )
        self._preview().action_apply()
        self.assertLineAmounts(self.owner_invoice, {})
        self.assertFalse(self.owner_invoice.autocomplete_stale_count)

    def test_copied_for_a_period_deleted_since(self):
        """The period a link was copied for is a snapshot too: once deleted
        (a period without invoices), the link reads it as none."""
        self.owner_invoice._autocomplete()
        link = self.concrete_line.autocomplete_source_ids
        scrapped = self._create_next_period(state="future")
        # as if the owner invoice had been auto-completed in the scrapped period, then moved
        self.env.cr.execute(
            "UPDATE progress_billing_owner_invoice_source SET period_id = %s WHERE id = %s", [scrapped.id, link.id]
        )
        link.invalidate_recordset()
        link.modified(["period_id"])
        scrapped.unlink()
        self.assertTrue(self.concrete_line.autocomplete_stale)
        self.assertEqual(
            link.with_user(self.user).stale_reason,
            f"Billing period of the owner invoice: none → {self.period.display_name}",
        )
        self.assertEqual(link.read(["period_id"])[0]["period_id"], False)

    def test_source_recoded_onto_another_line(self):
        self.owner_invoice._autocomplete()
        with self._revising(self.direct_cost):
            self.direct_cost.line_ids.cost_code_id = self.cost_code
        wizard = self._preview()
        self.assertIn("now copied onto line “Concrete”", self._preview_line(wizard, self.finishes_line)["changes"])
        self.assertIn("newly copied", self._preview_line(wizard, self.concrete_line)["changes"])
        wizard.action_apply()
        self.assertLineAmounts(self.owner_invoice, {self.sov_concrete: (1500, 200)})

    def test_sources_changed_while_previewing(self):
        wizard = self._preview()
        with self._revising(self.direct_cost):
            self.direct_cost.line_ids.amount = 10
        with self.assertRaisesRegex(UserError, "changed while you were reviewing them"):
            wizard.action_apply()
        self.assertLineAmounts(self.owner_invoice, {})


@tagged("post_install", "-at_install", "progress_billing")
class TestAutocompleteBackup(AutocompleteCase):
    """readme/USAGE.md, "Auto-completing owner invoices": the compiled backup of the copied subcontractor invoices can
    be attached to the owner invoice."""

    def test_attach_compiled_backup(self):
        copied = self._create_billed_sub_invoice(self.commitment, {self.ssov_labor: (1000, 0)})
        other = self._create_commitment(
            self.project,
            [
                {
                    "name": "Not copied",
                    "cost_code_id": self.cost_code.id,
                    "cost_type_id": self.labor.id,
                    "price_unit": 5000,
                },
            ],
        )
        self._create_billed_sub_invoice(other, {other.order_line: (10, 0)}, state="draft")
        owner_invoice = self._create_owner_invoice()
        action = owner_invoice.with_user(self.user).action_autocomplete()
        wizard = self.env[action["res_model"]].with_user(self.user).browse(action["res_id"])
        wizard.attach_backup = True
        wizard.action_apply()
        backup = self.env["progress.billing.backup"].search([])
        self.assertEqual(backup.sub_invoice_ids, copied)
        attachment = backup.attachment_id
        self.assertTrue(attachment.name.startswith("Subcontractor invoice backup - Riverside Tower"))
        self.assertEqual(
            (attachment.mimetype, attachment.res_model, attachment.res_id), ("application/pdf", backup._name, backup.id)
        )
        self.assertIn(f"action_progress_billing_backup/{backup.id}", owner_invoice.message_ids[0].body)
        # the PDF is not copied onto the owner invoice, whose readers may not read every copied invoice
        self.assertFalse(
            self.env["ir.attachment"].search(
                [("res_model", "=", owner_invoice._name), ("res_id", "=", owner_invoice.id)]
            )
        )
        reader = self._create_user("pb_owner_invoice_reader", USER_GROUP)
        hide_invoices_from(reader, copied)
        owner_invoice.with_user(reader).check_access("read")
        with self.assertRaises(AccessError):
            attachment.with_user(reader).read(["raw"])

    def test_no_backup_unless_asked(self):
        self._create_billed_sub_invoice(self.commitment, {self.ssov_labor: (1000, 0)})
        owner_invoice = self._create_owner_invoice()
        action = owner_invoice.action_autocomplete()
        self.env[action["res_model"]].browse(action["res_id"]).action_apply()
        self.assertFalse(
            self.env["ir.attachment"].search_count(
                [("res_model", "=", owner_invoice._name), ("res_id", "=", owner_invoice.id)]
            )
        )
