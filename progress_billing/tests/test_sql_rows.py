# Copyright 2026 Progress Billing Developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from datetime import date

from odoo.tests import TransactionCase, tagged
from odoo.tools import SQL

from ..tools.sql_rows import rows_table


@tagged("post_install", "-at_install", "progress_billing")
class TestSqlRows(TransactionCase):
    """tools/sql_rows.py: rows sent as one json parameter come back from
    PostgreSQL as they were sent, whatever their text."""

    def test_rows_come_back_as_sent(self):
        rows = [
            (1, "Invoice 7 · Line “A”, 'quoted' \\ and \"double\"", 1234.56, date(2026, 2, 28), True),
            (2, None, None, None, None),
        ]
        columns = [("id", "int4"), ("name", "varchar"), ("amount", "numeric"), ("day", "date"), ("flag", "bool")]
        self.env.cr.execute(SQL("SELECT * FROM %s ORDER BY id", rows_table("sent", columns, rows)))
        self.assertEqual(self.env.cr.fetchall(), rows)

    def test_json_column_sent_as_the_json_it_wraps(self):
        """A json field's column value, as ``Field.convert_to_column`` gives it."""
        value = self.env["progress.billing.owner.invoice"]._fields["frozen_values"].convert_to_column(
            {"total_completed": 1234.5, "name": "“A”"}, self.env["progress.billing.owner.invoice"],
        )
        self.env.cr.execute(SQL("SELECT frozen FROM %s", rows_table("sent", [("frozen", "jsonb")], [(value,)])))
        self.assertEqual(self.env.cr.fetchone(), ({"total_completed": 1234.5, "name": "“A”"},))

    def test_no_rows(self):
        self.env.cr.execute(SQL("SELECT count(*) FROM %s", rows_table("sent", [("id", "int4")], [])))
        self.assertEqual(self.env.cr.fetchone(), (0,))
