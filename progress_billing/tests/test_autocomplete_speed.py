# Copyright 2026 Progress Billing Developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

"""Auto-completion's batched reads give the same answers as reading line by
line, in a number of queries that does not grow with the lines."""

from odoo.tests import tagged

from .common_autocomplete import AutocompleteInvoiceCase


@tagged("post_install", "-at_install", "progress_billing")
class TestAutocompleteManualAmounts(AutocompleteInvoiceCase):
    """The preview tells which lines hold amounts typed by hand, for all its lines at once."""

    def test_same_as_line_by_line_in_fixed_queries(self):
        self.owner_invoice._autocomplete()
        self.concrete_line.materials_stored = 250
        lines = self.owner_invoice.line_ids
        self.env.flush_all()
        self.env.invalidate_all()
        # one query sums the copied amounts of all the lines; the others read the lines, invoice and currency
        with self.assertQueryCount(8):
            manual = lines._with_manual_amounts()
        self.assertEqual(manual, self.concrete_line)
        self.assertEqual(manual, lines.filtered(lambda line: line._has_manual_amounts()))

    def test_lines_never_auto_completed(self):
        self.finishes_line.work_this_period = 40
        self.assertEqual(self.owner_invoice.line_ids._with_manual_amounts(), self.finishes_line)

    def test_plain_user_preview(self):
        self.owner_invoice._autocomplete()
        self.concrete_line.work_this_period = 1100
        wizard = self._preview(user=self.user)
        manual = [row["owner_line_id"] for row in wizard.preview_lines if row["is_manual"]]
        self.assertEqual(manual, self.concrete_line.ids)
