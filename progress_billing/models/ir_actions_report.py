# Copyright 2026 Progress Billing Developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

import functools
import io
import logging
import os
import shutil
import subprocess
import tempfile
from collections.abc import Callable
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass

from pypdf import PdfReader, PdfWriter

from odoo import models
from odoo.exceptions import UserError
from odoo.tools.misc import get_lang

from odoo.addons.base.models.ir_actions_report import _wkhtml

from ..tools.number_format import NumberFormat

_logger = logging.getLogger(__name__)

PAY_APPLICATION_REPORTS = ("progress_billing.report_sub_invoice", "progress_billing.report_owner_invoice")
# reports rendered as one self-contained HTML document per wkhtmltopdf call:
# the record method giving the pages each of their documents announces
SELF_PAGED_REPORTS = {
    **dict.fromkeys(PAY_APPLICATION_REPORTS, "_pay_application_page_count"),
    "progress_billing.report_payment_schedule": "_payment_schedule_page_count",
}
# G702 and G703 figures of the pay application template that, read by the template one application at a
# time, would each be computed one application at a time (queries per application): read first for a whole
# batch, the ORM computes them, and what they depend on, for the batch at once
PAY_APPLICATION_FIGURES = ("current_payment_due", "previous_certificates")
PAY_APPLICATION_LINE_FIGURES = ("retainage", "percent_complete", "certification_difference")
# applications per wkhtmltopdf call: bounds the memory of the call and of the
# PDF it returns, while keeping its start-up cost rare
RENDER_BATCH_SIZE = 50
# below this many applications a batch is not split to start a second process
RENDER_BATCH_MIN = 5
# wkhtmltopdf (Qt) writes fonts in the order of a randomly seeded hash: a fixed
# seed makes the same document give the same PDF, hence the same compiled
# backup for the same selection. Given to the wkhtmltopdf processes of
# _start_wkhtmltopdf only, which renders every report of the addon
# (SELF_PAGED_REPORTS): the server's own environment stays as it was started.
WKHTMLTOPDF_ENVIRONMENT = {"QT_HASH_SEED": "0"}


@dataclass
class PayApplicationBatch:
    """Pay applications ``records`` that wkhtmltopdf is rendering in its own
    process: the caller works meanwhile, then ``documents()`` waits for the
    process and returns [(pdf bytes, [(record, first page index, page
    count), ...]), ...]."""

    records: object
    documents: Callable[[], list]


@dataclass
class WkhtmltopdfProcess:
    """A running wkhtmltopdf and the folder of its input, output and messages."""

    process: subprocess.Popen
    folder: str

    def path(self, name):
        return os.path.join(self.folder, name)


class IrActionsReport(models.Model):
    """Pay application PDFs are rendered as ONE self-contained HTML document
    for any number of applications, in one wkhtmltopdf call, and split by the
    page count each application announces. That works with Debian's
    wkhtmltopdf (unpatched Qt: one document per call, no header/footer) as with
    the patched build, and avoids the start-up cost of one call per record.
    The call runs in its own process while Odoo goes on (readme/USAGE.md, "Pay application PDFs and compiled backups":
    the compile copies attachments on the other core meanwhile)."""

    _inherit = "ir.actions.report"

    def _render_pay_applications(self, report_ref, records):
        """Render the pay applications ``records`` as PDF, at most
        RENDER_BATCH_SIZE per wkhtmltopdf call, each call in its own process.
        Yields a PayApplicationBatch per batch; its ``documents()`` give one
        PDF for the batch, or one per record of a batch in which a document
        overflowed the pages it announced (each is then rendered alone and
        measured). readme/USAGE.md, "Pay application PDFs and compiled backups": a batch is yielded once the next one is
        started too (its HTML rendered while wkhtmltopdf renders the batch), so that
        the caller works while up to two processes render; a selection of
        more than RENDER_BATCH_MIN records makes at least two batches. The
        processes still running and their files go when the caller is done."""
        if self.get_wkhtmltopdf_state() == "install":
            raise UserError(self.env._("Unable to find Wkhtmltopdf on this system. The PDF can not be created."))
        report = self._get_report(report_ref)
        size = min(RENDER_BATCH_SIZE, max(RENDER_BATCH_MIN, -(-len(records) // 2)))
        with ExitStack() as started:
            batches = []
            for start in range(0, len(records), size):
                batch = records[start:start + size]
                process = started.enter_context(self._start_wkhtmltopdf(report, batch))
                batches.append(PayApplicationBatch(
                    batch, functools.partial(self._pay_application_documents, report, batch, process),
                ))
                if len(batches) > 1:
                    yield batches[-2]
            if batches:
                yield batches[-1]

    @contextmanager
    def _start_wkhtmltopdf(self, report, records):
        """Start wkhtmltopdf on the HTML of the pay applications ``records``
        as ONE document, in its own process, without waiting for it. The
        document has no script to wait for: no print delay (1 s by default)."""
        if report.report_name in PAY_APPLICATION_REPORTS:
            for name in PAY_APPLICATION_FIGURES:
                records.mapped(name)
            for name in PAY_APPLICATION_LINE_FIGURES:
                records.line_ids.mapped(name)
        html = self._render_qweb_html(report, records.ids, data={"report_type": "pdf"})[0]
        args = self._build_wkhtmltopdf_args(report.get_paperformat(), self.env.context.get("landscape"))
        if "--javascript-delay" in args:
            position = args.index("--javascript-delay")
            args[position:position + 2] = ["--disable-javascript"]
        folder = tempfile.mkdtemp(prefix="report.pay_applications.")
        try:
            body = os.path.join(folder, "body.html")
            with open(body, "wb") as file:
                file.write(html)
            with open(os.path.join(folder, "messages.txt"), "wb") as messages:
                process = subprocess.Popen(
                    [_wkhtml().bin, *args, body, os.path.join(folder, "report.pdf")],
                    stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=messages,
                    env={**os.environ, **WKHTMLTOPDF_ENVIRONMENT},
                )
            try:
                yield WkhtmltopdfProcess(process, folder)
            finally:
                if process.poll() is None:
                    process.kill()
                    process.wait()
        finally:
            shutil.rmtree(folder, ignore_errors=True)

    def _wkhtmltopdf_result(self, process):
        """Wait for ``process`` and return its PDF; its failure is told as
        Odoo's own _run_wkhtmltopdf tells it (exit code 1 only warns)."""
        returncode = process.process.wait()
        with open(process.path("messages.txt"), encoding="utf-8", errors="replace") as file:
            messages = file.read()
        if returncode == 1:
            _logger.warning("wkhtmltopdf: %s", messages)
        elif returncode:
            if returncode == -11:
                message = self.env._(
                    "Wkhtmltopdf failed (error code: %(error_code)s). Memory limit too low or maximum file number "
                    "of subprocess reached. Message : %(message)s", error_code=returncode, message=messages[-1000:],
                )
            else:
                message = self.env._(
                    "Wkhtmltopdf failed (error code: %(error_code)s). Message: %(message)s",
                    error_code=returncode, message=messages[-1000:],
                )
            _logger.warning(message)
            raise UserError(message)
        with open(process.path("report.pdf"), "rb") as file:
            return file.read()

    def _pay_application_documents(self, report, records, process):
        """The PDF of the pay applications ``records`` rendered by
        ``process``, split by the page count each announces."""
        pdf = self._wkhtmltopdf_result(process)
        page_count = len(PdfReader(io.BytesIO(pdf)).pages)
        if len(records) == 1:
            return [(pdf, [(records, 0, page_count)])]
        counts = [getattr(record, SELF_PAGED_REPORTS[report.report_name])() for record in records]
        if page_count != sum(counts):
            _logger.warning(
                "Pay applications %s took %s pages instead of %s: rendering them one by one.",
                records.mapped("display_name"), page_count, sum(counts),
            )
            return [document for record in records for document in self._render_pay_application_alone(report, record)]
        starts = [sum(counts[:position]) for position in range(len(counts))]
        return [(pdf, list(zip(records, starts, counts, strict=True)))]

    def _render_pay_application_alone(self, report, record):
        with self._start_wkhtmltopdf(report, record) as process:
            return self._pay_application_documents(report, record, process)

    def _get_rendering_context(self, report, docids, data):
        """Pay applications write their numbers with ``numbers``, the
        language's NumberFormat read once for the whole rendering."""
        values = super()._get_rendering_context(report, docids, data)
        if report.report_name in PAY_APPLICATION_REPORTS:
            values["numbers"] = NumberFormat(get_lang(self.env))
        return values

    def _render_qweb_pdf_prepare_streams(self, report_ref, data, res_ids=None):
        report = self._get_report(report_ref)
        if report.report_name not in SELF_PAGED_REPORTS or not res_ids:
            return super()._render_qweb_pdf_prepare_streams(report_ref, data, res_ids=res_ids)
        records = self.env[report.model].browse(list(dict.fromkeys(res_ids)))
        streams = {}
        for batch in self._render_pay_applications(report, records):
            for pdf, ranges in batch.documents():
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
