# Copyright 2026 Progress Billing Developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from odoo import fields
from odoo.tools import sql


class SnapshotMany2one(fields.Many2one):
    """A Many2one that records which record a value was when it was copied,
    without a foreign key: a snapshot must not hold up the deletion of what
    it names, and auto-completion inserts thousands of such rows at once,
    each foreign key checked (and its row locked) one row at a time
    (readme/USAGE.md, "Auto-completing owner invoices"). Once the record is deleted, ``read`` (the web client) shows
    the field empty, as Odoo does for any missing many2one; code compares it
    by id and displays it through ``exists()``."""

    def update_db_foreign_key(self, model, column):
        # a database installed before keeps the foreign key Odoo made for the
        # plain Many2one, with the ondelete it set up (restrict when required): drop it
        comodel = model.env[self.comodel_name]
        ondelete = self.ondelete or "set null"
        for name in sql.get_foreign_keys(model.env.cr, model._table, self.name, comodel._table, "id", ondelete):
            sql.drop_constraint(model.env.cr, model._table, name)
