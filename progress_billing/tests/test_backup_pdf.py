# Copyright 2026 Progress Billing Developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

"""Plain unit tests of the PDF assembly (report/backup_pdf.py): no database."""

import io
from unittest.mock import patch

from pypdf import PdfReader

from odoo.tests import tagged
from odoo.tests.common import BaseCase

from ..report import backup_pdf
from .pdf_samples import DAMAGED_PDF, encrypted_pdf, flate_bomb, pdf_outline, pdf_page_texts, sample_image, sample_pdf

REASONS = {"unsupported": "unsupported", "damaged": "damaged", "encrypted": "encrypted", "empty": "empty"}


def build(documents, cover=True):
    """Compile ``documents``: (title, bytes, level) triples, level 0 added
    whole as a pay application, level 1 as an attachment."""
    out = io.BytesIO()
    builder = backup_pdf.BackupBuilder(out)
    for title, data, level in documents:
        if level:
            builder.add_attachment(title, data, REASONS)
        else:
            builder.add_pdf(title, backup_pdf.PdfSource(data))
    builder.close(backup_pdf.CoverText(title="Backup", details=["Project: Tower"]) if cover else None)
    return out.getvalue(), builder


@tagged("post_install", "-at_install", "progress_billing")
class TestBackupPdf(BaseCase):
    def test_pages_follow_the_documents_after_the_cover(self):
        pdf, builder = build([
            ("Invoice 1", sample_pdf("Invoice 1", 2), 0),
            ("Waiver", sample_pdf("Waiver", 3), 1),
            ("Invoice 2", sample_pdf("Invoice 2", 1), 0),
            ("Photo", sample_image("JPEG"), 1),
        ])
        pages = pdf_page_texts(pdf)
        self.assertEqual(len(pages), 1 + 2 + 3 + 1 + 1)
        self.assertIn("Backup", pages[0])
        self.assertEqual(
            pages[1:7],
            [
                "Invoice 1 page 1",
                "Invoice 1 page 2",
                "Waiver page 1",
                "Waiver page 2",
                "Waiver page 3",
                "Invoice 2 page 1",
            ],
        )
        self.assertIn("Photo", pages[7], "an image page carries the attachment name as caption")
        self.assertEqual(
            [(entry.title, entry.first_page, entry.page_count) for entry in builder.entries],
            [("Invoice 1", 0, 2), ("Waiver", 2, 3), ("Invoice 2", 5, 1), ("Photo", 6, 1)],
        )

    def test_cover_indexes_every_document_with_its_page(self):
        pdf, _builder = build([
            ("Invoice 1", sample_pdf("Invoice 1", 2), 0),
            ("Waiver", sample_pdf("Waiver", 3), 1),
            ("notes.txt", b"plain text", 1),
        ])
        cover = pdf_page_texts(pdf)[0]
        self.assertIn("Invoice 1 2 2", cover, "title, pages, first page")
        self.assertIn("Waiver 3 4", cover)
        self.assertRegex(cover, "notes.txt .*Not included: unsupported")
        self.assertIn("1 attachment(s) could not be included", cover)

    def test_outline_has_an_item_per_invoice_and_included_attachment(self):
        pdf, _builder = build([
            ("Invoice 1", sample_pdf("Invoice 1", 2), 0),
            ("Waiver", sample_pdf("Waiver", 3), 1),
            ("broken.pdf", DAMAGED_PDF, 1),
            ("Invoice 2", sample_pdf("Invoice 2", 1), 0),
        ])
        self.assertEqual(pdf_outline(pdf), [
            ("Invoice 1", 2, [("Waiver", 4, [])]),
            ("Invoice 2", 7, []),
        ])

    def test_unreadable_attachments_are_skipped_with_their_reason(self):
        pdf, builder = build([
            ("Invoice", sample_pdf("Invoice"), 0),
            ("locked.pdf", encrypted_pdf("Locked"), 1),
            ("broken.pdf", DAMAGED_PDF, 1),
            ("notes.txt", b"plain text", 1),
            ("empty.pdf", b"", 1),
            ("photo.gif", b"GIF89a....", 1),
        ])
        self.assertEqual(
            [(entry.title, entry.note) for entry in builder.entries if not entry.included],
            [("locked.pdf", "encrypted"), ("broken.pdf", "damaged"), ("notes.txt", "unsupported"),
             ("empty.pdf", "unsupported"), ("photo.gif", "unsupported")],
        )
        self.assertEqual(len(PdfReader(io.BytesIO(pdf)).pages), 2)

    def test_pdf_readable_without_password_is_included(self):
        """Only an owner password (printing/editing restrictions): anyone can read it."""
        pdf, builder = build([("Invoice", sample_pdf("Invoice"), 0), ("restricted.pdf", encrypted_pdf("Open", ""), 1)])
        self.assertTrue(builder.entries[1].included)
        self.assertEqual(pdf_page_texts(pdf)[2], "Open page 1")

    def test_images_become_pages(self):
        jpeg = sample_image("JPEG", (1200, 600))
        pdf, _builder = build(
            [
                ("Invoice", sample_pdf("Invoice"), 0),
                ("wide.jpg", jpeg, 1),
                ("tall.png", sample_image("PNG", (300, 900)), 1),
            ]
        )
        reader = PdfReader(io.BytesIO(pdf))
        wide, tall = reader.pages[2], reader.pages[3]
        self.assertGreater(wide.mediabox.width, wide.mediabox.height, "a wide image is put on a landscape page")
        self.assertLess(tall.mediabox.width, tall.mediabox.height)
        image = next(iter(wide["/Resources"]["/XObject"].values())).get_object()
        self.assertEqual(image["/Filter"], ["/DCTDecode"])
        self.assertEqual(image._data, jpeg, "a JPEG is embedded as it is, not recompressed")

    def test_a_failing_copy_leaves_the_output_as_it_was(self):
        out = io.BytesIO()
        builder = backup_pdf.BackupBuilder(out)
        builder.add_pdf("Invoice", backup_pdf.PdfSource(sample_pdf("Invoice")))
        serialize = backup_pdf.PdfPageStream._serialize_object
        calls = []

        def fail_on_second_object(stream, *args):
            calls.append(1)
            if len(calls) == 2:
                raise ValueError("damaged object")
            return serialize(stream, *args)

        with patch.object(backup_pdf.PdfPageStream, "_serialize_object", fail_on_second_object):
            entry = builder.add_attachment("half.pdf", sample_pdf("Half", 2), REASONS)
        self.assertEqual(entry.note, "damaged")
        builder.add_attachment("whole.pdf", sample_pdf("Whole"), REASONS)
        builder.close()
        self.assertEqual(pdf_page_texts(out.getvalue()), ["Invoice page 1", "Whole page 1"])

    def test_a_bomb_encoded_in_ascii_before_flate_is_refused(self):
        """readme/CONFIGURE.md, "Backups": a reader undoes /ASCII85Decode then inflates, so the bomb is
        measured after the ASCII85 is decoded."""
        builder = backup_pdf.BackupBuilder(io.BytesIO(), backup_pdf.Budget(stream_bytes=1_000_000))
        reasons = {**REASONS, "bomb": "over {limit} MB"}
        for ascii85 in (False, True):
            with self.subTest(ascii85=ascii85):
                entry = builder.add_attachment("bomb.pdf", flate_bomb(inflated_mb=2, ascii85=ascii85), reasons)
                self.assertEqual(entry.note, "over 1 MB")
        entry = builder.add_attachment("waiver.pdf", sample_pdf("Waiver"), reasons)
        self.assertTrue(entry.included, "reportlab's ASCII85 and Flate content streams within budget are copied")

    def test_parts_assemble_into_the_same_document(self):
        documents = [
            ("Invoice 1", sample_pdf("Invoice 1", 2), 0), ("Waiver", sample_pdf("Waiver"), 1),
            ("notes.txt", b"text", 1), ("Invoice 2", sample_pdf("Invoice 2"), 0), ("Photo", sample_image(), 1),
        ]
        whole, _builder = build(documents)
        parts = [build(documents[:3], cover=False), build(documents[3:], cover=False)]
        out = io.BytesIO()
        builder = backup_pdf.BackupBuilder(out)
        for data, part in parts:
            builder.add_part(data, [entry.to_dict() for entry in part.entries])
        builder.close(backup_pdf.CoverText(title="Backup", details=["Project: Tower"]))
        self.assertEqual(pdf_page_texts(out.getvalue()), pdf_page_texts(whole))
        self.assertEqual(pdf_outline(out.getvalue()), pdf_outline(whole))

    def test_reserved_documents_keep_their_place_whatever_their_length(self):
        """readme/USAGE.md, "Pay application PDFs and compiled backups": a pay application still being rendered has its
        place reserved; the attachments after it are copied meanwhile. Filled with
        more pages than announced, the documents after it move."""
        out = io.BytesIO()
        builder = backup_pdf.BackupBuilder(out)
        first = builder.reserve_pdf("Invoice 1", 1)
        builder.add_attachment("Waiver", sample_pdf("Waiver", 2), REASONS)
        second = builder.reserve_pdf("Invoice 2", 2)
        builder.add_attachment("notes.txt", b"text", REASONS)
        with self.assertRaisesRegex(ValueError, r"reserved documents never filled: \['Invoice 1', 'Invoice 2'\]"):
            builder.close()
        builder.fill(second, backup_pdf.PdfSource(sample_pdf("Invoice 2", 2)), range(2))
        builder.fill(first, backup_pdf.PdfSource(sample_pdf("Invoice 1", 3)), range(3))
        builder.close(backup_pdf.CoverText(title="Backup", details=["Project: Tower"]))
        self.assertEqual(
            [(entry.title, entry.first_page, entry.page_count) for entry in builder.entries],
            [("Invoice 1", 0, 3), ("Waiver", 3, 2), ("Invoice 2", 5, 2), ("notes.txt", None, 0)],
        )
        pdf = out.getvalue()
        self.assertEqual(pdf_page_texts(pdf)[1:], [
            "Invoice 1 page 1", "Invoice 1 page 2", "Invoice 1 page 3", "Waiver page 1", "Waiver page 2",
            "Invoice 2 page 1", "Invoice 2 page 2",
        ])
        self.assertEqual(pdf_outline(pdf), [("Invoice 1", 2, [("Waiver", 5, [])]), ("Invoice 2", 7, [])])
        whole, _builder = build([
            ("Invoice 1", sample_pdf("Invoice 1", 3), 0), ("Waiver", sample_pdf("Waiver", 2), 1),
            ("Invoice 2", sample_pdf("Invoice 2", 2), 0), ("notes.txt", b"text", 1),
        ])
        self.assertEqual(pdf_page_texts(pdf), pdf_page_texts(whole), "the same document as added in order")

    def test_same_documents_give_the_same_bytes(self):
        documents = [("Invoice", sample_pdf("Invoice", 2), 0), ("Photo", sample_image(), 1), ("x.txt", b"x", 1)]
        self.assertEqual(build(documents)[0], build(documents)[0])

    def test_long_index_spans_several_cover_pages(self):
        documents = [(f"Invoice {number}", sample_pdf(f"Invoice {number}"), 0) for number in range(70)]
        pdf, _builder = build(documents)
        pages = pdf_page_texts(pdf)
        cover_pages = [page for page in pages if page.startswith(("Backup", "Document"))]
        self.assertEqual(len(cover_pages), 2)
        self.assertEqual(pages[2], "Invoice 0 page 1")
        self.assertIn("Invoice 0 1 3", pages[0], "the first invoice starts after both cover pages")
        self.assertEqual(pdf_outline(pdf)[69], ("Invoice 69", 72, []))

    def test_signed_versions_replace_their_originals(self):
        names = ["Lien waiver.pdf", "Lien waiver (signed).pdf", "photo.png", "lien_waiver_2-Signed.pdf",
                 "Lien Waiver 2.PDF", "Unsigned memo.pdf", "Designed plan.pdf", "Signed - Contract.pdf", "contract.pdf"]
        self.assertEqual(backup_pdf.prefer_signed_versions(names), {0: 1, 4: 3, 8: 7})

    def test_copied_sources_are_released(self):
        """pypdf keeps parsed objects in reference cycles: a copied source drops
        them at once so that memory does not grow with every attachment."""
        out = io.BytesIO()
        builder = backup_pdf.BackupBuilder(out)
        with backup_pdf.open_source(sample_pdf("Invoice", 3)) as source:
            builder.add_pdf("Invoice", source)
            self.assertTrue(source.reader.resolved_objects)
        self.assertEqual((source.reader.resolved_objects, source.written), ({}, {}))
