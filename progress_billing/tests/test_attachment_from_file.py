# Copyright 2026 Progress Billing Developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

"""readme/USAGE.md, "Pay application PDFs and compiled backups": an attachment streamed from a file into the filestore
is stored as Odoo stores any attachment (checksum, deduplication, collision refusal,
database storage), without the file being read into memory."""

import hashlib
import os
import tempfile

from odoo.exceptions import UserError
from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install", "progress_billing")
class TestAttachmentFromFile(TransactionCase):
    def _create(self, content, name="backup.pdf"):
        with tempfile.TemporaryFile() as file:
            file.write(content)
            return self.env["ir.attachment"]._create_from_file(
                {"name": name, "mimetype": "application/pdf", "res_model": "res.partner",
                 "res_id": self.env.user.partner_id.id}, file,
            )

    def test_stored_as_odoo_stores_attachments(self):
        content = b"%PDF-1.7 streamed " + os.urandom(3 << 20)  # more than one chunk
        attachment = self._create(content)
        checksum = hashlib.sha1(content).hexdigest()
        self.assertEqual(
            (attachment.checksum, attachment.file_size, attachment.store_fname, attachment.mimetype),
            (checksum, len(content), f"{checksum[:2]}/{checksum}", "application/pdf"),
        )
        self.assertEqual(attachment.raw, content)
        self.assertEqual(attachment, self.env["ir.attachment"].search([("checksum", "=", checksum)]))
        same = self.env["ir.attachment"].create({"name": "same.pdf", "raw": content})
        self.assertEqual(same.store_fname, attachment.store_fname, "Odoo's own upload of the same bytes shares the file")
        again = self._create(content, "again.pdf")
        self.assertEqual((again.store_fname, again.raw), (attachment.store_fname, content))

    def test_a_different_file_under_the_same_name_is_refused(self):
        content = b"%PDF-1.7 original " + os.urandom(64)
        checksum = hashlib.sha1(content).hexdigest()
        path = self.env["ir.attachment"]._full_path(f"{checksum[:2]}/{checksum}")
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as file:
            file.write(b"something else")
        self.addCleanup(os.unlink, path)
        with self.assertRaisesRegex(UserError, "^The attachment collides with an existing file.$"):
            self._create(content)

    def test_database_storage(self):
        self.env["ir.config_parameter"].set_param("ir_attachment.location", "db")
        attachment = self._create(b"%PDF-1.7 in the database")
        self.assertEqual((attachment.store_fname, attachment.db_datas), (False, b"%PDF-1.7 in the database"))
        self.assertEqual(attachment.checksum, hashlib.sha1(b"%PDF-1.7 in the database").hexdigest())
