# Copyright 2026 Progress Billing Developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

import os
from pathlib import Path

from odoo.tests import tagged

from ..models.ir_actions_report import SELF_PAGED_REPORTS
from .common import ProgressBillingCase
from .pdf_samples import pdf_page_texts


@tagged("post_install", "-at_install", "progress_billing")
class TestWkhtmltopdfEnvironment(ProgressBillingCase):
    """The fixed hash seed that makes wkhtmltopdf's PDFs byte-stable (the
    same compiled backup for the same selection) is given to its processes
    only: the server keeps the environment it was started with."""

    def test_the_server_keeps_the_environment_it_was_started_with(self):
        # the environment the process was started with, whatever os.environ became since
        started_with = dict(
            entry.split(b"=", 1) for entry in Path("/proc/self/environ").read_bytes().split(b"\0") if b"=" in entry
        )
        self.assertEqual(os.environb.get(b"QT_HASH_SEED"), started_with.get(b"QT_HASH_SEED"))

    def test_every_report_of_the_addon_is_rendered_with_the_seed(self):
        """Odoo's own wkhtmltopdf call takes no environment: every report of
        the addon is rendered by _start_wkhtmltopdf, which gives the hash seed."""
        reports = self.env["ir.actions.report"].browse(self.env["ir.model.data"].search([
            ("module", "=", "progress_billing"), ("model", "=", "ir.actions.report"),
        ]).mapped("res_id"))
        self.assertEqual(len(reports), 3)
        self.assertLessEqual(set(reports.mapped("report_name")), set(SELF_PAGED_REPORTS))

    def test_printing_twice_gives_the_same_pdf(self):
        invoice = self._create_sub_invoice(amounts={self.ssov_labor: (12_000, 0), self.ssov_materials: (5_000, 2_000)})
        Report = self.env["ir.actions.report"].with_context(force_report_rendering=True)
        first, second = (
            Report._render_qweb_pdf("progress_billing.action_report_sub_invoice", invoice.ids)[0] for _time in range(2)
        )
        self.assertIn(invoice.name, pdf_page_texts(first)[0])
        self.assertEqual(first, second)
