# Copyright 2026 Progress Billing Developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from odoo.tests import TransactionCase, tagged

from ..tools.autocomplete_allocation import (
    CHANGE_ORDER_NOT_BILLED,
    NO_COST_CODE,
    NO_MATCHING_LINE,
    UNFUNDED_CHANGE_ORDER,
    SourceLine,
    TargetLine,
    allocate,
)

# cost codes 300 and 310 are in division 3, cost code 120 in division 5; cost types 1 and 2
LABOR_300 = TargetLine(id=1, sequence=1, sale_line_id=11, cost_code_id=300, cost_type_id=1, division_id=None)
MATERIALS_300 = TargetLine(id=2, sequence=2, sale_line_id=12, cost_code_id=300, cost_type_id=2)
DIVISION_3 = TargetLine(id=3, sequence=3, sale_line_id=13, division_id=3)
PCCO_ON_ITS_OWN = TargetLine(id=4, sequence=4, change_order_line_id=40, cost_code_id=300, cost_type_id=1)
TARGETS = [LABOR_300, MATERIALS_300, DIVISION_3, PCCO_ON_ITS_OWN]


@tagged("post_install", "-at_install", "progress_billing")
class TestAutocompleteAllocation(TransactionCase):
    """The matching rules as a pure function, without database records."""

    def test_same_cost_code_and_cost_type(self):
        source = SourceLine(key="a", work=100, materials=5, cost_code_id=300, cost_type_id=2, division_id=3)
        allocation = allocate(TARGETS, [source])
        self.assertEqual(dict(allocation.sources_by_line), {2: [source]})
        self.assertEqual(allocation.totals(2), (100, 5))

    def test_division_fallback(self):
        other_type = SourceLine(key="a", work=100, cost_code_id=300, cost_type_id=9, division_id=3)
        other_code = SourceLine(key="b", work=50, cost_code_id=310, cost_type_id=1, division_id=3)
        allocation = allocate(TARGETS, [other_type, other_code])
        self.assertEqual(dict(allocation.sources_by_line), {3: [other_type, other_code]})

    def test_cost_code_match_wins_over_division(self):
        source = SourceLine(key="a", work=100, cost_code_id=300, cost_type_id=1, division_id=3)
        self.assertEqual(list(allocate(TARGETS, [source]).sources_by_line), [1])

    def test_change_order_lines_never_take_cost_code_matches(self):
        source = SourceLine(key="a", work=100, cost_code_id=300, cost_type_id=1, division_id=3)
        allocation = allocate([PCCO_ON_ITS_OWN], [source])
        self.assertEqual(allocation.unmatched, [(source, NO_MATCHING_LINE)])

    def test_unmatched_sources_are_kept_with_their_reason(self):
        no_line = SourceLine(key="a", work=100, cost_code_id=120, cost_type_id=1, division_id=5)
        no_code = SourceLine(key="b", work=30)
        allocation = allocate(TARGETS, [no_line, no_code])
        self.assertFalse(allocation.sources_by_line)
        self.assertEqual(allocation.unmatched, [(no_line, NO_MATCHING_LINE), (no_code, NO_COST_CODE)])

    def test_duplicate_lines_receive_the_amount_once(self):
        """Procore copies the amount onto both lines; we put it on the first
        in invoice order and report the lines."""
        second = TargetLine(id=7, sequence=1, sale_line_id=17, cost_code_id=300, cost_type_id=1)
        first = TargetLine(id=8, sequence=0, sale_line_id=18, cost_code_id=300, cost_type_id=1)
        sources = [SourceLine(key=key, work=100, cost_code_id=300, cost_type_id=1, division_id=3) for key in "ab"]
        allocation = allocate([second, first], sources)
        self.assertEqual(dict(allocation.sources_by_line), {8: sources})
        self.assertEqual(allocation.totals(8), (200, 0))
        self.assertEqual(dict(allocation.ambiguous), {(8, 7): sources})

    def test_same_sequence_is_ordered_by_id(self):
        lines = [TargetLine(id=9, division_id=3), TargetLine(id=5, division_id=3)]
        source = SourceLine(key="a", work=1, cost_code_id=310, division_id=3)
        self.assertEqual(list(allocate(lines, [source]).sources_by_line), [5])

    def test_change_order_goes_to_the_funding_pcco_line(self):
        source = SourceLine(key="a", work=70, cost_code_id=300, cost_type_id=1, is_change_order=True, pcco_line_id=40)
        self.assertEqual(dict(allocate(TARGETS, [source]).sources_by_line), {4: [source]})

    def test_change_order_goes_to_the_sov_line_its_pcco_revises(self):
        source = SourceLine(key="a", work=70, is_change_order=True, pcco_line_id=41, pcco_sale_line_id=13)
        self.assertEqual(dict(allocate(TARGETS, [source]).sources_by_line), {3: [source]})

    def test_change_order_without_funding_or_billing_is_unmatched(self):
        unfunded = SourceLine(key="a", work=70, cost_code_id=300, cost_type_id=1, is_change_order=True)
        not_billed = SourceLine(key="b", work=70, is_change_order=True, pcco_line_id=99)
        allocation = allocate(TARGETS, [unfunded, not_billed])
        self.assertEqual(allocation.unmatched, [(unfunded, UNFUNDED_CHANGE_ORDER), (not_billed, CHANGE_ORDER_NOT_BILLED)])
