"""Files for the backup tests: PDFs with known text on each page, encrypted
and damaged PDFs, images; and reading a PDF back (pypdf and pdftotext)."""

import io
import subprocess

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
