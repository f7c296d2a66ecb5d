# Copyright 2026 Progress Billing Developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from odoo.tests import HttpCase, tagged

from .common_pay_application import PayApplicationCase
from .pdf_samples import sample_pdf


@tagged("post_install", "-at_install", "progress_billing")
class TestCompileBackupsTour(PayApplicationCase, HttpCase):
    def test_compile_backups_from_the_invoice_list(self):
        """A user ticks two subcontractor invoices in their list, runs Compile
        Progress Billing Backups from the Actions menu and gets a success
        message with the download link of one PDF holding both."""
        first = self._create_tenth_invoice(self.commitment)
        second = self._create_tenth_invoice(self._create_described_commitment(self.project, ["Masonry"]))
        first.name, second.name = "PB-TOUR-INV-1", "PB-TOUR-INV-2"
        self._attach(first, "lien waiver.pdf", sample_pdf("Lien waiver", 2))
        self.start_tour(
            "/odoo/action-progress_billing.action_progress_billing_sub_invoice",
            "progress_billing_compile_backups_tour",
            login=self.user.login,
        )
        backup = self.env["progress.billing.backup"].search([])
        self.assertEqual(backup.sub_invoice_ids, first | second)
        self.assertEqual((backup.state, backup.user_id), ("done", self.user))
        self.assertEqual(
            backup.page_count,
            1 + first._pay_application_page_count() + 2 + second._pay_application_page_count(),
        )
