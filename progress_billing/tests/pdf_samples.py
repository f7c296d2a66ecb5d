# Copyright 2026 Progress Billing Developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

"""Files for the backup tests: PDFs with known text on each page, encrypted
and damaged PDFs, images; and reading a PDF back (pypdf and pdftotext)."""

import base64
import io
import struct
import subprocess
import zlib

from PIL import Image
from pypdf import PdfReader, PdfWriter
from reportlab.lib.pagesizes import letter
from reportlab.pdfgen import canvas


def sample_pdf(label, pages=1):
    """A PDF whose page n reads "<label> page n"."""
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=letter, invariant=1)
    for number in range(1, pages + 1):
        pdf.drawString(72, 700, f"{label} page {number}")
        pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def encrypted_pdf(label, user_password="secret"):
    """A PDF protected by ``user_password`` (empty: only an owner password,
    readable by anyone)."""
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(sample_pdf(label))))
    writer.encrypt(user_password=user_password, owner_password="owner", algorithm="AES-128")
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


DAMAGED_PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 9 0 R\nthis is not a PDF any more"


def sample_image(kind="PNG", size=(640, 400)):
    buffer = io.BytesIO()
    Image.new("RGB", size, (40, 110, 190)).save(buffer, kind)
    return buffer.getvalue()


def pdf_page_texts(data):
    """The text of each page, read by pdftotext (poppler), whitespace collapsed."""
    text = subprocess.run(["pdftotext", "-", "-"], input=data, capture_output=True, check=True).stdout.decode()
    return [" ".join(page.split()) for page in text.split("\f")[:-1]]


def pdf_outline(data):
    """The bookmarks as [(title, page number from 1, [children])], read from
    the outline dictionaries (pypdf's outline helpers trip on the unwrapping
    ``DictionaryObject.get`` that odoo.tools.pdf installs)."""
    reader = PdfReader(io.BytesIO(data))
    page_numbers = {page.indirect_reference.idnum: number for number, page in enumerate(reader.pages, start=1)}

    def walk(item):
        items = []
        while item is not None:
            children = walk(item["/First"]) if "/First" in item else []
            items.append((str(item["/Title"]), page_numbers[item["/Dest"][0].idnum], children))
            item = item["/Next"] if "/Next" in item else None
        return items

    root = reader.trailer["/Root"]
    return walk(root["/Outlines"]["/First"]) if "/Outlines" in root else []


def huge_png(width=20_000, height=20_000):
    """A PNG whose header says ``width`` × ``height`` pixels (1-bit grey,
    all black): its rows deflate to a few kilobytes each megapixel, so the
    file stays small while decoding it would need gigabytes."""
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    row = b"\0" * (1 + (width + 7) // 8)
    deflater = zlib.compressobj(9)
    pixels = b"".join(deflater.compress(row) for _row in range(height)) + deflater.flush()
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")


def raw_pdf(objects):
    """A PDF made of ``objects`` (the bytes between "n 0 obj" and "endobj",
    numbered from 1, the first being the catalog) with its xref table."""
    out = io.BytesIO()
    out.write(b"%PDF-1.7\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n%s\nendobj\n" % (number, body))
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    out.write(b"".join(b"%010d 00000 n \n" % offset for offset in offsets))
    out.write(b"trailer\n<</Size %d /Root 1 0 R>>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))
    return out.getvalue()


def page_tree_bomb(fan_out=(200, 250), claimed_count=None):
    """A PDF of a few hundred bytes whose page tree references one page
    200 × 250 = 50,000 times: each level's /Kids repeats the same child.
    ``claimed_count``: the /Count its root claims (default: the truth)."""
    total = 1
    for width in fan_out:
        total *= width
    objects = [b"<</Type /Catalog /Pages 2 0 R>>"]
    below = total
    for level, width in enumerate(fan_out):
        below //= width
        child = 3 + level
        count = claimed_count if level == 0 and claimed_count is not None else below * width
        objects.append(b"<</Type /Pages /Count %d /Kids [%s]>>" % (count, b" ".join([b"%d 0 R" % child] * width)))
    objects.append(b"<</Type /Page /MediaBox [0 0 612 792]>>")
    return raw_pdf(objects)


def flate_bomb(inflated_mb=200, ascii85=False):
    """A one-page PDF whose content stream is ``inflated_mb`` MB of spaces
    deflated to about a thousandth of that; with ``ascii85``, then encoded in
    ASCII85 (filters /ASCII85Decode /FlateDecode, as reportlab writes)."""
    deflater = zlib.compressobj(9)
    block = b" " * (1 << 20)
    data = b"".join(deflater.compress(block) for _block in range(inflated_mb)) + deflater.flush()
    filters = b"/FlateDecode"
    if ascii85:
        data, filters = base64.a85encode(data, adobe=True), b"[/ASCII85Decode /FlateDecode]"
    return raw_pdf([
        b"<</Type /Catalog /Pages 2 0 R>>",
        b"<</Type /Pages /Count 1 /Kids [3 0 R]>>",
        b"<</Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R>>",
        b"<</Length %d /Filter %s>>\nstream\n%s\nendstream" % (len(data), filters, data),
    ])
