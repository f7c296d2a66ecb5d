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
merging on the 2 cores), with its floor (b') / (b' + c): the compile
renders what (b') renders, so it takes at least as long. Peak memory is
the growth of the process's peak resident set during the compile (Linux
/proc; target: at most 64 MB whatever N).

Each part also prints the CPU seconds it took in this Python process and in
its child processes (wkhtmltopdf, qpdf), so that a
reader sees whether the machine had the cores it needed: the CPU seconds of
all of them over the wall time is the number of cores busy on average (at
most 2 on 2 cores; far below when other work shares the machine).

With PB_BENCH_PROFILE=1, each N is compiled once more (untimed) under cProfile
and Odoo's profiler with the SQL collector, and the bench prints where the
time goes: the functions with the most cumulative and own time, and the
queries (count, time, the code that ran them).

With PB_BENCH_WORKERS=<n> (e.g. 100), it then times two queued backups of n
invoices each compiled by the scheduled action's method run in one process,
then in two processes at once (two cron workers on one database, each in
its own process, as with ``--workers 2 --max-cron-threads 2`` or two
servers), each process warm (registry loaded, one pay application
rendered) before all start. That part COMMITS its invoices and backups: run
it in a scratch database. With PB_BENCH_SIZES= (empty) it runs alone: about
13 minutes for n = 100 on the 2-core machine under load 7, 6 of them
creating the 200 invoices.

A warm-up compile of one invoice runs first (the first compile of a process
also compiles the QWeb templates and loads fonts, about 1.5 s). Everything
else is rolled back at the end. Run it from the repository root, in a
database where progress_billing is installed:

    source scripts/lib.sh && prepare_all
    PB_BENCH_SIZES=10,50,200 odoo_bin shell -d <db> --no-http --log-level warn < bench/compile_backups.py
"""

import cProfile
import gc
import io
import json
import os
import pstats
import random
import resource
import subprocess
import sys
import tempfile
import time

from PIL import Image
from pypdf import PdfReader
from reportlab import rl_config
from reportlab.lib.pagesizes import letter
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen import canvas

from odoo import Command, fields
from odoo.tools import config
from odoo.tools.profiler import Profiler

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


def bench_project(env, name):
    """A project with an open billing period of this month, and the product
    and subcontractor its commitments use."""
    today = fields.Date.today()
    project = env["project.project"].create({"name": name})
    period = env["progress.billing.period"].create({
        "project_id": project.id, "date_start": today.replace(day=1), "date_end": today, "date_due": today,
    })
    period.action_open()
    product = env["product.product"].create({"name": "Bench work", "type": "service", "taxes_id": False})
    partner = env["res.partner"].create({"name": "Bench Subcontractor Inc."})
    return project, period, product, partner


def commitment_values(project, product, partner, number):
    """A commitment of LINES_PER_INVOICE lines of 10,000 to 15,500."""
    return {
        "is_commitment": True, "partner_id": partner.id, "project_id": project.id, "retainage_rate": 10,
        "order_line": [
            Command.create({
                "product_id": product.id, "name": f"Scope {line + 1:02d} of commitment {number + 1}",
                "product_qty": 1, "price_unit": 10_000 + 500 * line, "tax_ids": False,
            })
            for line in range(LINES_PER_INVOICE)
        ],
    }


def build_invoices(env, count, scans):
    project, period, product, partner = bench_project(env, f"Bench Tower {count}")
    invoices = env["progress.billing.sub.invoice"]
    attachments = []
    for number in range(count):
        commitment = env["purchase.order"].create(commitment_values(project, product, partner, number))
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


def cpu_seconds():
    """CPU seconds (user + system) used so far by this process and by its
    children that ended (wkhtmltopdf, qpdf, worker processes)."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime, children.ru_utime + children.ru_stime


class Timer:
    """Wall time and CPU seconds of this process and of its children over a block."""

    def __enter__(self):
        self.start, self.cpu_start = time.perf_counter(), cpu_seconds()
        return self

    def __exit__(self, *_exc):
        self.wall = time.perf_counter() - self.start
        self.python, self.children = (end - start for end, start in zip(cpu_seconds(), self.cpu_start, strict=True))


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
    with Timer() as compile_timer:
        compiled = Backup._compile(invoices)
    peak_rss = memory_kb("VmHWM") - rss_before

    with tempfile.TemporaryDirectory() as folder:
        # (b') all reports the way the compile renders them
        ordered = Backup._ordered(invoices)
        env.invalidate_all()
        with Timer() as render_timer:
            ranges = render_batched(env, ordered, folder)

        # (c) qpdf merging the same files in the compile's order
        by_invoice = {}
        for attachment in attachments:
            by_invoice.setdefault(attachment.res_id, []).append(attachment._full_path(attachment.store_fname))
        pages_arguments = []
        for invoice in Backup._ordered(invoices):
            pages_arguments += [*ranges[invoice.id], *by_invoice[invoice.id]]
        with Timer() as qpdf_timer:
            subprocess.run(["qpdf", "--empty", "--pages", *pages_arguments, "--", os.path.join(folder, "merged.pdf")],
                           check=True)
        input_size = sum(os.path.getsize(path) for path in {*pages_arguments} if os.path.isfile(path)) / 1024

    # (b) each report alone, as printing one record does
    each_timer = None
    if os.environ.get("PB_BENCH_EACH") == "1":
        env.invalidate_all()
        with Timer() as each_timer:
            for invoice in invoices:
                Report._render_qweb_pdf(SUB_REPORT, invoice.ids)

    report_pages = sum(invoice._pay_application_page_count() for invoice in invoices)
    pages = report_pages + len(attachments) * PAGES_PER_ATTACHMENT
    with open(compiled._full_path(compiled.store_fname), "rb") as file:
        output_pages = len(PdfReader(file).pages)

    def line(label, timer):
        print(f"  {label:<42} {timer.wall:8.2f} s  {pages / timer.wall:8.1f} pages/s   "
              f"CPU: Python {timer.python:6.2f} s, children {timer.children:6.2f} s")

    print(f"\nN = {count}: {count} invoices ({report_pages} report pages), {len(attachments)} attachments "
          f"({len(attachments) * PAGES_PER_ATTACHMENT} pages), inputs {input_size / 1024:.1f} MB")
    line("(a)  compile", compile_timer)
    line("(b') reports, as the compile renders them", render_timer)
    line("(c)  qpdf --empty --pages", qpdf_timer)
    if each_timer is not None:
        line("(b)  reports, one wkhtmltopdf call each", each_timer)
    print(f"  compiled PDF: {output_pages} pages (cover included), {compiled.file_size / 1024 / 1024:.1f} MB")
    print(f"  peak memory of the compile: RSS {peak_rss / 1024:+.1f} MB (target <= +64 MB)")
    print(f"  compile CPU: Odoo {compile_timer.python:.2f} s + wkhtmltopdf {compile_timer.children:.2f} s "
          f"= {(compile_timer.python + compile_timer.children) / compile_timer.wall:.2f} cores busy on average")
    print(f"  compile / (b' + c) = {compile_timer.wall / (render_timer.wall + qpdf_timer.wall):.2f}   (target <= 0.8)")
    # the compile renders the same pay applications the same way before it copies the last batch's pages: it
    # cannot take less than (b'), so the ratio cannot fall below this, whatever the compile overlaps
    print(f"  floor of that ratio: (b') / (b' + c) = {render_timer.wall / (render_timer.wall + qpdf_timer.wall):.2f}")
    if each_timer is not None:
        print(f"  compile / (b + c)  = {compile_timer.wall / (each_timer.wall + qpdf_timer.wall):.2f}")
    print(f"  compile per invoice: {compile_timer.wall / count * 1000:.0f} ms")
    if os.environ.get("PB_BENCH_PROFILE") == "1":
        profile_compile(env, invoices)
    return compile_timer.wall


def profile_compile(env, invoices):
    """Compile ``invoices`` once more under cProfile and Odoo's profiler (SQL
    collector) and print where the time goes."""
    env.invalidate_all()
    profile = cProfile.Profile()
    with Profiler(collectors=["sql"], db=None, description="compile") as odoo_profiler:
        profile.enable()
        env["progress.billing.backup"]._compile(invoices)
        profile.disable()
    print(f"\n  profile of one more compile of {len(invoices)} invoices (cProfile, Odoo's SQL collector):")
    stats = pstats.Stats(profile, stream=sys.stdout)
    stats.sort_stats("cumulative").print_stats(30)
    stats.sort_stats("tottime").print_stats(20)
    queries = odoo_profiler.collectors[0]._entries
    print(f"  SQL: {len(queries)} queries, {sum(entry['time'] for entry in queries):.2f} s")
    by_caller = {}
    for entry in queries:
        frames = [frame for frame in entry["stack"] if "progress_billing" in frame[0]]
        caller = ", ".join(f"{frame[2]}:{frame[1]}" for frame in frames[-2:]) or "(outside progress_billing)"
        count, seconds = by_caller.get(caller, (0, 0.0))
        by_caller[caller] = (count + 1, seconds + entry["time"])
    print("  queries by the innermost progress_billing frames that ran them (count, seconds):")
    for caller, (count, seconds) in sorted(by_caller.items(), key=lambda item: -item[1][1])[:15]:
        print(f"    {count:6d} {seconds:7.3f} s  {caller}")


WORKER = """
import json, os, resource, time


def cpu():
    own, children = (resource.getrusage(who) for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN))
    return [own.ru_utime + own.ru_stime, children.ru_utime + children.ru_stime]


Backup = env["progress.billing.backup"]
# warm, as a cron worker that has run before: QWeb templates compiled and fonts loaded
env["ir.actions.report"]._render_qweb_pdf("%(report)s", [%(invoice)s])
env.cr.rollback()
env.invalidate_all()
print("READY", flush=True)
while not os.path.exists("%(go)s"):  # every worker starts at once
    time.sleep(0.01)
started, cpu_started = time.time(), cpu()
while Backup._claim_batch():  # until this worker finds nothing to claim (a failed batch waits for its retry)
    env.cr.rollback()
    Backup._cron_compile_queued()
    env.cr.commit()
ended = time.time()
own, children = (end - start for end, start in zip(cpu(), cpu_started))
print("CPU " + json.dumps([own, children, started, ended]))
"""


def build_selection(env, count, scans):
    """The invoices of ``build_invoices`` (one commitment of 12 lines each,
    a quarter of each line billed, 3 five-page scans attached), created in
    batches: the commitments in one ``create``, the invoices in another, E
    written once per amount and the attachments 30 at a time. The
    scans' JPEG is embedded as is (DCTDecode, as scanners write it) instead
    of ASCII85-encoded, which reportlab does in pure Python here: 0.3 s of
    CPU per attachment, most of the time 600 attachments took."""
    project, period, product, partner = bench_project(env, f"Bench Tower {count} (workers)")
    commitments = env["purchase.order"].create([
        commitment_values(project, product, partner, number) for number in range(count)
    ])
    invoices = env["progress.billing.sub.invoice"].create(
        [{"purchase_order_id": commitment.id, "period_id": period.id} for commitment in commitments]
    )
    for scheduled_value, lines in invoices.line_ids.grouped("scheduled_value").items():
        lines.work_this_period = scheduled_value / 4
    a85 = rl_config.useA85
    rl_config.useA85 = 0
    try:
        for first in range(0, count, 10):  # 30 files at a time, within the shell's limit_memory_hard
            env["ir.attachment"].create([
                {
                    "name": f"Backup {number + 1}-{position + 1}.pdf",
                    "raw": attachment_pdf(f"Invoice {number + 1} document {position + 1}", scans),
                    "res_model": invoice._name, "res_id": invoice.id,
                }
                for number, invoice in enumerate(invoices[first:first + 10], start=first)
                for position in range(ATTACHMENTS_PER_INVOICE)
            ])
            # reportlab's canvases are reference cycles holding each page's decoded scan (1.6 MB): with
            # Odoo's gc thresholds (odoo/init.py) they outlive the memory limit unless collected
            env.invalidate_all()
            gc.collect()
    finally:
        rl_config.useA85 = a85
    env.flush_all()
    return invoices


def bench_workers(env, count, scans):
    """Two queued backups of ``count`` invoices, compiled by the scheduled
    action's method in one process, then (queued again) in two processes at
    once. Each worker process first loads the registry and renders one pay
    application (a running cron worker has its QWeb templates compiled),
    then waits until every worker is ready: the time is from then until the
    last worker finds nothing more to claim. Prints that wall time and the
    CPU seconds over it of the workers (Odoo) and of their wkhtmltopdf
    processes, with the load average: on
    2 cores, about 2 cores busy means the machine was the limit. Commits."""
    start = time.perf_counter()
    selections = [build_selection(env, count, scans) for _backup in range(2)]
    env.cr.commit()
    print(f"\n{2 * count} invoices and {2 * count * ATTACHMENTS_PER_INVOICE} attachments created in "
          f"{time.perf_counter() - start:.0f} s")
    command = [
        sys.executable, sys.argv[0], "shell", "-d", env.cr.dbname, "--no-http", "--log-level", "warn",
        "--addons-path", ",".join(config["addons_path"]),
    ]
    print(f"\n2 queued backups of {count} invoices each, compiled by the scheduled action's method "
          f"({os.cpu_count()} cores):")
    for workers in (1, 2):
        backups = env["progress.billing.backup"].browse([
            env["progress.billing.backup"]._queue(invoices).id for invoices in selections
        ])
        env.cr.commit()
        with tempfile.TemporaryDirectory() as folder:
            go = os.path.join(folder, "go")
            script = WORKER % {"report": SUB_REPORT, "invoice": selections[0][:1].id, "go": go}
            processes = [subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
                         for _worker in range(workers)]
            for process in processes:  # every worker gets its script before any is waited for
                process.stdin.write(script)
                process.stdin.close()
            for process in processes:
                while (line := process.stdout.readline()) and not line.startswith("READY"):
                    pass
            open(go, "w").close()
            odoo = wkhtmltopdf = 0.0
            spans = []
            for process in processes:
                # its stdin is closed already, which communicate() would flush (ValueError): read, then wait
                output = process.stdout.read()
                if process.wait():
                    raise RuntimeError(f"a worker exited with status {process.returncode}")
                own, children, started, ended = json.loads(output.rsplit("CPU ", 1)[1])
                odoo, wkhtmltopdf = odoo + own, wkhtmltopdf + children
                spans.append((started, ended))
        elapsed = max(end for _start, end in spans) - min(start for start, _end in spans)
        backups.invalidate_recordset()
        print(f"  {workers} worker(s): {elapsed:6.1f} s  (states {backups.mapped('state')}, "
              f"{sum(backups.mapped('page_count'))} pages)  CPU: Odoo {odoo:.1f} s, "
              f"wkhtmltopdf {wkhtmltopdf:.1f} s = {(odoo + wkhtmltopdf) / elapsed:.2f} cores busy "
              f"on average; load average {os.getloadavg()[0]:.1f}")


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
