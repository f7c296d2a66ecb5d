# Copyright 2026 Progress Billing Developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

"""Assembly of a compiled progress billing backup: one PDF made of pay
applications and their attachments, with a cover page indexing every
document and an outline (bookmarks).

Pure Python (pypdf, reportlab, Pillow): no Odoo import, so it is unit tested
on its own and could run in any worker.

Memory stays bounded: pages are copied object by object straight into the
output file (``PdfPageStream``), so only the source being copied is held in
memory, never the whole result. Page order is decided by the page tree written
last, which lets the cover (built once every page number is known) come first.

Uploaded files are untrusted (readme/CONFIGURE.md, "Backups", budgets for uploaded files): an attachment is
copied only within a ``Budget`` (pixels of an image, pages of a PDF counted
without materialising its page tree, bytes its streams decompress to, pages of
the whole backup); past it, the attachment is listed as skipped with the
reason, and the compile goes on.
"""

import functools
import io
import itertools
import logging
import os
import re
import zlib
from contextlib import ExitStack, contextmanager, suppress
from dataclasses import asdict, dataclass, field

from PIL import Image, ImageOps, JpegImagePlugin, PngImagePlugin, UnidentifiedImageError
from pypdf import PasswordType, PdfReader
from pypdf.errors import PdfStreamError
from pypdf.filters import ASCII85Decode, ASCIIHexDecode
from pypdf.generic import (
    ArrayObject,
    BooleanObject,
    DictionaryObject,
    IndirectObject,
    NameObject,
    NumberObject,
    StreamObject,
    TextStringObject,
)
from reportlab import rl_config
from reportlab.lib import colors
from reportlab.lib.pagesizes import landscape, letter
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import inch
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

_logger = logging.getLogger(__name__)

PDF_MAGIC = b"%PDF-"
IMAGE_MAGICS = {b"\x89PNG\r\n\x1a\n": "PNG", b"\xff\xd8\xff": "JPEG"}
# the plug-ins read the header only: unlike Image.open, they do not refuse a huge image before we can say how huge
IMAGE_HEADER_READERS = {"PNG": PngImagePlugin.PngImageFile, "JPEG": JpegImagePlugin.JpegImageFile}
FLATE_FILTERS = ("/FlateDecode", "/Fl")
# encodings of binary data as ASCII, undone before a Flate filter that follows them
ASCII_FILTERS = {
    "/ASCII85Decode": ASCII85Decode, "/A85": ASCII85Decode, "/ASCIIHexDecode": ASCIIHexDecode, "/AHx": ASCIIHexDecode,
}
INFLATE_CHUNK = 1 << 20
EXIF_ORIENTATION = 0x0112
# where the cover looks for a Unicode font before falling back to Helvetica (Latin-1 only)
UNICODE_FONT_DIRS = ("/usr/share/fonts/truetype/dejavu", "/usr/share/fonts/dejavu", "/usr/local/share/fonts")
# "Lien waiver (signed).pdf", "lien_waiver-Signed.pdf", "Signed - Lien waiver.pdf"; not "unsigned" or "designed"
SIGNED_SUFFIX = re.compile(r"^(?P<base>.*?)[\s_.\-(\[]*(?<![a-z])signed[\s)\]]*$", re.IGNORECASE)
SIGNED_PREFIX = re.compile(r"^signed[\s_.\-:)\]]+(?P<base>.+)$", re.IGNORECASE)
# one-line rows of the cover index on a page (US Letter, the margins and type
# sizes of _layout_cover): the first guess of how many pages the cover takes
COVER_LINES_PER_PAGE = 42


class SkippedDocument(Exception):
    """A document that cannot be put in the backup: ``kind`` says why (a key
    of the caller's reasons), ``details`` fill the placeholders of its reason."""

    def __init__(self, kind, **details):
        super().__init__(kind)
        self.kind = kind
        self.details = details


@dataclass(frozen=True)
class Budget:
    """What one untrusted attachment, and all of them in a backup, may cost
    (readme/CONFIGURE.md, "Backups": any uploaded file has a bounded cost in time and memory).

    - ``image_pixels``: width × height of an image; the caller passes Odoo's
      own limit (odoo.tools.image.IMAGE_MAX_RESOLUTION).
    - ``pages_per_attachment``: pages of one PDF, counted on its page tree
      before pypdf flattens it (a tree that references one page 50,000 times
      costs 50,000 page copies once flattened).
    - ``pages``: pages of attachments in the whole backup (pay applications
      are always included).
    - ``stream_bytes`` / ``inflated_bytes``: bytes one Flate stream, and all
      the streams of one attachment, decompress to; pypdf's own zlib limit is
      75 MB per stream.
    """

    image_pixels: int = 50_000_000
    pages_per_attachment: int = 2_000
    pages: int = 20_000
    stream_bytes: int = 75_000_000
    inflated_bytes: int = 300_000_000


@dataclass
class IndexEntry:
    """One line of the cover index: a pay application (level 0) or one of its
    attachments (level 1). ``first_page`` counts from 0 among the compiled
    pages (cover excluded); it is None when the document was skipped, and
    ``note`` then says why."""

    title: str
    level: int = 0
    first_page: int | None = None
    page_count: int = 0
    note: str = ""

    @property
    def included(self):
        return self.first_page is not None

    def to_dict(self):
        return asdict(self)


@dataclass
class CoverText:
    """Every word of the cover page, so that the caller can translate them."""

    title: str = "Progress Billing Backup"
    details: list = field(default_factory=list)
    skipped_summary: str = "{count} attachment(s) could not be included; the index below says why."
    document: str = "Document"
    pages: str = "Pages"
    page: str = "Page"
    not_included: str = "Not included: {reason}"
    cover_page: str = "Index, page {page} of {count}"


def signed_base_name(name):
    """The name of the document an attachment is the signed version of, or
    None when its name does not mark it as signed (decision: Procore uses the
    signed version of an attachment when one exists; ours is named so)."""
    stem = os.path.splitext(name or "")[0].strip()
    match = SIGNED_SUFFIX.match(stem) or SIGNED_PREFIX.match(stem)
    return _comparable_name(match["base"]) if match and match["base"].strip() else None


def _comparable_name(name):
    return re.sub(r"[\s_.\-]+", " ", os.path.splitext(name)[0]).strip().casefold()


def prefer_signed_versions(names):
    """For a list of attachment names, map the index of each attachment that
    has a signed version to the index of that signed version."""
    signed = {}
    for index, name in enumerate(names):
        base = signed_base_name(name)
        if base is not None:
            signed.setdefault(base, index)
    return {
        index: signed[_comparable_name(name)]
        for index, name in enumerate(names)
        if signed_base_name(name) is None and _comparable_name(name) in signed
    }


def sniff_kind(head):
    """'PDF', 'PNG', 'JPEG' or None from the first bytes of a file. PDF
    readers accept a header anywhere in the first kilobyte."""
    if PDF_MAGIC in head[:1024]:
        return "PDF"
    return next((kind for magic, kind in IMAGE_MAGICS.items() if head.startswith(magic)), None)


class PdfSource:
    """A PDF whose pages are copied into a ``PdfPageStream``. It remembers
    which of its objects are already written, so that fonts and images shared
    by its pages are written once however many calls copy them."""

    def __init__(self, data, budget=None):
        """``data``: bytes or a binary file object, read lazily (keep it open
        while pages are copied). ``budget``: a Budget for an untrusted file
        (None for the addon's own reports). Raises SkippedDocument when the
        PDF is unreadable, needs a password or is over budget."""
        if isinstance(data, bytes | bytearray):
            data = io.BytesIO(data)
        self.budget = budget
        self.inflated = 0
        try:
            self.reader = PdfReader(data, strict=False)
            if self.reader.is_encrypted and self.reader.decrypt("") == PasswordType.NOT_DECRYPTED:
                raise SkippedDocument("encrypted")
            if budget:
                count_pages(self.reader, budget.pages_per_attachment)
            self.page_count = len(self.reader.pages)
        except SkippedDocument:
            raise
        except Exception as error:  # noqa: BLE001 - pypdf raises many kinds of errors on damaged files
            _logger.info("Unreadable PDF skipped: %s", error)
            raise SkippedDocument("damaged") from error
        if not self.page_count:
            raise SkippedDocument("empty")
        self.written = {}

    def check_stream(self, stream):
        """Inflate a Flate stream of an untrusted PDF chunk by chunk, keeping
        nothing, to refuse a decompression bomb before any reader of the
        backup inflates it: the stream is copied still encoded. A stream
        encoded in ASCII before Flate (reportlab's default) is decoded from
        ASCII first, as a reader does: at most four times its encoded size,
        which is in memory already."""
        if not self.budget:
            return
        filters = stream.get("/Filter")
        filters = list(filters) if isinstance(filters, ArrayObject) else [filters]
        ascii_count = len(list(itertools.takewhile(ASCII_FILTERS.__contains__, filters)))
        if ascii_count == len(filters) or filters[ascii_count] not in FLATE_FILTERS:
            return
        data = stream._data
        for name in filters[:ascii_count]:
            try:
                data = ASCII_FILTERS[name].decode(data)
            except (ValueError, PdfStreamError):  # a reader cannot decode it either: nothing to inflate
                return
        limit = min(self.budget.stream_bytes, self.budget.inflated_bytes - self.inflated)
        size = inflated_size(data, limit)
        if size > limit:
            raise SkippedDocument("bomb", limit=self.budget.stream_bytes // 1_000_000)
        self.inflated += size

    def release(self):
        """Drop the parsed objects now: pypdf keeps them in reference cycles
        that only the cyclic garbage collector would free, which lets memory
        grow with every attachment of a large compile."""
        self.reader.resolved_objects.clear()
        self.reader.flattened_pages = None
        self.written.clear()


def count_pages(reader, limit):
    """The number of pages of the PDF, from its page tree walked the way pypdf
    flattens it but keeping nothing, or SkippedDocument past ``limit`` pages:
    a claimed /Count above it is refused unread, and the walk stops past
    ``limit`` pages or twice as many tree nodes (a tree that fans out onto the
    same pages, or loops)."""
    root = reader.trailer["/Root"].get_object()["/Pages"].get_object()
    claimed = root.get("/Count")
    if isinstance(claimed, int) and claimed > limit:
        raise SkippedDocument("too_many_pages", limit=limit)
    pages = visited = 0
    stack = [root]
    while stack:
        node = stack.pop().get_object()
        visited += 1
        if visited > 2 * limit + 16:
            raise SkippedDocument("too_many_pages", limit=limit)
        kind = node.get("/Type") or ("/Pages" if "/Kids" in node else "/Page")
        if kind == "/Pages":
            stack.extend(reversed(node.get("/Kids") or []))
        else:
            pages += 1
            if pages > limit:
                raise SkippedDocument("too_many_pages", limit=limit)
    return pages


def inflated_size(data, limit):
    """How many bytes zlib ``data`` inflates to, up to just past ``limit``:
    inflated in chunks that are dropped at once, so memory stays one chunk.
    A damaged stream counts what inflated before the damage."""
    inflater = zlib.decompressobj()
    size = 0
    with suppress(zlib.error):
        while data and size <= limit:
            size += len(inflater.decompress(data, INFLATE_CHUNK))
            data = inflater.unconsumed_tail
    return size


@contextmanager
def open_source(data, budget=None):
    """A PdfSource of bytes, or of the file at a path, read as pages are
    copied rather than all at once; released on exit."""
    with ExitStack() as stack:
        if not isinstance(data, bytes | bytearray):
            data = stack.enter_context(open(data, "rb"))
        source = PdfSource(data, budget)
        stack.callback(source.release)
        yield source


@functools.lru_cache(maxsize=4096)
def _name_bytes(name):
    return NameObject(name).renumber()


class PdfPageStream:
    """Writes a PDF to a binary file object, copying pages of sources one
    after the other; ``close`` writes the page tree, the outline and the
    cross-reference table. Objects are serialized as they are copied, so
    memory holds one source at a time whatever the size of the result."""

    HEADER = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"

    def __init__(self, out):
        self.out = out
        self.out.write(self.HEADER)
        self.offsets = [None]  # offset of each object by number; object 0 is the free list head
        self.catalog_number = self._new_number()
        self.pages_number = self._new_number()
        self.segments = []  # page object numbers, in runs kept in document order whatever order they are copied in

    def _new_number(self):
        self.offsets.append(None)
        return len(self.offsets) - 1

    def reserve(self):
        """A place at the end of the document for pages copied later with
        ``copy_pages(..., into=place)``: pages copied meanwhile come after it."""
        self.segments.append([])
        return self.segments[-1]

    def copy_pages(self, source, indices, front=False, into=None):
        """Copy the pages ``indices`` of ``source``, all or none (a failure
        leaves the output as it was), at the end of the document, or, with
        ``front``, before every page copied so far, or at a place made by
        ``reserve``. Returns the number of pages copied."""
        indices = list(indices)
        start_offset, start_count = self.out.tell(), len(self.offsets)
        new = {}
        try:
            copied = [self._copy_page(source, source.reader.pages[index], new) for index in indices]
        except Exception:
            self.out.seek(start_offset)
            self.out.truncate()
            del self.offsets[start_count:]
            raise
        source.written.update(new)
        if into is not None:
            into.extend(copied)
        elif front:
            self.segments.insert(0, copied)
        else:
            self.segments.append(copied)
        return len(copied)

    def _copy_page(self, source, page, new):
        """Write ``page`` (its inherited attributes already resolved by pypdf)
        under the output page tree, then every object it needs."""
        key = page.indirect_reference and (page.indirect_reference.idnum, page.indirect_reference.generation)
        if key and key not in source.written and key not in new:
            number = new[key] = self._new_number()
        else:  # copied twice, or a page without its own object: a new page sharing the resources
            number = self._new_number()
        queue = []
        parts = [b"<<"]
        for name, value in page.items():
            if name != "/Parent":
                parts += [_name_bytes(name), b" "]
                self._serialize(source, value, new, queue, parts)
                parts.append(b"\n")
        parts.append(b"/Parent %d 0 R>>" % self.pages_number)
        self._write(number, parts)
        while queue:
            object_number, original = queue.pop()
            self._write(object_number, self._serialize_object(source, original.get_object(), new, queue))
        return number

    def _serialize_object(self, source, obj, new, queue):
        parts = []
        if isinstance(obj, StreamObject):
            source.check_stream(obj)
            data = obj._data  # still encoded: copied as it is, never decoded
            self._serialize(
                source, DictionaryObject({key: value for key, value in obj.items() if key != "/Length"}),
                new, queue, parts,
            )
            parts[-1:] = [b"/Length %d>>\nstream\n" % len(data), data, b"\nendstream"]
        elif obj is None:
            parts.append(b"null")
        else:
            self._serialize(source, obj, new, queue, parts)
        return parts

    def _serialize(self, source, value, new, queue, parts):
        """Append the PDF syntax of ``value`` to ``parts`` with its references
        renumbered for the output; referenced objects not written yet are
        queued. References to pages that are not copied (links to left-out
        pages) become null."""
        if isinstance(value, IndirectObject):
            key = (value.idnum, value.generation)
            number = source.written.get(key) or new.get(key)
            if number is None:
                target = value.get_object()
                if isinstance(target, DictionaryObject) and target.get("/Type") in ("/Page", "/Pages"):
                    parts.append(b"null")
                    return
                number = new[key] = self._new_number()
                queue.append((number, value))
            parts.append(b"%d 0 R" % number)
        elif isinstance(value, NameObject):
            parts.append(_name_bytes(value))
        elif isinstance(value, DictionaryObject):
            parts.append(b"<<")
            for name, item in value.items():
                parts += [_name_bytes(name), b" "]
                self._serialize(source, item, new, queue, parts)
                parts.append(b"\n")
            parts.append(b">>")
        elif isinstance(value, ArrayObject):
            parts.append(b"[")
            for item in value:
                self._serialize(source, item, new, queue, parts)
                parts.append(b" ")
            parts.append(b"]")
        elif isinstance(value, NumberObject):
            parts.append(b"%d" % value)
        elif isinstance(value, BooleanObject):
            parts.append(b"true" if value.value else b"false")
        else:  # strings, reals, null: pypdf knows their escaping
            buffer = io.BytesIO()
            value.write_to_stream(buffer)
            parts.append(buffer.getvalue())

    def _write(self, number, parts):
        self.offsets[number] = self.out.tell()
        self.out.write(b"%d 0 obj\n%s\nendobj\n" % (number, b"".join(parts)))

    def _write_pdf_object(self, number, obj):
        buffer = io.BytesIO()
        obj.write_to_stream(buffer)
        self._write(number, [buffer.getvalue()])

    def close(self, outline=(), title=None):
        """Write the page tree, the ``outline`` (a list of (title, page index,
        children) triples) and the trailer. Returns the number of pages."""
        page_numbers = [number for segment in self.segments for number in segment]
        kids = " ".join(f"{number} 0 R" for number in page_numbers).encode()
        self._write(self.pages_number, [b"<</Type /Pages /Count %d /Kids [%s]>>" % (len(page_numbers), kids)])
        catalog = [b"<</Type /Catalog /Pages %d 0 R" % self.pages_number]
        if outline:
            catalog.append(b" /Outlines %d 0 R /PageMode /UseOutlines" % self._write_outline(outline, page_numbers))
        self._write(self.catalog_number, [*catalog, b">>"])
        info_number = self._new_number()
        info = DictionaryObject({NameObject("/Producer"): TextStringObject("progress_billing")})
        if title:
            info[NameObject("/Title")] = TextStringObject(title)
        self._write_pdf_object(info_number, info)
        xref_offset = self.out.tell()
        self.out.write(b"xref\n0 %d\n0000000000 65535 f \n" % len(self.offsets))
        self.out.write(b"".join(b"%010d 00000 n \n" % offset for offset in self.offsets[1:]))
        self.out.write(b"trailer\n<</Size %d /Root %d 0 R /Info %d 0 R>>\nstartxref\n%d\n%%%%EOF\n" % (
            len(self.offsets), self.catalog_number, info_number, xref_offset,
        ))
        return len(page_numbers)

    def _write_outline(self, outline, page_numbers):
        root = self._new_number()
        first, last, count = self._write_outline_items(outline, root, page_numbers)
        self._write(root, [b"<</Type /Outlines /First %d 0 R /Last %d 0 R /Count %d>>" % (first, last, count)])
        return root

    def _write_outline_items(self, items, parent, page_numbers):
        """Write sibling outline items; returns their first and last object
        numbers and how many are visible (children start closed)."""
        numbers = [self._new_number() for _item in items]
        for position, (number, (title, page_index, children)) in enumerate(zip(numbers, items, strict=True)):
            item = DictionaryObject({
                NameObject("/Title"): TextStringObject(title),
                NameObject("/Parent"): IndirectObject(parent, 0, None),
                NameObject("/Dest"): ArrayObject([
                    IndirectObject(page_numbers[page_index], 0, None), NameObject("/Fit"),
                ]),
            })
            if position:
                item[NameObject("/Prev")] = IndirectObject(numbers[position - 1], 0, None)
            if position + 1 < len(numbers):
                item[NameObject("/Next")] = IndirectObject(numbers[position + 1], 0, None)
            if children:
                first, last, count = self._write_outline_items(children, number, page_numbers)
                item.update({
                    NameObject("/First"): IndirectObject(first, 0, None),
                    NameObject("/Last"): IndirectObject(last, 0, None),
                    NameObject("/Count"): NumberObject(-count),
                })
            self._write_pdf_object(number, item)
        return numbers[0], numbers[-1], len(numbers)


def image_size(data, kind):
    """(width, height) of a PNG or JPEG image read from its header, no pixel
    decoded; SkippedDocument when the header is unreadable."""
    try:
        with IMAGE_HEADER_READERS[kind](io.BytesIO(data)) as image:
            return image.size
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError) as error:
        raise SkippedDocument("damaged") from error


def image_to_pdf(data, caption="", font=None, max_pixels=None):
    """A one-page US Letter PDF showing a PNG or JPEG image, scaled down to fit
    (never up beyond 96 dpi), on a landscape page when the image is wide, with
    ``caption`` in the top margin. A JPEG keeps its own bytes unless it must
    be turned upright. Raises SkippedDocument when the image cannot be read
    or has more than ``max_pixels`` pixels (checked on its header, before
    its pixels are decoded)."""
    if max_pixels:
        width, height = image_size(data, sniff_kind(data[:1024]))
        if width * height > max_pixels:
            raise SkippedDocument("image_too_large", width=width, height=height, limit=round(max_pixels / 1e6))
    try:
        with Image.open(io.BytesIO(data)) as image:
            image.load()
            if image.getexif().get(EXIF_ORIENTATION, 1) == 1:
                drawn, (width, height) = ImageReader(io.BytesIO(data)), image.size
            else:
                upright = ImageOps.exif_transpose(image).convert("RGB")
                drawn, (width, height) = ImageReader(upright), upright.size
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError) as error:
        raise SkippedDocument("damaged") from error
    page_size = landscape(letter) if width > height else letter
    margin = 0.5 * inch
    box_width, box_height = page_size[0] - 2 * margin, page_size[1] - 2 * margin
    scale = min(box_width / width, box_height / height, 72 / 96)
    draw_width, draw_height = width * scale, height * scale
    buffer = io.BytesIO()
    with _binary_streams():
        pdf = canvas.Canvas(buffer, pagesize=page_size, invariant=1, pageCompression=1)
        if caption:
            pdf.setFont(font or cover_font(), 8)
            pdf.setFillColor(colors.grey)
            pdf.drawString(margin, page_size[1] - margin * 0.6, caption)
        pdf.drawImage(drawn, (page_size[0] - draw_width) / 2, (page_size[1] - draw_height) / 2, draw_width, draw_height)
        pdf.showPage()
        pdf.save()
    return buffer.getvalue()


@contextmanager
def _binary_streams():
    """reportlab wraps streams in ASCII85 (a quarter bigger) unless told not to,
    by a global setting only: switch it off while drawing."""
    previous = rl_config.useA85
    rl_config.useA85 = 0
    try:
        yield
    finally:
        rl_config.useA85 = previous


def cover_font(bold=False):
    """A Unicode TrueType font registered with reportlab (DejaVu Sans when
    installed), else Helvetica, which only covers Latin-1."""
    name = "PBSans-Bold" if bold else "PBSans"
    if name in pdfmetrics.getRegisteredFontNames():
        return name
    file_name = "DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf"
    for directory in UNICODE_FONT_DIRS:
        path = os.path.join(directory, file_name)
        if os.path.exists(path):
            pdfmetrics.registerFont(TTFont(name, path))
            return name
    return "Helvetica-Bold" if bold else "Helvetica"


@dataclass
class ReservedPlace:
    """Where ``BackupBuilder.fill`` copies the pages of a reserved document."""

    entry: IndexEntry
    pages: list
    filled: bool = False


class BackupBuilder:
    """Builds a compiled backup into a binary file object: add pay
    applications (level 0) and attachments (level 1) in order, then ``close``
    with a cover text to prepend the index and write the outline. Closing
    without a cover makes a part that a later builder takes with ``add_part``
    (compiling in several transactions)."""

    def __init__(self, out, budget=None, attachment_pages=0):
        """``attachment_pages``: pages of attachments already in earlier parts
        of the same backup, counted against ``budget.pages``."""
        self.stream = PdfPageStream(out)
        self.entries = []
        self.page_count = 0
        self.budget = budget or Budget()
        self.attachment_pages = attachment_pages
        self.places = []

    def _append(self, entry, source, indices):
        count = self.stream.copy_pages(source, indices)
        entry.first_page, entry.page_count = self.page_count, count
        self.page_count += count
        self.entries.append(entry)
        return entry

    def add_pdf(self, title, source, pages=None, level=0):
        """Add the pages ``pages`` (default: all) of a PdfSource."""
        indices = range(source.page_count) if pages is None else pages
        return self._append(IndexEntry(title, level), source, indices)

    def reserve_pdf(self, title, page_count, level=0):
        """Add a document whose ``page_count`` pages are copied later with
        ``fill`` (a pay application wkhtmltopdf is still rendering), so that
        documents can be added after it meanwhile. Returns its place."""
        entry = IndexEntry(title, level, first_page=self.page_count, page_count=page_count)
        self.page_count += page_count
        self.entries.append(entry)
        place = ReservedPlace(entry, self.stream.reserve())
        self.places.append(place)
        return place

    def fill(self, place, source, pages):
        """Copy the pages ``pages`` of a PdfSource into a place made by
        ``reserve_pdf``. Should they be more or fewer than it announced, the
        documents after it move accordingly."""
        count = self.stream.copy_pages(source, pages, into=place.pages)
        place.filled = True
        shift = count - place.entry.page_count
        if shift:
            position = next(index for index, entry in enumerate(self.entries) if entry is place.entry)
            for entry in self.entries[position + 1:]:
                if entry.included:
                    entry.first_page += shift
            place.entry.page_count = count
            self.page_count += shift

    def add_skipped(self, title, reason, level=1):
        entry = IndexEntry(title, level, note=reason)
        self.entries.append(entry)
        return entry

    def add_attachment(self, title, data, reasons, level=1):
        """Add an attachment (bytes, or a path to read it from): a PDF as it is,
        a PNG or JPEG image as a page, whatever its name or mimetype say (the
        bytes are sniffed); anything else, or a PDF that is damaged, needs a
        password or is over the budget, is listed as skipped with
        ``reasons[kind]`` formatted with the details, where kind is
        'unsupported', 'damaged', 'encrypted', 'empty', 'image_too_large',
        'too_many_pages', 'bomb' or 'page_budget'."""
        try:
            head = _read_head(data)
            kind = sniff_kind(head)
            if kind is None:
                raise SkippedDocument("unsupported")
            if kind != "PDF":
                data = image_to_pdf(data if isinstance(data, bytes) else _read_all(data), caption=title,
                                    max_pixels=self.budget.image_pixels)
            with open_source(data, self.budget if kind == "PDF" else None) as source:
                left = self.budget.pages - self.attachment_pages
                if source.page_count > left:
                    raise SkippedDocument("page_budget", limit=self.budget.pages)
                entry = self.add_pdf(title, source, level=level)
                self.attachment_pages += entry.page_count
                return entry
        except SkippedDocument as skipped:
            return self.add_skipped(title, reasons[skipped.kind].format(**skipped.details), level)
        except Exception as error:  # noqa: BLE001 - a file pypdf opened but could not copy is damaged too
            _logger.info("Attachment %r skipped while copying: %s", title, error)
            return self.add_skipped(title, reasons["damaged"], level)

    def add_part(self, data, entries):
        """Add every page of a part written by another builder (closed without
        cover) with the index entries it recorded."""
        offset = self.page_count
        with open_source(data) as source:
            self.stream.copy_pages(source, range(source.page_count))
            self.page_count += source.page_count
        for entry in entries:
            entry = IndexEntry(**entry) if isinstance(entry, dict) else entry
            if entry.included:
                entry.first_page += offset
            self.entries.append(entry)

    def close(self, cover=None):
        """Finish the PDF; with a CoverText, the index pages come first and the
        outline gets an item per included document. Returns the page count."""
        unfilled = [place.entry.title for place in self.places if not place.filled]
        if unfilled:
            raise ValueError(f"reserved documents never filled: {unfilled}")
        if cover is None:
            return self.stream.close()
        cover_pdf, cover_pages = build_cover(self.entries, cover)
        with open_source(cover_pdf) as source:
            self.stream.copy_pages(source, range(cover_pages), front=True)
        return self.stream.close(outline=self._outline(cover_pages), title=cover.title)

    def _outline(self, offset):
        outline = []
        for entry in self.entries:
            if not entry.included:
                continue
            item = (entry.title, entry.first_page + offset, [])
            if entry.level and outline:
                outline[-1][2].append(item)
            else:
                outline.append(item)
        return outline


def _read_head(data):
    if isinstance(data, bytes):
        return data[:1024]
    with open(data, "rb") as file:
        return file.read(1024)


def _read_all(path):
    with open(path, "rb") as file:
        return file.read()


def build_cover(entries, text):
    """The index pages as PDF bytes and their number: every entry with the page
    where it starts in the whole document (cover included) or why it is not
    included. The page numbers depend on the number of cover pages, so the
    cover is laid out until that number is stable, starting from a guess
    (one line per document, two for a skipped one, one per detail and two
    for the title and the table's header): laid out once as a rule, not
    twice (0.5 s each for an index of 800 documents)."""
    lines = 2 + len(text.details) + sum(1 if entry.included else 2 for entry in entries)
    cover_pages = max(1, -(-lines // COVER_LINES_PER_PAGE))
    for _attempt in range(5):
        data, count = _layout_cover(entries, text, cover_pages)
        if count == cover_pages:
            return data, count
        cover_pages = count
    return data, count


def _layout_cover(entries, text, cover_pages):
    regular, bold = cover_font(), cover_font(bold=True)
    styles = {
        "title": ParagraphStyle("title", fontName=bold, fontSize=16, leading=20, spaceAfter=6),
        "detail": ParagraphStyle("detail", fontName=regular, fontSize=9.5, leading=12.5),
        "cell": ParagraphStyle("cell", fontName=regular, fontSize=8.5, leading=10.5),
        "invoice": ParagraphStyle("invoice", fontName=bold, fontSize=8.5, leading=10.5),
        "attachment": ParagraphStyle("attachment", fontName=regular, fontSize=8.5, leading=10.5, leftIndent=12),
        "skipped": ParagraphStyle(
            "skipped", fontName=regular, fontSize=8, leading=10, leftIndent=12, textColor=colors.HexColor("#9b1c1c"),
        ),
    }
    story = [Paragraph(_escape(text.title), styles["title"])]
    story += [Paragraph(_escape(line), styles["detail"]) for line in text.details]
    skipped = [entry for entry in entries if not entry.included]
    if skipped:
        story.append(Spacer(1, 4))
        story.append(Paragraph(_escape(text.skipped_summary.format(count=len(skipped))), styles["skipped"]))
    story.append(Spacer(1, 10))
    rows = [[Paragraph(_escape(label), styles["invoice"]) for label in (text.document, text.pages, text.page)]]
    for entry in entries:
        name = Paragraph(_escape(entry.title), styles["attachment" if entry.level else "invoice"])
        if entry.included:
            rows.append([name, str(entry.page_count), str(entry.first_page + cover_pages + 1)])
        else:
            note = Paragraph(_escape(text.not_included.format(reason=entry.note)), styles["skipped"])
            rows.append([[name, note], "", "–"])
    width = letter[0] - 1.5 * inch
    table = Table(rows, colWidths=[width - 1.4 * inch, 0.6 * inch, 0.8 * inch], repeatRows=1)
    table.setStyle(TableStyle([
        ("FONT", (0, 0), (-1, -1), regular, 8.5),
        ("ALIGN", (1, 0), (-1, -1), "RIGHT"),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LINEBELOW", (0, 0), (-1, 0), 0.8, colors.black),
        ("LINEBELOW", (0, 1), (-1, -1), 0.25, colors.HexColor("#bbbbbb")),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eeeeee")),
        ("TOPPADDING", (0, 0), (-1, -1), 2.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
    ]))
    story.append(table)

    def number_page(pdf, document):
        pdf.saveState()
        pdf.setFont(regular, 7.5)
        pdf.setFillColor(colors.grey)
        pdf.drawRightString(
            letter[0] - 0.75 * inch, 0.5 * inch, text.cover_page.format(page=document.page, count=cover_pages),
        )
        pdf.restoreState()

    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer, pagesize=letter, invariant=1, title=text.title, leftMargin=0.75 * inch, rightMargin=0.75 * inch,
        topMargin=0.75 * inch, bottomMargin=0.75 * inch,
    )
    with _binary_streams():
        document.build(story, onFirstPage=number_page, onLaterPages=number_page)
    return buffer.getvalue(), document.page


def _escape(value):
    return str(value).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
