"""Benchmark of the bad input budgets of compiled backups (progress_billing/readme/CONFIGURE.md, "Backups").

For each generated hostile file (a 20,000 × 20,000 PNG of a few dozen
kilobytes, a PDF whose page tree references one page 50,000 times, the same
claiming 3 pages, a Flate stream of 200 MB of spaces) and a sound 50-page PDF,
it adds the file to a backup as an attachment, the way the compile does
(``report/backup_pdf.py``, no database needed), and prints the reason it was
skipped (or its pages), the time, the peak of Python allocations (tracemalloc)
and the growth of the process's peak resident set. Run it from the repository
root with the addon's Python environment:

    source scripts/lib.sh && prepare_all
    PYTHONPATH=/opt/odoo-19.0 "$PB_VENV/bin/python" bench/backup_budgets.py
"""

import importlib.util
import io
import pathlib
import resource
import time
import tracemalloc

ROOT = pathlib.Path(__file__).resolve().parent.parent / "progress_billing"


def load(relative):
    """A module of the addon loaded by its path (the addon is not importable outside Odoo)."""
    spec = importlib.util.spec_from_file_location(relative.stem, ROOT / relative)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


backup_pdf = load(pathlib.Path("report/backup_pdf.py"))
samples = load(pathlib.Path("tests/pdf_samples.py"))

REASONS = {
    "unsupported": "not a PDF, PNG or JPEG file",
    "damaged": "damaged or unreadable",
    "encrypted": "protected by a password",
    "empty": "has no pages",
    "image_too_large": "an image of {width} × {height} pixels, above the limit of {limit} megapixels",
    "too_many_pages": "more than {limit} pages",
    "bomb": "a part of it decompresses to more than {limit} MB",
    "page_budget": "the backup already holds its limit of {limit} pages of attachments",
}


def main():
    files = [
        ("20,000 × 20,000 PNG named .pdf", samples.huge_png()),
        ("page tree of 50,000 pages", samples.page_tree_bomb()),
        ("page tree of 50,000 pages claiming 3", samples.page_tree_bomb(claimed_count=3)),
        ("Flate stream of 200 MB", samples.flate_bomb()),
        ("sound PDF of 50 pages", samples.sample_pdf("Sound", 50)),
    ]
    print(f"{'file':40} {'size':>9} {'time s':>7} {'py peak MB':>10} {'rss growth MB':>13}  result")
    for title, data in files:
        rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        tracemalloc.start()
        start = time.perf_counter()
        entry = backup_pdf.BackupBuilder(io.BytesIO()).add_attachment(title, data, REASONS)
        elapsed = time.perf_counter() - start
        _current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        rss_growth = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - rss_before) / 1024
        result = f"{entry.page_count} pages" if entry.included else f"skipped: {entry.note}"
        print(f"{title:40} {len(data):>9} {elapsed:>7.2f} {peak / 2**20:>10.1f} {rss_growth:>13.1f}  {result}")


main()
