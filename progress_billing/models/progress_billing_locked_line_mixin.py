# Copyright 2026 Progress Billing Developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from odoo import api, models

from ..tools.trusted_write import check_trusted_write


class ProgressBillingLockedLineMixin(models.AbstractModel):
    """A line of a workflow document (change order, direct cost) that is
    locked with its document (see ``_locked_states`` of
    ``progress.billing.workflow.mixin``)."""

    _name = "progress.billing.locked.line.mixin"
    _description = "Line of a Lockable Document"

    # set by each line model: its many2one to the document
    _document_field = None
    # figures only the addon's own code or the ORM writes (readme/CONFIGURE.md, "Workflow and locks")
    _protected_fields = ()

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            check_trusted_write(self, vals, self._protected_fields)
        lines = super().create(vals_list)
        lines[self._document_field]._check_unlocked()
        return lines

    def write(self, vals):
        """readme/CONFIGURE.md, "Workflow and locks": the lines of a locked document do not change, nor move
        onto a locked document."""
        check_trusted_write(self, vals, self._protected_fields)
        self[self._document_field]._check_unlocked()
        result = super().write(vals)
        if self._document_field in vals:
            self[self._document_field]._check_unlocked()
        return result

    @api.ondelete(at_uninstall=False)
    def _unlink_unlocked_document_line(self):
        self[self._document_field]._check_unlocked()
