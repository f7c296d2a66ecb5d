# Copyright 2026 Progress Billing Developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

"""The columns of a G703 line worked out on plain values (tools/g703.py), without database."""

from odoo.tests import BaseCase, tagged

from ..tools.g703 import G703Line


@tagged("post_install", "-at_install", "progress_billing")
class TestG703Line(BaseCase):
    def test_columns_g_h_and_percent(self):
        line = G703Line(scheduled_value=60000, previous_work=10000, work_this_period=20000, materials_stored=6000)
        self.assertEqual(line.total_completed, 36000)  # G = D + E + F
        self.assertEqual(line.balance_to_finish, 24000)  # H = C - G
        self.assertEqual(line.percent_complete, 60.0)

    def test_without_scheduled_value(self):
        line = G703Line(work_this_period=500)
        self.assertEqual(line.percent_complete, 0.0)
        self.assertEqual(line.balance_to_finish, -500)

    def test_retainage_held_and_required(self):
        line = G703Line(
            retainage_work=3000, retainage_on_materials=600, retainage_covered_work=1000,
            retainage_covered_materials=200, previous_retainage_released=500, retainage_released=250,
        )
        # I: the cash retention less what earlier applications and this one released
        self.assertEqual(line.retainage, 2850)
        # what the contract requires held: cash plus what guarantees cover instead
        self.assertEqual(line.retention_required(), (4000, 800))

    def test_no_predecessor_is_all_zeros(self):
        line = G703Line()
        self.assertEqual((line.total_completed, line.retainage, line.retention_required()), (0.0, 0.0, (0.0, 0.0)))
