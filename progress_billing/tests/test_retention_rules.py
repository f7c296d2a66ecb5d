# Copyright 2026 Progress Billing Developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

"""Sliding-scale retention rules on contracts (readme/USAGE.md, "Bills, invoices and retainage",
sliding-scale retention).

Every contract is the worked example's of tests/test_accounting.py: labor
60,000.00 and materials 40,000.00 (contract sum 100,000.00), retainage 10%
on work, so that both lines follow the rules unless a line says otherwise.
Each period is approved and billed; the figures are computed by hand in each
test's docstring (A = labor, B = materials; 5a / 5b = G702 retention on
work / stored materials; line 8 = current payment due = untaxed bill).
"""

import re

from odoo import Command
from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged

from .common import ProgressBillingCase
from .test_accounting import AccountingCase
from .test_g703_export import evaluate, read_xlsx

UNTIL_FIVE_PERCENT_HELD = [
    {"rate_work": 10, "rate_materials": 10, "limit_type": "retention_percent", "limit_percent": 5},
]
HALF_THEN_FIVE = [
    {"rate_work": 10, "rate_materials": 10, "limit_type": "percent_complete", "limit_percent": 50},
    {"rate_work": 5, "rate_materials": 5},
]


class RetentionRulesCase(AccountingCase):
    def _rules_contract(self, model, rules, **values):
        return self._create_contract(
            model, retention_rule_ids=[Command.create(rule) for rule in rules], **values,
        )

    def _bill_periods(self, contract, periods):
        """Approve and bill each of ``periods`` (amounts by line name, then
        the expected 5a, 5b, line 8 and the retention of each line (I)) on
        ``contract``; each bill ties to line 8 to the cent, its retention line
        is the retention withheld that period. Returns the applications."""
        retainage_account = self._retainage_account(contract)
        applications = []
        held = 0.0
        for period, (amounts, work, materials, due, by_line) in zip(self.periods[:len(periods)], periods, strict=True):
            application = self._create_application(contract, period, amounts)
            figures = f"{application.name} in {period.name}"
            self.assertAmount(application.retainage_work, work, f"5a of {figures}")
            self.assertAmount(application.retainage_materials, materials, f"5b of {figures}")
            self.assertAmount(application.current_payment_due, due, f"line 8 of {figures}")
            lines = self._lines_by_name(contract)
            for name, retention in by_line.items():
                self.assertAmount(self._line_of(application, lines[name]).retainage, retention, f"I of {name}, {figures}")
            self.assertAmount(sum(application.line_ids.mapped("retainage")), application.total_retainage)
            move = self._create_bill(application)
            self.assertAmount(move.amount_untaxed, due, f"bill of {figures}")
            withheld = work + materials - held
            retention_line = move.invoice_line_ids.filtered(lambda line: line.account_id == retainage_account)
            self.assertAmount(sum(retention_line.mapped("price_subtotal")), -withheld, f"retention billed on {figures}")
            held = work + materials
            applications.append(application)
        return applications


@tagged("post_install", "-at_install", "progress_billing")
class TestRetentionRuleKinds(RetentionRulesCase):
    def test_ten_percent_until_five_percent_of_the_contract_sum_is_held(self):
        """Australian practice, on a commitment: 10% of each claim until 5,000.00 is held, then nothing.

        ======  ===============  ===========================================  =========  ========
        period  claim (A / B)    withheld                                     5a         line 8
        ======  ===============  ===========================================  =========  ========
        1       20,000 / 10,000  3,000.00                                     3,000.00   27,000.00
        2       20,000 / 10,000  20,000 at 10%, 10,000 at 0%: 2,000.00,       5,000.00   28,000.00
                                 shared 2 : 1 (1,333.33 / 666.67)
        3       10,000 / 0       nothing                                      5,000.00   10,000.00
        4       0 / 10,000       nothing                                      5,000.00   10,000.00
        ======  ===============  ===========================================  =========  ========
        """
        contract = self._rules_contract("purchase.order", UNTIL_FIVE_PERCENT_HELD)
        self._bill_periods(contract, [
            ({"labor": (20_000, 0), "materials": (10_000, 0)}, 3_000.00, 0.0, 27_000.00,
             {"labor": 2_000.00, "materials": 1_000.00}),
            ({"labor": (20_000, 0), "materials": (10_000, 0)}, 5_000.00, 0.0, 28_000.00,
             {"labor": 3_333.33, "materials": 1_666.67}),
            ({"labor": (10_000, 0)}, 5_000.00, 0.0, 10_000.00, {"labor": 3_333.33, "materials": 1_666.67}),
            ({"materials": (10_000, 0)}, 5_000.00, 0.0, 10_000.00, {"labor": 3_333.33, "materials": 1_666.67}),
        ])
        self.assertAmount(contract.retainage_held, 5_000.00)

    def test_ten_percent_until_half_complete_then_five(self):
        """US practice, on a prime contract (readme/USAGE.md, "Bills, invoices and retainage", the
        sliding-scale worked example).

        ======  ===================  =========================================  =========  ========
        period  claim (A / B)        withheld                                   5a         line 8
        ======  ===================  =========================================  =========  ========
        1       30,000 / 0           3,000.00                                   3,000.00   27,000.00
        2       10,000 / 20,000      20,000 at 10% + 10,000 at 5% = 2,500.00,   5,500.00   27,500.00
                                     shared 1 : 2 (833.33 / 1,666.67)
        3       20,000 / 0           1,000.00                                   6,500.00   19,000.00
        4       0 / 10,000.10        500.005, rounded half up: 500.01           7,000.01   9,500.09
        ======  ===================  =========================================  =========  ========
        """
        contract = self._rules_contract("sale.order", HALF_THEN_FIVE)
        self._bill_periods(contract, [
            ({"labor": (30_000, 0)}, 3_000.00, 0.0, 27_000.00, {"labor": 3_000.00, "materials": 0.0}),
            ({"labor": (10_000, 0), "materials": (20_000, 0)}, 5_500.00, 0.0, 27_500.00,
             {"labor": 3_833.33, "materials": 1_666.67}),
            ({"labor": (20_000, 0)}, 6_500.00, 0.0, 19_000.00, {"labor": 4_833.33, "materials": 1_666.67}),
            ({"materials": (10_000.10, 0)}, 7_000.01, 0.0, 9_500.09, {"labor": 4_833.33, "materials": 2_166.68}),
        ])

    def test_ten_percent_then_zero_after_half_complete(self):
        """10% until 50% complete, then 0% to the end.

        Period 1: A 40,000 → 4,000.00; period 2: A 20,000, 10,000 of it
        before 50% → 1,000.00; periods 3 and 4: B 30,000, then 10,000 → nothing."""
        contract = self._rules_contract("purchase.order", [
            {"rate_work": 10, "rate_materials": 10, "limit_type": "percent_complete", "limit_percent": 50},
            {"rate_work": 0, "rate_materials": 0},
        ])
        self._bill_periods(contract, [
            ({"labor": (40_000, 0)}, 4_000.00, 0.0, 36_000.00, {"labor": 4_000.00}),
            ({"labor": (20_000, 0)}, 5_000.00, 0.0, 19_000.00, {"labor": 5_000.00}),
            ({"materials": (30_000, 0)}, 5_000.00, 0.0, 30_000.00, {"materials": 0.0}),
            ({"materials": (10_000, 0)}, 5_000.00, 0.0, 10_000.00, {"labor": 5_000.00, "materials": 0.0}),
        ])

    def test_until_retention_held_reaches_an_amount(self):
        """10% until 2,500.00 is held, then 5%.

        Period 1: A 20,000 → 2,000.00; period 2: A 10,000, 5,000 at 10% and
        5,000 at 5% → 750.00; period 3: B 10,000 → 500.00; period 4: B
        1,000.10 → 50.005, rounded half up: 50.01."""
        contract = self._rules_contract("sale.order", [
            {"rate_work": 10, "rate_materials": 10, "limit_type": "retention_amount", "limit_amount": 2_500},
            {"rate_work": 5, "rate_materials": 5},
        ])
        self._bill_periods(contract, [
            ({"labor": (20_000, 0)}, 2_000.00, 0.0, 18_000.00, {"labor": 2_000.00}),
            ({"labor": (10_000, 0)}, 2_750.00, 0.0, 9_250.00, {"labor": 2_750.00}),
            ({"materials": (10_000, 0)}, 3_250.00, 0.0, 9_500.00, {"materials": 500.00}),
            ({"materials": (1_000.10, 0)}, 3_300.01, 0.0, 950.09, {"labor": 2_750.00, "materials": 550.01}),
        ])

    def test_materials_rate(self):
        """10% on work and 5% on stored materials until 50% complete, then 5% and 0%; carry forward.

        ======  ===========================  =============================================  ========  ======  ========
        period  A E / B E, F                 retention                                      5a        5b      line 8
        ======  ===========================  =============================================  ========  ======  ========
        1       10,000 / 0, 20,000 stored    1,000.00 on work, 1,000.00 on materials        1,000.00  1,000   28,000.00
        2       25,000 / 15,000 installed,   B: 750.00 of the materials retention moves     4,000.00  250.00  22,750.00
                5,000 left in F              to work (15,000 of 20,000); A: 20,000 at 10%
                                             and 5,000 at 5% = 2,250.00
        3       5,000 / 5,000 installed,     B: the last 250.00 moves to work; A: 250.00    4,500.00  0.00    4,750.00
                F 0
        4       2,000 / 0, 8,000 stored      A: 100.00; B's materials at 0%                 4,600.00  0.00    9,900.00
        ======  ===========================  =============================================  ========  ======  ========
        """
        contract = self._rules_contract("purchase.order", [
            {"rate_work": 10, "rate_materials": 5, "limit_type": "percent_complete", "limit_percent": 50},
            {"rate_work": 5, "rate_materials": 0},
        ])
        self._bill_periods(contract, [
            ({"labor": (10_000, 0), "materials": (0, 20_000)}, 1_000.00, 1_000.00, 28_000.00,
             {"labor": 1_000.00, "materials": 1_000.00}),
            ({"labor": (25_000, 0), "materials": (15_000, 5_000)}, 4_000.00, 250.00, 22_750.00,
             {"labor": 3_250.00, "materials": 1_000.00}),
            ({"labor": (5_000, 0), "materials": (5_000, 0)}, 4_500.00, 0.0, 4_750.00,
             {"labor": 3_500.00, "materials": 1_000.00}),
            ({"labor": (2_000, 0), "materials": (0, 8_000)}, 4_600.00, 0.0, 9_900.00,
             {"labor": 3_600.00, "materials": 1_000.00}),
        ])

    def test_materials_rate_roll_forward(self):
        """The rules of ``test_materials_rate`` under the roll forward method.

        Period 2: the 20,000 stored roll into D of B, with the 1,000.00 held on
        them (5b to 5a); A claims 25,000 of work, B 5,000 of newly stored
        materials: of the 30,000 claimed, 20,000 (five sixths work) at 10% and
        5% = 1,833.33, the other 10,000 at 5% and 0% = 416.67; A 2,083.33 on
        work, B 166.67 on materials. 5a = 1,000 + 2,083.33 + 1,000 = 4,083.33,
        5b = 166.67, line 8 = 30,000 − 2,250.00 = 27,750.00."""
        contract = self._rules_contract("purchase.order", [
            {"rate_work": 10, "rate_materials": 5, "limit_type": "percent_complete", "limit_percent": 50},
            {"rate_work": 5, "rate_materials": 0},
        ], stored_materials_method="roll_forward")
        self._bill_periods(contract, [
            ({"labor": (10_000, 0), "materials": (0, 20_000)}, 1_000.00, 1_000.00, 28_000.00,
             {"labor": 1_000.00, "materials": 1_000.00}),
            ({"labor": (25_000, 0), "materials": (0, 5_000)}, 4_083.33, 166.67, 27_750.00,
             {"labor": 3_083.33, "materials": 1_166.67}),
        ])

    def test_line_rate_overrides_the_rules(self):
        """Labor keeps its own 7.5%; materials follow "10% until 50% complete, then 5%", labor's claim counted first.

        Period 1: A 20,000 → 1,500.00; B 20,000, the contract 20,000 complete
        before it → 2,000.00; period 2: A 40,000 to date → 3,000.00 (1,500.00
        more); B 20,000, the contract 60,000 complete before it → 5%: 1,000.00."""
        contract = self._rules_contract("sale.order", HALF_THEN_FIVE, confirm=False)
        self._lines_by_name(contract)["labor"].retainage_rate = 7.5
        contract.action_confirm()
        self._bill_periods(contract, [
            ({"labor": (20_000, 0), "materials": (20_000, 0)}, 3_500.00, 0.0, 36_500.00,
             {"labor": 1_500.00, "materials": 2_000.00}),
            ({"labor": (20_000, 0), "materials": (20_000, 0)}, 6_000.00, 0.0, 37_500.00,
             {"labor": 3_000.00, "materials": 3_000.00}),
        ])

    def test_release_only_application_after_rules(self):
        """After the Australian example's two periods (5,000.00 held), a
        release of 4,000.00 bills 4,000.00 of retention and withholds nothing;
        a later claim withholds nothing either: a release does not restart
        withholding (the limit counts retention withheld, not held)."""
        contract = self._rules_contract("purchase.order", UNTIL_FIVE_PERCENT_HELD)
        self._bill_periods(contract, [
            ({"labor": (20_000, 0), "materials": (10_000, 0)}, 3_000.00, 0.0, 27_000.00, {}),
            ({"labor": (20_000, 0), "materials": (10_000, 0)}, 5_000.00, 0.0, 28_000.00, {}),
        ])
        self.periods[2].action_open()
        action = contract.with_user(self.accountant).action_release_retainage()
        wizard = self.env[action["res_model"]].browse(action["res_id"])
        self.assertEqual(wizard.line_ids.mapped("retainage_remaining"), [3_333.33, 1_666.67])
        wizard.line_ids[1].amount = 666.67
        release_move = self.env["account.move"].browse(wizard.with_user(self.accountant).action_release()["res_id"])
        release = release_move._progress_billing_application()
        self.assertAmount(release.retainage_work, 5_000.00)
        self.assertAmount(release.total_retainage, 1_000.00)
        self.assertAmount(release.current_payment_due, 4_000.00)
        self.assertAmount(release_move.amount_untaxed, 4_000.00)
        self.assertEqual(
            (contract.retainage_held, contract.retainage_released, contract.retainage_remaining), (5_000.0, 4_000.0, 1_000.0)
        )
        later = self._create_application(contract, self.periods[3], {"labor": (10_000, 0)})
        self.assertAmount(later.retainage_work, 5_000.00)
        self.assertAmount(later.current_payment_due, 10_000.00)
        self.assertAmount(self._create_bill(later).amount_untaxed, 10_000.00)

    def test_g703_workbook_shows_the_retention_by_rules_as_computed(self):
        """Column I of a line following the rules depends on the earlier
        applications: the G703 export writes it as computed (no rates, no
        formula); its grand total is still line 5 of the G702."""
        contract = self._rules_contract("purchase.order", HALF_THEN_FIVE)
        applications = self._bill_periods(contract, [
            ({"labor": (30_000, 0)}, 3_000.00, 0.0, 27_000.00, {}),
            ({"labor": (10_000, 0), "materials": (20_000, 0)}, 5_500.00, 0.0, 27_500.00, {}),
        ])
        sheets = read_xlsx(applications[1]._g703_workbook())
        name = list(sheets)[1]
        cells = sheets[name]
        row = next(int(reference[1:]) for reference, (value, _formula) in cells.items()
                   if reference.startswith("C") and value == "materials")
        self.assertEqual(cells[f"K{row}"], (1_666.67, None))
        self.assertEqual(cells.get(f"L{row}", (None, None))[0], None, "no rate: the rules decide")
        total = max(int(reference[1:]) for reference in cells if reference.startswith("H"))
        self.assertAlmostEqual(evaluate(sheets, name, cells[f"K{total}"][1]), 5_500.00, places=6)


@tagged("post_install", "-at_install", "progress_billing")
class TestRetentionRulesLocked(RetentionRulesCase):
    def test_certified_figures_do_not_follow_the_rules(self):
        """Rules can change while no application is certified (a draft
        follows them); once one is, every way of changing them is refused,
        and the certified retention is frozen with the application."""
        contract = self._rules_contract("purchase.order", HALF_THEN_FIVE)
        draft = self._create_application(contract, self.periods[0], {"labor": (30_000, 0)}, approve=False)
        self.assertAmount(draft.retainage_work, 3_000.00)
        contract.retention_rule_ids[0].rate_work = 8
        self.assertAmount(draft.retainage_work, 2_400.00, "a draft follows the rules")
        draft.action_submit()
        draft.action_approve()
        self.assertEqual(draft.line_ids[0].frozen_values["retainage_work"], 2_400.00)
        self.assertTrue(contract.retention_rules_locked)
        message = (
            rf"{re.escape(contract.display_name)} has certified pay applications \({re.escape(draft.display_name)}\): "
            "its retention rules can no longer change"
        )
        rule = contract.retention_rule_ids[0].with_user(self.manager)
        with self.assertRaisesRegex(UserError, message):
            rule.rate_work = 10
        with self.assertRaisesRegex(UserError, message):
            rule.unlink()
        with self.assertRaisesRegex(UserError, message):
            contract.write({"retention_rule_ids": [Command.create({"rate_work": 1})]})
        self.assertAmount(draft.retainage_work, 2_400.00)


@tagged("post_install", "-at_install", "progress_billing")
class TestRetentionRuleConstraints(ProgressBillingCase):
    def _rules(self, *rules):
        return [Command.create(rule) for rule in rules]

    def test_at_most_five_rules(self):
        rules = [{"rate_work": 10 - step, "limit_type": "percent_complete", "limit_percent": 10 * (step + 1)} for step in range(6)]
        with self.assertRaisesRegex(ValidationError, rf"{self.commitment.name} has 6 retention rules: a contract has at most 5"):
            self.commitment.retention_rule_ids = self._rules(*rules)
        self.commitment.retention_rule_ids = self._rules(*rules[:5])
        self.assertEqual(len(self.commitment.retention_rule_ids), 5)

    def test_only_the_last_rule_applies_to_the_end(self):
        with self.assertRaisesRegex(ValidationError, rf"Retention rule 1 of {self.prime_contract.name} applies to the end"):
            self.prime_contract.retention_rule_ids = self._rules(
                {"rate_work": 10}, {"rate_work": 5, "limit_type": "percent_complete", "limit_percent": 50},
            )

    def test_limits_of_a_kind_increase(self):
        with self.assertRaisesRegex(
            ValidationError, rf"Retention rule 2 of {self.commitment.name} ends before Retention rule 1",
        ):
            self.commitment.retention_rule_ids = self._rules(
                {"rate_work": 10, "limit_type": "percent_complete", "limit_percent": 50},
                {"rate_work": 5, "limit_type": "percent_complete", "limit_percent": 40},
            )

    def test_sane_values(self):
        name = self.commitment.name
        for rule, message in (
            ({"rate_work": 120}, rf"The rates of Retention rule 1 of {name} must be between 0 and 100%"),
            ({"rate_work": 10, "limit_type": "percent_complete", "limit_percent": 0},
             rf"Retention rule 1 of {name} has a limit of 0.0%: a limit is above 0 and at most 100%"),
            ({"rate_work": 10, "limit_type": "retention_amount", "limit_amount": -5},
             rf"Retention rule 1 of {name} applies until the retention held reaches .*: the amount must be above zero"),
            ({"rate_work": 0, "limit_type": "retention_percent", "limit_percent": 5},
             rf"Retention rule 1 of {name} withholds nothing until the retention held reaches its limit"),
        ):
            with self.subTest(rule=rule), self.assertRaisesRegex(ValidationError, message):
                self.commitment.retention_rule_ids = self._rules(rule)

    def test_a_rule_belongs_to_one_contract(self):
        with self.assertRaisesRegex(ValidationError, "A retention rule belongs to one commitment or one prime contract"):
            self.env["progress.billing.retention.rule"].create({
                "rate_work": 10, "purchase_order_id": self.commitment.id, "sale_order_id": self.prime_contract.id,
            })

