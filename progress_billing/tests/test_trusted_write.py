# Copyright 2026 Progress Billing Developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from odoo.tests import TransactionCase, tagged

from ..tools.trusted_write import _KEY, is_trusted, trusted


@tagged("post_install", "-at_install", "progress_billing")
class TestTrustedWrite(TransactionCase):
    """The marker of the addon's own writes cannot be forged through a context."""

    def test_trusted_environment(self):
        partners = self.env["res.partner"]
        self.assertFalse(is_trusted(partners.env))
        self.assertTrue(is_trusted(trusted(partners).env))

    def test_forged_context_value_is_not_trusted(self):
        for forged in (True, 1, "1", {}, [], "trusted"):
            with self.subTest(forged=forged):
                self.assertFalse(is_trusted(self.env["res.partner"].with_context(**{_KEY: forged}).env))
