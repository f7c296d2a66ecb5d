# Copyright 2026 Progress Billing Developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

import hashlib
import os
import shutil
import tempfile

from odoo import api, models
from odoo.exceptions import UserError

FILE_CHUNK = 1 << 20


class IrAttachment(models.Model):
    """Attachments made from a file that never has to fit in memory
    (readme/USAGE.md, "Pay application PDFs and compiled backups":
    a compiled backup of hundreds of megabytes)."""

    _inherit = "ir.attachment"

    @api.model
    def _create_from_file(self, values, file):
        """Create an attachment of ``values`` whose content is the binary file
        object ``file``, read chunk by chunk. In the filestore it is kept as
        Odoo's ``_file_write`` keeps any attachment: named by its SHA-1, once
        for identical contents (a file already under that name must hold the
        same bytes, else the collision is refused as ``_get_path`` refuses
        it), marked for the filestore's garbage collection in case the
        transaction rolls back. It is copied to a temporary name then renamed,
        so that another server sharing the filestore never reads it half
        written. In database storage (``ir_attachment.location`` = db) the
        bytes are read into memory, as Odoo needs them. The text of the file
        is not indexed (``index_content``)."""
        if self._storage() == "db":
            file.seek(0)
            return self.create({**values, "raw": file.read()})
        checksum, size = _checksum_and_size(file)
        fname = f"{checksum[:2]}/{checksum}"
        full_path = self._full_path(fname)
        os.makedirs(os.path.dirname(full_path), exist_ok=True)
        if os.path.isfile(full_path):
            if not _same_content(file, full_path):
                raise UserError(self.env._("The attachment collides with an existing file."))
        else:
            _copy_atomically(file, full_path)
            self._mark_for_gc(fname)
        attachment = self.create(values)
        attachment._write({"store_fname": fname, "checksum": checksum, "file_size": size, "db_datas": None})
        attachment.invalidate_recordset(["store_fname", "checksum", "file_size", "db_datas"])
        return attachment


def _chunks(file):
    file.seek(0)
    while chunk := file.read(FILE_CHUNK):
        yield chunk


def _checksum_and_size(file):
    """The SHA-1 (Odoo's ``_compute_checksum``) and the size of ``file``."""
    sha1, size = hashlib.sha1(), 0
    for chunk in _chunks(file):
        sha1.update(chunk)
        size += len(chunk)
    return sha1.hexdigest(), size


def _same_content(file, path):
    with open(path, "rb") as stored:
        for chunk in _chunks(file):
            if stored.read(len(chunk)) != chunk:
                return False
        return not stored.read(1)


def _copy_atomically(file, path):
    folder, name = os.path.split(path)
    with tempfile.NamedTemporaryFile(dir=folder, prefix=f".{name}.", delete=False) as copy:
        try:
            file.seek(0)
            shutil.copyfileobj(file, copy, FILE_CHUNK)
        except BaseException:
            os.unlink(copy.name)
            raise
    os.replace(copy.name, path)
