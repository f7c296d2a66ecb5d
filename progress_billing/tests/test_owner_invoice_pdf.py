# Copyright 2026 Progress Billing Developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from odoo.exceptions import UserError
from odoo.tests import tagged

from .common_autocomplete import AutocompleteCase
from .pdf_samples import pdf_page_texts
from .test_backup_security import hide_invoices_from

OWNER_REPORT = "progress_billing.action_report_owner_invoice"


@tagged("post_install", "-at_install", "progress_billing")
class TestOwnerInvoicePdfBackup(AutocompleteCase):
    """readme/CONFIGURE.md, "Owner invoice PDF with the backup": with the company setting,
    the owner invoice's pay application PDF is followed by the compiled
    backup of the subcontractor invoices copied onto it (one file for the owner)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.copied = cls._create_billed_sub_invoice(cls.commitment, {cls.ssov_labor: (1000, 0)})
        cls.owner_invoice = cls._create_owner_invoice()
        cls.owner_invoice._autocomplete()

    def _print(self):
        return self.env["ir.actions.report"].with_user(self.user).with_context(force_report_rendering=True)._render_qweb_pdf(
            OWNER_REPORT, self.owner_invoice.ids,
        )[0]

    def test_setting_in_progress_billing_settings(self):
        settings = self.env["res.config.settings"].create({"progress_billing_owner_pdf_backup": True})
        settings.execute()
        self.assertTrue(self.company.progress_billing_owner_pdf_backup)
        arch = settings.get_views([(False, "form")])["views"]["form"]["arch"]
        self.assertIn('name="progress_billing_owner_pdf_backup"', arch)

    def test_pdf_without_the_setting(self):
        pages = pdf_page_texts(self._print())
        self.assertEqual(len(pages), self.owner_invoice._pay_application_page_count())
        self.assertNotIn("Subcontractor Invoice Backup", " ".join(pages))

    def test_pdf_ends_with_the_compiled_backup(self):
        self.company.progress_billing_owner_pdf_backup = True
        pages = pdf_page_texts(self._print())
        own = self.owner_invoice._pay_application_page_count()
        self.assertEqual(own, 2)
        self.assertIn("Application and Certificate for Payment", pages[0])
        self.assertIn(self.owner_invoice.name, pages[0])
        self.assertIn("Continuation Sheet", pages[1])
        cover = pages[own]
        self.assertIn("Subcontractor Invoice Backup", cover, "the backup's cover follows the G702 and G703")
        self.assertIn(self.copied.name, cover)
        self.assertEqual(len(pages), own + 1 + self.copied._pay_application_page_count())
        self.assertIn(self.copied.name, pages[own + 1])
        self.assertIn("Solid Concrete Ltd", pages[own + 1], "then the subcontractor's pay application")

    def test_nothing_copied_nothing_appended(self):
        self.company.progress_billing_owner_pdf_backup = True
        self.owner_invoice = self._create_owner_invoice(period=self._create_next_period())
        pages = pdf_page_texts(self._print())
        self.assertEqual(len(pages), self.owner_invoice._pay_application_page_count())

    def test_no_backup_missing_an_invoice_the_user_may_not_read(self):
        """readme/CONFIGURE.md, "Backups": the backup in the owner's PDF holds every copied
        invoice, so a user who may not read one of them gets no PDF with a
        backup missing it, and learns nothing of it but the count."""
        self.company.progress_billing_owner_pdf_backup = True
        hide_invoices_from(self.user, self.copied)
        with self.assertRaisesRegex(UserError, r"copies amounts from subcontractor invoices you may not read \(1 of 1\)") as caught:
            self._print()
        self.assertNotIn(self.copied.name, str(caught.exception))
