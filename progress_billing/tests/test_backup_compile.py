# Copyright 2026 Progress Billing Developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

import io
import json
from contextlib import contextmanager
from datetime import timedelta
from unittest.mock import patch

from pypdf import PdfReader

from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, tagged
from odoo.tools import SQL

from ..models import ir_actions_report
from ..models.progress_billing_period import monthly_period_bounds
from .common_pay_application import PayApplicationCase
from .pdf_samples import DAMAGED_PDF, encrypted_pdf, pdf_outline, pdf_page_texts, sample_image, sample_pdf


@tagged("post_install", "-at_install", "progress_billing")
class TestBackupCompile(PayApplicationCase):
    """Compile Progress Billing Backups (readme/USAGE.md, "Pay application PDFs and compiled backups"), with the pay
    applications really rendered by wkhtmltopdf."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Backup = cls.env["progress.billing.backup"]
        # "Beta Plaza" sorts after "Alpha Tower"; its commitment bills two periods
        cls.beta = cls._create_open_project("Beta Plaza")
        current_month = cls.beta.billing_period_ids
        last_month = cls._create_period(
            cls.beta, *monthly_period_bounds(current_month.date_start - timedelta(days=1), 1)
        )
        beta_commitment = cls._create_described_commitment(cls.beta, ["Formwork", "Rebar"])
        cls.beta_earlier = cls._create_tenth_invoice(beta_commitment, last_month)
        current_month.action_open()
        cls.beta_current = cls._create_tenth_invoice(beta_commitment, current_month)
        cls.alpha = cls._create_open_project("Alpha Tower")
        cls.alpha_invoice = cls._create_tenth_invoice(cls._create_described_commitment(cls.alpha, ["Excavation"]))
        cls._attach(cls.alpha_invoice, "waiver.pdf", sample_pdf("Waiver", 5))
        cls._attach(cls.alpha_invoice, "site.jpg", sample_image("JPEG"))
        for name, raw in [
            ("lien release.pdf", sample_pdf("Unsigned lien release", 2)),
            ("lien release (signed).pdf", sample_pdf("Signed lien release", 2)),
            ("locked.pdf", encrypted_pdf("Locked")),
            ("broken.pdf", DAMAGED_PDF),
            ("notes.txt", b"call the inspector"),
            ("delivery.png", sample_image("PNG")),
        ]:
            cls._attach(cls.beta_earlier, name, raw)

    def _report_pages(self, invoice):
        return invoice._pay_application_page_count()

    def test_compile_orders_invoices_with_their_attachments(self):
        attachment = self.Backup._compile(self.beta_current | self.alpha_invoice | self.beta_earlier)
        backup = self.Backup.browse(attachment.res_id)
        self.assertEqual(
            (attachment.res_model, attachment.mimetype, backup.state), (backup._name, "application/pdf", "done")
        )
        self.assertRegex(
            attachment.name, r"^Subcontractor invoice backup - 2 projects - \d{4}-\d\d-\d\d - \d\d-\d\d-\d\d\.pdf$"
        )
        pages = pdf_page_texts(attachment.raw)
        self.assertEqual(len(PdfReader(io.BytesIO(attachment.raw)).pages), len(pages))
        self.assertEqual(backup.page_count, len(pages))

        # documented order: project, commitment, billing period, number; each invoice then its attachments
        alpha, earlier, current = (self._report_pages(invoice) for invoice in (
            self.alpha_invoice, self.beta_earlier, self.beta_current))
        expected = (
            ["cover"] + [self.alpha_invoice.name] * alpha + [f"Waiver page {n}" for n in range(1, 6)] + ["site.jpg"]
        )
        expected += [self.beta_earlier.name] * earlier + ["Signed lien release page 1", "Signed lien release page 2"]
        expected += ["delivery.png"] + [self.beta_current.name] * current
        self.assertEqual(len(pages), len(expected))
        for page, text in zip(pages[1:], expected[1:], strict=True):
            self.assertIn(text, page)
        first = {invoice: pages.index(next(p for p in pages[1:] if invoice.name in p)) + 1 for invoice in (
            self.alpha_invoice, self.beta_earlier, self.beta_current)}
        self.assertIn("Application and Certificate for Payment", pages[first[self.beta_earlier] - 1])

        # one bookmark per invoice, with one per included attachment under it
        outline = pdf_outline(attachment.raw)
        self.assertEqual(
            [(title.split(" · ")[0], page) for title, page, _children in outline],
            [(invoice.name, first[invoice]) for invoice in (self.alpha_invoice, self.beta_earlier, self.beta_current)],
        )
        self.assertEqual(
            [(title, page) for title, page, _children in outline[0][2]],
            [("waiver.pdf", first[self.alpha_invoice] + alpha), ("site.jpg", first[self.alpha_invoice] + alpha + 5)],
        )
        self.assertEqual(
            [title for title, _page, _children in outline[1][2]], ["lien release (signed).pdf", "delivery.png"]
        )
        self.assertEqual(outline[2][2], [], "an invoice without attachments has no sub-bookmark")

        # the cover indexes everything, says why files were left out
        cover = pages[0]
        self.assertIn("Subcontractor Invoice Backup", cover)
        self.assertIn("Project: Alpha Tower, Beta Plaza", cover)
        self.assertIn("4 attachment(s) could not be included", cover)
        for reason in ("replaced by its signed version lien release (signed).pdf", "protected by a password",
                       "damaged or unreadable", "not a PDF, PNG or JPEG file"):
            self.assertIn(f"Not included: {reason}", cover)
        self.assertEqual(backup.skipped_count, 4)
        self.assertIn("locked.pdf: protected by a password", backup.skipped_summary)

    def test_recompiling_the_same_selection_gives_the_same_pdf(self):
        first = self.Backup._compile(self.beta_earlier | self.alpha_invoice)
        second = self.Backup._compile(self.alpha_invoice | self.beta_earlier)
        self.assertNotEqual(first.res_id, second.res_id, "each compile is kept as its own backup")
        self.assertEqual(first.raw, second.raw)

    def test_batches_give_the_backup_of_one_call_with_two_wkhtmltopdf_at_most(self):
        """readme/USAGE.md, "Pay application PDFs and compiled backups": rendered one invoice per
        wkhtmltopdf call, while Odoo copies the attachments of the invoices after the batch being rendered,
        the backup has the same pages, index and bookmarks as rendered in one call, and no more than two
        wkhtmltopdf processes run at once."""
        invoices = self.beta_current | self.alpha_invoice | self.beta_earlier
        whole = self.Backup._compile(invoices)
        Report = type(self.env["ir.actions.report"])
        start, result = Report._start_wkhtmltopdf, Report._wkhtmltopdf_result
        running = []
        most = 0

        @contextmanager
        def counted_start(model, report, records):
            nonlocal most
            with start(model, report, records) as process:
                running.append(process)
                most = max(most, len(running))
                yield process

        def counted_result(model, process):
            running.remove(process)
            return result(model, process)

        with (
            patch.object(ir_actions_report, "RENDER_BATCH_SIZE", 1),
            patch.object(ir_actions_report, "RENDER_BATCH_MIN", 1),
            patch.object(Report, "_start_wkhtmltopdf", counted_start),
            patch.object(Report, "_wkhtmltopdf_result", counted_result),
        ):
            batched = self.Backup._compile(invoices)
        self.assertEqual(pdf_page_texts(batched.raw), pdf_page_texts(whole.raw))
        self.assertEqual(pdf_outline(batched.raw), pdf_outline(whole.raw))
        self.assertEqual((most, running), (2, []), "three batches, two rendering at a time, each waited for")

    def test_empty_selection_is_refused(self):
        with self.assertRaisesRegex(UserError, "at least one"):
            self.Backup._compile(self.env["progress.billing.sub.invoice"])

    def test_a_user_compiles_only_invoices_of_companies_they_can_read(self):
        other_company = self._create_company("Other Builders")
        other_invoice = self._create_tenth_invoice(
            self._create_described_commitment(self._create_open_project("Elsewhere", other_company), ["Roofing"])
        )
        Backup = self.Backup.with_user(self.user)
        with self.assertRaises(AccessError):
            Backup._compile(self.alpha_invoice | other_invoice)
        attachment = Backup._compile(self.alpha_invoice.with_user(self.user))
        self.assertEqual(attachment.create_uid, self.user)
        self.assertEqual(len(pdf_outline(attachment.raw)[0][2]), 2, "the user's backup has the invoice attachments")

    def test_wizard_compiles_from_the_list_selection_and_shows_a_success_message(self):
        wizard = Form(self.env["progress.billing.backup.wizard"].with_context(
            active_model="progress.billing.sub.invoice", active_ids=self.alpha_invoice.ids,
        )).save()
        action = wizard.action_compile()
        self.assertEqual((action["tag"], action["params"]["type"]), ("display_notification", "success"))
        backup = self.Backup.search([])
        self.assertEqual(action["params"]["links"][0]["url"], f"/web/content/{backup.attachment_id.id}?download=true")
        self.assertIn(backup.name, action["params"]["message"])

    def test_wizard_from_a_commitment_or_a_billing_period_takes_their_invoices(self):
        commitment = self.beta_earlier.purchase_order_id
        self.beta_current.with_user(self.manager).action_void()
        for model, records, expected in [
            ("purchase.order", commitment, self.beta_earlier),
            ("progress.billing.period", self.beta_earlier.period_id | self.alpha_invoice.period_id,
             self.beta_earlier | self.alpha_invoice),
        ]:
            wizard = self.env["progress.billing.backup.wizard"].with_context(
                active_model=model, active_ids=records.ids,
            ).create({})
            self.assertEqual(wizard.sub_invoice_ids, expected, "void invoices are left out")

    def test_large_selection_compiles_in_the_background_and_notifies(self):
        self.env["ir.config_parameter"].set_param("progress_billing.backup_background_threshold", 1)
        self.env["ir.config_parameter"].set_param("progress_billing.backup_batch_size", 1)
        invoices = self.alpha_invoice | self.beta_earlier
        wizard = self.env["progress.billing.backup.wizard"].with_user(self.user).with_context(
            active_model="progress.billing.sub.invoice", active_ids=invoices.ids,
        ).create({})
        self.assertTrue(wizard.in_background)
        action = wizard.action_compile()
        self.assertEqual(action["params"]["type"], "info")
        backup = self.Backup.search([])
        self.assertEqual((backup.state, backup.attachment_id), ("queued", self.env["ir.attachment"]))

        self._run_cron()
        self.assertEqual(backup.state, "done")
        self.assertEqual(backup.processed_count, 2)
        parts = self.env["ir.attachment"].search([("res_model", "=", backup._name), ("res_id", "=", backup.id)])
        self.assertEqual(parts, backup.attachment_id, "the parts are gone, the compiled PDF stays")
        synchronous = self.Backup._compile(invoices)
        self.assertEqual(pdf_page_texts(backup.attachment_id.raw), pdf_page_texts(synchronous.raw),
                         "compiled in batches or at once, the content is the same")
        self.assertEqual(pdf_outline(backup.attachment_id.raw), pdf_outline(synchronous.raw))

        message = backup.message_ids.filtered(lambda message: backup._download_url() in (message.body or ""))
        self.assertEqual(message.partner_ids, self.user.partner_id)
        self.assertEqual(message.attachment_ids, backup.attachment_id)
        self.assertEqual(self._bus_notifications(self.user), [("success", "Progress billing backup compiled")])

    def test_failed_background_compile_says_why(self):
        self.env["ir.config_parameter"].set_param("progress_billing.backup_background_threshold", 0)
        backup = self.Backup.with_user(self.user)._queue(self.alpha_invoice.with_user(self.user))
        # a billing period is required: only a damaged database loses it (the rule stays guarded)
        self.env.cr.execute(SQL(
            "ALTER TABLE progress_billing_sub_invoice ALTER COLUMN period_id DROP NOT NULL;"
            " UPDATE progress_billing_sub_invoice SET period_id = NULL WHERE id = %s", self.alpha_invoice.id,
        ))
        self.alpha_invoice.invalidate_recordset(["period_id"])
        self._run_cron()
        self.assertEqual(backup.state, "failed")
        self.assertIn(self.alpha_invoice.name, backup.error)
        self.assertTrue(backup.message_ids.filtered(lambda message: "failed" in (message.body or "")))
        self.assertEqual(self._bus_notifications(self.user), [("danger", "Progress billing backup failed")])

    def _run_cron(self):
        """The scheduled action, run by ir.cron in its own cursor (committing between batches)."""
        with self.enter_registry_test_mode():
            self.env.ref("progress_billing.ir_cron_compile_backups").method_direct_trigger()

    def _bus_notifications(self, user):
        """(type, title) of the simple notifications sent to ``user``."""
        return [
            (message["payload"]["type"], message["payload"]["title"])
            for notification in self.env["bus.bus"].sudo().search([], order="id")
            if json.loads(notification.channel)[1:] == ["res.partner", user.partner_id.id]
            and (message := json.loads(notification.message))["type"] == "simple_notification"
        ]
