# Copyright 2026 Progress Billing Developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

"""The retention splits of tools/retention.py (readme/USAGE.md, "Release stages"), without database."""

from odoo.tests import BaseCase, tagged

from ..tools.retention import guarantee_cover, split_in_proportion


@tagged("post_install", "-at_install", "progress_billing")
class TestRetentionSplit(BaseCase):
    def test_shares_add_up_to_the_cent(self):
        # 1,000.00 over 3 equal lines: 333.34, 333.33, 333.33
        self.assertEqual(split_in_proportion(100_000, [50_000, 50_000, 50_000]), [33_334, 33_333, 33_333])
        self.assertEqual(split_in_proportion(1, [1, 1]), [1, 0])

    def test_proportional_by_largest_remainder(self):
        # 50% of 1,500.00 held as 1,000.00 + 500.00: 500.00 + 250.00
        self.assertEqual(split_in_proportion(75_000, [100_000, 50_000]), [50_000, 25_000])
        # 100.01 over 200.00 and 100.00: 66.6733 rounds down to 66.67, 33.3367 takes the cent left: 33.34
        self.assertEqual(split_in_proportion(10_001, [20_000, 10_000]), [6_667, 3_334])

    def test_never_more_than_each_weight(self):
        self.assertEqual(split_in_proportion(1_000, [300, 0, 200]), [300, 0, 200])
        self.assertEqual(split_in_proportion(-5, [300]), [0])
        self.assertEqual(split_in_proportion(10, []), [])
        self.assertEqual(split_in_proportion(10, [0, 0]), [0, 0])

    def test_guarantee_covers_at_most_the_cash_retention(self):
        self.assertEqual(guarantee_cover(500_000, [100_000, 50_000]), [100_000, 50_000])
        self.assertEqual(guarantee_cover(60_000, [100_000, 50_000]), [40_000, 20_000])
