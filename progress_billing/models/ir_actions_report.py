import io
import logging
import os

from odoo import api, models
from odoo.exceptions import UserError
from pypdf import PdfReader, PdfWriter

_logger = logging.getLogger(__name__)

PAY_APPLICATION_REPORTS = ("progress_billing.report_sub_invoice", "progress_billing.report_owner_invoice")
# reports rendered as one self-contained HTML document per wkhtmltopdf call:
# the record method giving the pages each of their documents announces
SELF_PAGED_REPORTS = {
    **dict.fromkeys(PAY_APPLICATION_REPORTS, "_pay_application_page_count"),
    "progress_billing.report_payment_schedule": "_payment_schedule_page_count",
}
# applications per wkhtmltopdf call: bounds the memory of the call and of the
# PDF it returns, while keeping its start-up cost rare
RENDER_BATCH_SIZE = 50
# wkhtmltopdf (Qt) writes fonts in the order of a randomly seeded hash: a fixed
# seed makes the same document give the same PDF, hence the same compiled
# backup for the same selection. Only Qt child processes read it.
os.environ.setdefault("QT_HASH_SEED", "0")


class IrActionsReport(models.Model):
    """Pay application PDFs are rendered as ONE self-contained HTML document
    for any number of applications, in one wkhtmltopdf call, and split by the
    page count each application announces. That works with Debian's
    wkhtmltopdf (unpatched Qt: one document per call, no header/footer) as with
    the patched build, and avoids the start-up cost of one call per record."""

    _inherit = "ir.actions.report"

    @api.model
    def _build_wkhtmltopdf_args(self, paperformat_id, landscape, specific_paperformat_args=None, set_viewport_size=False):
        args = super()._build_wkhtmltopdf_args(
            paperformat_id, landscape, specific_paperformat_args=specific_paperformat_args,
            set_viewport_size=set_viewport_size,
        )
        if self.env.context.get("pay_application_static_html") and "--javascript-delay" in args:
            # the document has no script to wait for: skip the print delay (1 s by default)
            position = args.index("--javascript-delay")
            args[position:position + 2] = ["--disable-javascript"]
        return args

    def _render_pay_applications(self, report_ref, records):
        """Render the pay applications ``records`` as PDF, RENDER_BATCH_SIZE
        per wkhtmltopdf call. Yields (pdf bytes, [(record, first page index,
        page count), ...]): one PDF per batch, or one per record of a batch in
        which a document overflowed the pages it announced (each is then
        rendered alone and measured)."""
        if self.get_wkhtmltopdf_state() == "install":
            raise UserError(self.env._("Unable to find Wkhtmltopdf on this system. The PDF can not be created."))
        report = self._get_report(report_ref)
        for start in range(0, len(records), RENDER_BATCH_SIZE):
            yield from self._render_pay_application_batch(report, records[start:start + RENDER_BATCH_SIZE])

    def _render_pay_application_batch(self, report, records):
        """One wkhtmltopdf call for ``records``, split by the page count each announces."""
        html = self._render_qweb_html(report, records.ids, data={"report_type": "pdf"})[0].decode()
        pdf = self.with_context(pay_application_static_html=True)._run_wkhtmltopdf(
            [html], report_ref=report, landscape=self.env.context.get("landscape"),
        )
        page_count = len(PdfReader(io.BytesIO(pdf)).pages)
        if len(records) == 1:
            return [(pdf, [(records, 0, page_count)])]
        counts = [getattr(record, SELF_PAGED_REPORTS[report.report_name])() for record in records]
        if page_count != sum(counts):
            _logger.warning(
                "Pay applications %s took %s pages instead of %s: rendering them one by one.",
                records.mapped("display_name"), page_count, sum(counts),
            )
            return [document for record in records for document in self._render_pay_application_batch(report, record)]
        starts = [sum(counts[:position]) for position in range(len(counts))]
        return [(pdf, list(zip(records, starts, counts, strict=True)))]

    def _render_qweb_pdf_prepare_streams(self, report_ref, data, res_ids=None):
        report = self._get_report(report_ref)
        if report.report_name not in SELF_PAGED_REPORTS or not res_ids:
            return super()._render_qweb_pdf_prepare_streams(report_ref, data, res_ids=res_ids)
        records = self.env[report.model].browse(list(dict.fromkeys(res_ids)))
        streams = {}
        for pdf, ranges in self._render_pay_applications(report, records):
            reader = PdfReader(io.BytesIO(pdf))
            for record, first_page, page_count in ranges:
                writer = PdfWriter()
                for index in range(first_page, first_page + page_count):
                    writer.add_page(reader.pages[index])
                if report.report_name in PAY_APPLICATION_REPORTS:
                    record._append_to_pay_application_pdf(writer)
                stream = io.BytesIO()
                writer.write(stream)
                streams[record.id] = {"stream": stream, "attachment": None}
        return streams
