# Copyright 2026 Progress Billing Developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

import ast
import re
from pathlib import Path

from odoo.tests import tagged

from .common import ProgressBillingCase

ADDON = Path(__file__).parent.parent
MENUS_FILE = "views/progress_billing_menus.xml"


@tagged("post_install", "-at_install", "progress_billing")
class TestMenus(ProgressBillingCase):
    """The Progress Billing app menu, as each group sees it, all declared in
    one file loaded after every action its menus open."""

    def _menu_tree(self, user, menu_id=None):
        """{name: subtree} of the menus under ``menu_id`` (default: the app) that ``user`` sees."""
        menus = self.env["ir.ui.menu"].with_user(user).load_menus(debug=False)
        menu_id = menu_id or self.env.ref("progress_billing.menu_progress_billing_root").id

        def tree(menu):
            return {menus[child]["name"]: tree(menus[child]) for child in menu["children"]}

        return tree(menus[menu_id])

    def test_menus_of_each_group(self):
        billing = {
            "Billing Periods": {}, "Subcontractor Invoices": {}, "Payment Schedules": {}, "Owner Invoices": {},
            "Owner Payment Schedules": {}, "Direct Costs": {}, "Compiled Backups": {},
        }
        user_menus = {
            "Projects": {},
            "Contracts": {"Prime Contracts": {}, "Commitments": {}},
            "Billing": billing,
            "Retention": {"Retention Ledger": {}, "Release Stages": {}, "Guarantees and Bonds": {}},
            "Changes": {"Change Events": {}, "Prime Contract Change Orders": {}, "Commitment Change Orders": {}},
        }
        configuration = {"Divisions": {}, "Cost Codes": {}, "Cost Types": {}, "Payment Regimes": {}}
        self.assertEqual(self._menu_tree(self.user), user_menus)
        self.assertEqual(self._menu_tree(self.manager), {**user_menus, "Configuration": configuration})
        outsider = self._create_user("pb_outsider", "base.group_user")
        self.assertNotIn(
            self.env.ref("progress_billing.menu_progress_billing_root").id,
            self.env["ir.ui.menu"].with_user(outsider).load_menus(debug=False)["root"]["children"],
        )

    def test_menus_are_declared_in_the_menus_file_loaded_last(self):
        manifest = ast.literal_eval((ADDON / "__manifest__.py").read_text())
        self.assertEqual(manifest["data"][-1], MENUS_FILE)
        declaring = [
            name for name in manifest["data"] + manifest["demo"]
            if re.search(r'<menuitem\b|model="ir\.ui\.menu"', (ADDON / name).read_text())
        ]
        self.assertEqual(declaring, [MENUS_FILE])
