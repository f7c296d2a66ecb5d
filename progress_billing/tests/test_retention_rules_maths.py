# Copyright 2026 Progress Billing Developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

"""The sliding-scale retention maths of tools/retention_rules.py, without
database records (readme/USAGE.md, "Bills, invoices and retainage", sliding-scale retention). A contract of
100,000.00."""

from odoo.tests import TransactionCase, tagged

from ..tools.retention_rules import UNTIL_COMPLETED, UNTIL_WITHHELD, Claim, Rule, Withheld, apportion, withhold

CENT = 0.01
# "10% of each claim until 5% of the contract sum is held, then nothing"
UNTIL_FIVE_PERCENT_HELD = [Rule(10.0, 10.0, UNTIL_WITHHELD, 5_000.0)]
# "10% until 50% complete, then 5%"
HALF_THEN_FIVE = [Rule(10.0, 10.0, UNTIL_COMPLETED, 50_000.0), Rule(5.0, 5.0)]


@tagged("post_install", "-at_install", "progress_billing")
class TestRetentionRulesMaths(TransactionCase):
    def test_until_retention_held_splits_the_crossing_claim(self):
        """3,000 held; a 30,000 claim: 20,000 at 10% reaches 5,000, the other 10,000 at 0%."""
        self.assertEqual(
            withhold(UNTIL_FIVE_PERCENT_HELD, 30_000.0, 3_000.0, [Claim(20_000.0, 0.0), Claim(10_000.0, 0.0)], CENT),
            [Withheld(1_333.33, 0.0), Withheld(666.67, 0.0)],
        )

    def test_nothing_once_every_limit_is_reached(self):
        self.assertEqual(withhold(UNTIL_FIVE_PERCENT_HELD, 60_000.0, 5_000.0, [Claim(10_000.0, 0.0)], CENT),
                         [Withheld(0.0, 0.0)])

    def test_until_percent_complete_splits_then_the_last_rule_applies_to_the_end(self):
        """30,000 done; 30,000 claimed: 20,000 at 10% and 10,000 at 5% = 2,500, shared 1 : 2."""
        self.assertEqual(
            withhold(HALF_THEN_FIVE, 30_000.0, 3_000.0, [Claim(10_000.0, 0.0), Claim(20_000.0, 0.0)], CENT),
            [Withheld(833.33, 0.0), Withheld(1_666.67, 0.0)],
        )
        self.assertEqual(withhold(HALF_THEN_FIVE, 70_000.0, 5_500.0, [Claim(10_000.10, 0.0)], CENT),
                         [Withheld(500.01, 0.0)], "5% of 10,000.10 is 500.005, rounded half up")

    def test_materials_rate_and_credit(self):
        """Work and materials at their own rates; a credit crosses nothing, at the rule in force."""
        rules = [Rule(10.0, 5.0, UNTIL_COMPLETED, 50_000.0), Rule(5.0, 0.0)]
        self.assertEqual(withhold(rules, 0.0, 0.0, [Claim(10_000.0, 20_000.0)], CENT), [Withheld(1_000.0, 1_000.0)])
        # 30,000 done: 20,000 of work at 10%, 5,000 at 5%
        self.assertEqual(withhold(rules, 30_000.0, 2_000.0, [Claim(25_000.0, 0.0)], CENT), [Withheld(2_250.0, 0.0)])
        self.assertEqual(withhold(rules, 30_000.0, 2_000.0, [Claim(-1_000.0, 0.0)], CENT), [Withheld(-100.0, 0.0)])

    def test_retention_amount_limit_then_next_rule(self):
        """Until 2,500.00 is held, then 5%: 2,000 held, a 10,000 claim: 5,000 at 10%, 5,000 at 5%."""
        rules = [Rule(10.0, 10.0, UNTIL_WITHHELD, 2_500.0), Rule(5.0, 5.0)]
        self.assertEqual(withhold(rules, 20_000.0, 2_000.0, [Claim(10_000.0, 0.0)], CENT), [Withheld(750.0, 0.0)])

    def test_rounding_gives_the_rounded_total_to_the_cent(self):
        """Each amount rounded half up, the cents put right where rounding moved most."""
        self.assertEqual(apportion([0.005, 0.005, 0.005], CENT), [0.0, 0.01, 0.01])
        self.assertEqual(apportion([1.003, 2.001, 3.004], CENT), [1.0, 2.0, 3.01])
        self.assertEqual(sorted(apportion([100 / 3] * 3, CENT)), [33.33, 33.33, 33.34])
