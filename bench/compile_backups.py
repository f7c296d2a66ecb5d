"""Benchmark of Compile Progress Billing Backups.

For each N (default 10, 50, 200) it builds N subcontractor invoices (12 lines
each) with 3 PDF attachments of 5 pages (a scanned-like image and a line of
text per page), then, in the same run, times:

  (a)  compiling them: ``progress.billing.backup._compile`` (the whole feature);
  (b') rendering the same pay applications the way the compile does
       (``_render_pay_applications``: at most 50 invoices per wkhtmltopdf call),
       without merging;
  (c)  ``qpdf --empty --pages`` merging the rendered pay applications (page
       ranges of (b')) and the attachments, in the compile's order, into one PDF;
  (b)  with PB_BENCH_EACH=1 only: rendering each pay application alone, one
       wkhtmltopdf call per invoice (what printing one record does);

and prints times, pages per second, peak memory and the ratio compile /
(b' + c) (target: at most 0.8, the compile overlapping rendering and
merging on the 2 cores). Peak memory is the growth of the process's peak
resident set during the compile (Linux /proc; target: at most 64 MB
whatever N).

With PB_BENCH_WORKERS=<n> (e.g. 100), it then times two queued backups of n
invoices each compiled by the scheduled action's method run in one process,
then in two processes at once (two cron workers on one database, each in
its own process, as with ``--workers 2 --max-cron-threads 2`` or two
servers). That part COMMITS its invoices and backups: run it in a scratch
database.

A warm-up compile of one invoice runs first (the first compile of a process
also compiles the QWeb templates and loads fonts, about 1.5 s). Everything
else is rolled back at the end. Run it from the repository root, in a
database where progress_billing is installed:

    source scripts/lib.sh && prepare_all
    PB_BENCH_SIZES=10,50,200 odoo_bin shell -d <db> --no-http --log-level warn < bench/compile_backups.py
"""

import io
import os
import random
import subprocess
import sys
import tempfile
import time

from PIL import Image
from pypdf import PdfReader
from reportlab.lib.pagesizes import letter
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen import canvas

from odoo import Command, fields
from odoo.tools import config

SUB_REPORT = "progress_billing.action_report_sub_invoice"
SIZES = [int(size) for size in os.environ.get("PB_BENCH_SIZES", "10,50,200").split(",") if size]
LINES_PER_INVOICE = 12
ATTACHMENTS_PER_INVOICE = 3
PAGES_PER_ATTACHMENT = 5


def scan_image(seed):
    """A 900x600 JPEG that compresses like a photographed page (noise on a gradient)."""
    rng = random.Random(seed)
    image = Image.linear_gradient("L").resize((900, 600)).convert("RGB")
    noise = Image.frombytes("RGB", (300, 200), bytes(rng.getrandbits(8) for _ in range(300 * 200 * 3)))
    image = Image.blend(image, noise.resize((900, 600)), 0.35)
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=70)
    return buffer.getvalue()


def attachment_pdf(label, scans):
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=letter, invariant=1)
    for number in range(PAGES_PER_ATTACHMENT):
        pdf.drawString(72, 740, f"{label} page {number + 1}")
        pdf.drawImage(ImageReader(io.BytesIO(scans[number % len(scans)])), 72, 300, 468, 312)
        pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def build_invoices(env, count, scans):
    today = fields.Date.today()
    project = env["project.project"].create({"name": f"Bench Tower {count}"})
    period = env["progress.billing.period"].create({
        "project_id": project.id, "date_start": today.replace(day=1), "date_end": today, "date_due": today,
    })
    period.action_open()
    product = env["product.product"].create({"name": "Bench work", "type": "service", "taxes_id": False})
    partner = env["res.partner"].create({"name": "Bench Subcontractor Inc."})
    invoices = env["progress.billing.sub.invoice"]
    attachments = []
    for number in range(count):
        commitment = env["purchase.order"].create({
            "is_commitment": True, "partner_id": partner.id, "project_id": project.id, "retainage_rate": 10,
            "order_line": [
                Command.create({
                    "product_id": product.id, "name": f"Scope {line + 1:02d} of commitment {number + 1}",
                    "product_qty": 1, "price_unit": 10_000 + 500 * line, "tax_ids": False,
                })
                for line in range(LINES_PER_INVOICE)
            ],
        })
        invoice = env["progress.billing.sub.invoice"].create(
            {"purchase_order_id": commitment.id, "period_id": period.id}
        )
        for line in invoice.line_ids:
            line.work_this_period = line.scheduled_value / 4
        for position in range(ATTACHMENTS_PER_INVOICE):
            attachments.append(env["ir.attachment"].create({
                "name": f"Backup {number + 1}-{position + 1}.pdf",
                "raw": attachment_pdf(f"Invoice {number + 1} document {position + 1}", scans),
                "res_model": invoice._name, "res_id": invoice.id,
            }))
        invoices |= invoice
    env.flush_all()
    return invoices, attachments


def memory_kb(field):
    with open("/proc/self/status") as status:
        return next(int(line.split()[1]) for line in status if line.startswith(field))


def reset_peak_rss():
    """Linux: make VmHWM (peak resident set) restart from the current size."""
    with open("/proc/self/clear_refs", "w") as clear_refs:
        clear_refs.write("5")


def render_batched(env, invoices, folder):
    """(b'): the pay applications rendered as the compile renders them, one
    batch after the other; returns the PDF files and, per invoice, its file
    and page range (for qpdf)."""
    files, ranges = [], {}
    for batch in env["ir.actions.report"]._render_pay_applications(SUB_REPORT, invoices):
        for pdf, documents in batch.documents():
            files.append(os.path.join(folder, f"batch{len(files)}.pdf"))
            with open(files[-1], "wb") as file:
                file.write(pdf)
            for invoice, first_page, page_count in documents:
                ranges[invoice.id] = (files[-1], f"{first_page + 1}-{first_page + page_count}")
    return ranges


def bench(env, count, scans):
    invoices, attachments = build_invoices(env, count, scans)
    Backup = env["progress.billing.backup"]
    Report = env["ir.actions.report"]

    # (a) the compile (templates compiled and fonts loaded by the warm-up); each
    # timing starts with nothing computed in the cache (the G702 figures the
    # reports show)
    env.invalidate_all()
    rss_before = memory_kb("VmRSS")
    reset_peak_rss()
    start = time.perf_counter()
    compiled = Backup._compile(invoices)
    compile_time = time.perf_counter() - start
    peak_rss = memory_kb("VmHWM") - rss_before

    with tempfile.TemporaryDirectory() as folder:
        # (b') all reports the way the compile renders them
        ordered = Backup._ordered(invoices)
        env.invalidate_all()
        start = time.perf_counter()
        ranges = render_batched(env, ordered, folder)
        render_batched_time = time.perf_counter() - start

        # (c) qpdf merging the same files in the compile's order
        by_invoice = {}
        for attachment in attachments:
            by_invoice.setdefault(attachment.res_id, []).append(attachment._full_path(attachment.store_fname))
        pages_arguments = []
        for invoice in Backup._ordered(invoices):
            pages_arguments += [*ranges[invoice.id], *by_invoice[invoice.id]]
        start = time.perf_counter()
        subprocess.run(["qpdf", "--empty", "--pages", *pages_arguments, "--", os.path.join(folder, "merged.pdf")],
                       check=True)
        merge_qpdf = time.perf_counter() - start
        input_size = sum(os.path.getsize(path) for path in {*pages_arguments} if os.path.isfile(path)) / 1024

    # (b) each report alone, as printing one record does
    render_each = None
    if os.environ.get("PB_BENCH_EACH") == "1":
        env.invalidate_all()
        start = time.perf_counter()
        for invoice in invoices:
            Report._render_qweb_pdf(SUB_REPORT, invoice.ids)
        render_each = time.perf_counter() - start

    report_pages = sum(invoice._pay_application_page_count() for invoice in invoices)
    pages = report_pages + len(attachments) * PAGES_PER_ATTACHMENT
    with open(compiled._full_path(compiled.store_fname), "rb") as file:
        output_pages = len(PdfReader(file).pages)

    def line(label, seconds):
        print(f"  {label:<42} {seconds:8.2f} s  {pages / seconds:8.1f} pages/s")

    print(f"\nN = {count}: {count} invoices ({report_pages} report pages), {len(attachments)} attachments "
          f"({len(attachments) * PAGES_PER_ATTACHMENT} pages), inputs {input_size / 1024:.1f} MB")
    line("(a)  compile", compile_time)
    line("(b') reports, as the compile renders them", render_batched_time)
    line("(c)  qpdf --empty --pages", merge_qpdf)
    if render_each is not None:
        line("(b)  reports, one wkhtmltopdf call each", render_each)
    print(f"  compiled PDF: {output_pages} pages (cover included), {compiled.file_size / 1024 / 1024:.1f} MB")
    print(f"  peak memory of the compile: RSS {peak_rss / 1024:+.1f} MB (target <= +64 MB)")
    print(f"  compile / (b' + c) = {compile_time / (render_batched_time + merge_qpdf):.2f}   (target <= 0.8)")
    if render_each is not None:
        print(f"  compile / (b + c)  = {compile_time / (render_each + merge_qpdf):.2f}")
    print(f"  compile per invoice: {compile_time / count * 1000:.0f} ms")
    return compile_time


def bench_workers(env, count, scans):
    """Two queued backups of ``count`` invoices, compiled by the scheduled
    action's method in one process, then (queued again) in two processes at
    once. Commits."""
    selections = [build_invoices(env, count, scans)[0] for _backup in range(2)]
    command = [
        sys.executable, sys.argv[0], "shell", "-d", env.cr.dbname, "--no-http", "--log-level", "warn",
        "--addons-path", ",".join(config["addons_path"]),
    ]
    worker = (  # until this worker finds nothing to claim (a failed batch waits for its retry)
        "Backup = env['progress.billing.backup']\n"
        "while Backup._claim_batch():\n"
        "    env.cr.rollback()\n"
        "    Backup._cron_compile_queued()\n"
        "    env.cr.commit()\n"
    )
    print(f"\n2 queued backups of {count} invoices each, compiled by the scheduled action's method:")
    for workers in (1, 2):
        backups = env["progress.billing.backup"].browse([
            env["progress.billing.backup"]._queue(invoices).id for invoices in selections
        ])
        env.cr.commit()
        start = time.perf_counter()
        processes = [subprocess.Popen(command, stdin=subprocess.PIPE, text=True) for _worker in range(workers)]
        for process in processes:
            process.communicate(worker)
        elapsed = time.perf_counter() - start
        backups.invalidate_recordset()
        print(f"  {workers} worker(s): {elapsed:6.1f} s  "
              f"(states {backups.mapped('state')}, {sum(backups.mapped('page_count'))} pages)")


scans = [scan_image(seed) for seed in range(4)]
env = env(context=dict(env.context, tracking_disable=True))  # noqa: F821 - given by odoo shell
# warm-up: the first compile of a process compiles the QWeb templates and loads the fonts
env["progress.billing.backup"]._compile(build_invoices(env, 1, scans)[0])
env.cr.rollback()
env.invalidate_all()
print(f"wkhtmltopdf: {subprocess.run(['wkhtmltopdf', '--version'], capture_output=True, text=True).stdout.strip()}")
costs = {}
for size in SIZES:
    costs[size] = bench(env, size, scans)
    env.cr.rollback()
    env.invalidate_all()
if len(costs) > 1:
    print("\nlinearity: compile seconds per invoice " + ", ".join(
        f"N={size}: {seconds / size:.3f}" for size, seconds in costs.items()))
if os.environ.get("PB_BENCH_WORKERS"):
    bench_workers(env, int(os.environ["PB_BENCH_WORKERS"]), scans)
