# Copyright 2026 Progress Billing Developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from unittest.mock import patch

from odoo.tests import tagged

from ..models import ir_actions_report
from ..tools.number_format import NumberFormat
from .common_pay_application import PayApplicationCase
from .pdf_samples import pdf_page_texts

SUB_REPORT = "progress_billing.action_report_sub_invoice"
LONG_DESCRIPTION = (
    "Cast-in-place concrete foundations, footings and grade beams, including formwork, reinforcement, "
    "embedded items, curing and protection"
)


@tagged("post_install", "-at_install", "progress_billing")
class TestPayApplicationReport(PayApplicationCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        descriptions = [
            LONG_DESCRIPTION if position % 7 == 3 else f"Scope item {position:02d}" for position in range(45)
        ]
        cls.long_commitment = cls._create_described_commitment(cls.project, descriptions)
        cls.invoice = cls._create_tenth_invoice(cls.long_commitment)

    def _render(self, report, records):
        return self.env["ir.actions.report"].with_context(force_report_rendering=True)._render_qweb_pdf(
            report, records.ids,
        )[0]

    def test_sub_invoice_pdf_is_a_paginated_pay_application(self):
        pages = pdf_page_texts(self._render(SUB_REPORT, self.invoice))
        page_count = self.invoice._pay_application_page_count()
        self.assertGreaterEqual(page_count, 4, "45 lines flow over several continuation sheets")
        self.assertEqual(len(pages), page_count)
        summary = pages[0]
        for text in ("Application and Certificate for Payment", self.invoice.name, "Riverside Tower",
                     "Solid Concrete Ltd", self.long_commitment.name, f"Page 1 of {page_count}", "Current Payment Due"):
            self.assertIn(text, summary)
        for amount in (
            self.invoice.current_payment_due,
            self.invoice.total_retainage,
            self.invoice.contract_sum_to_date,
        ):
            self.assertIn(f"$ {amount:,.2f}", summary)
        for number, sheet in enumerate(pages[1:], start=2):
            self.assertIn("Continuation Sheet", sheet)
            self.assertIn("DESCRIPTION OF WORK", sheet, "the column headings repeat on every sheet")
            self.assertIn(f"Page {number} of {page_count}", sheet)
        sheets = " ".join(pages[1:])
        for line in self.invoice.line_ids:
            self.assertIn(line.name, sheets)
        self.assertIn("Grand Total", pages[-1])
        self.assertIn(f"{sum(self.invoice.line_ids.mapped('scheduled_value')):,.2f}", pages[-1])

    def test_owner_invoice_pdf(self):
        owner_invoice = self._create_owner_invoice(
            amounts={self.sov_concrete: (30_000, 0), self.sov_finishes: (20_000, 0)}
        )
        pages = pdf_page_texts(self._render("progress_billing.action_report_owner_invoice", owner_invoice))
        self.assertEqual(len(pages), 2)
        for text in (
            "OWNER INVOICE",
            owner_invoice.name,
            "Owner Developments",
            self.prime_contract.name,
            "$ 50,000.00",
        ):
            self.assertIn(text, pages[0])
        self.assertIn("Concrete", pages[1])
        self.assertIn("T09", pages[1], "a line billing a division shows its code")

    def _count_wkhtmltopdf_calls(self):
        """Patch the start of wkhtmltopdf to record the records of each call."""
        calls = []
        report_class = type(self.env["ir.actions.report"])
        start = report_class._start_wkhtmltopdf

        def record_call(reports, report, records):
            calls.append(records)
            return start(reports, report, records)

        return calls, patch.object(report_class, "_start_wkhtmltopdf", record_call)

    def test_several_applications_render_in_one_single_document_call(self):
        """One wkhtmltopdf call with ONE document, no header and no footer: what
        an unpatched Qt build accepts (the patched one too), split by page counts."""
        invoices = self.invoice | self._create_tenth_invoice(self.commitment)
        calls, counting = self._count_wkhtmltopdf_calls()
        with counting:
            pages = pdf_page_texts(self._render(SUB_REPORT, invoices))
        self.assertEqual(calls, [invoices])
        counts = [invoice._pay_application_page_count() for invoice in invoices]
        self.assertEqual(len(pages), sum(counts))
        self.assertIn(invoices[1].name, pages[counts[0]])
        self.assertIn("Page 1 of 2", pages[counts[0]])

    def test_printing_a_list_selection_renders_batches_in_order(self):
        """readme/USAGE.md, "Pay application PDFs and compiled backups": Print > Pay Application on invoices selected in
        the list takes the compile's batched rendering: one wkhtmltopdf call per batch
        (of 2 here), every invoice in the PDF, in the order selected."""
        invoices = self.env["progress.billing.sub.invoice"]
        for position in range(5):
            invoices |= self._create_tenth_invoice(
                self._create_described_commitment(self.project, [f"Scope {position}"])
            )
        selected = invoices.browse(list(reversed(invoices.ids)))
        calls, counting = self._count_wkhtmltopdf_calls()
        with counting, patch.object(ir_actions_report, "RENDER_BATCH_SIZE", 2):
            pages = pdf_page_texts(self._render(SUB_REPORT, selected))
        self.assertEqual(calls, [selected[0:2], selected[2:4], selected[4:5]])
        self.assertEqual(len(pages), sum(invoice._pay_application_page_count() for invoice in selected))
        firsts = [page for page in pages if "Application and Certificate for Payment" in page]
        self.assertEqual(len(firsts), 5)
        for first, invoice in zip(firsts, selected, strict=True):
            self.assertIn(invoice.name, first)
            self.assertIn(invoice.purchase_order_id.name, first)

    def test_a_document_longer_than_announced_is_rendered_alone(self):
        invoices = self.invoice | self._create_tenth_invoice(self.commitment)
        with patch.object(type(self.invoice), "_pay_application_page_count", lambda invoice: 1):
            documents = [
                document for batch in self.env["ir.actions.report"]._render_pay_applications(SUB_REPORT, invoices)
                for document in batch.documents()
            ]
        self.assertEqual(
            [[(record, first, count) for record, first, count in ranges] for _pdf, ranges in documents],
            [[(invoices[0], 0, self.invoice._pay_application_page_count())], [(invoices[1], 0, 2)]],
        )

    def test_numbers_are_written_as_the_widgets_write_them(self):
        """readme/USAGE.md, "Pay application PDFs and compiled backups": the pay application writes its numbers
        without QWeb's float and monetary widgets, in the very text they give, for a currency before or after
        its amounts and for a language with other separators."""
        euro = self.env.ref("base.EUR")
        self.env["res.lang"]._activate_lang("fr_FR")
        values = [0.0, -0.004, 0.005, 1.005, -2.5, 12.345, 999.995, -1234.5, 1234567.891, 1e9 + 0.125]
        for lang in ("en_US", "fr_FR"):
            env = self.env(context=dict(self.env.context, lang=lang))
            numbers = NumberFormat(env["res.lang"]._get_data(code=lang))
            for value in values:
                for digits in (0, 1, 2):
                    self.assertEqual(
                        numbers.number(value, digits),
                        env["ir.qweb.field.float"].value_to_html(value, {"precision": digits}),
                    )
                for currency in (self.invoice.currency_id, euro):
                    self.assertEqual(
                        numbers.amount(value, currency),
                        env["ir.qweb.field.monetary"].value_to_html(value, {"display_currency": currency}),
                    )
