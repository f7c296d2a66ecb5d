# Copyright 2026 Progress Billing Developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

"""Where each auto-completion source amount lands on an owner invoice.

Plain Python, no database: the owner invoice gathers its sources and lines,
this module applies the matching rules (readme/USAGE.md, "Auto-completing owner invoices"),
which never copy an amount twice:

1. A source billing a commitment change order (CCO) line goes to the owner
   invoice line of the prime contract change order (PCCO) line tied to it by
   the same change event line: the line billing that PCCO line on its own,
   else the Schedule of Values (SOV) line the PCCO line revises.
2. Any other source goes to the SOV line with its cost code and cost type,
3. else to the SOV line of the division its cost code belongs to
   (03-300 goes to division 03).
4. A source that matches nothing is returned as unmatched, with the reason.

Never doubled: when several lines qualify at the same step (two SOV lines
with the same cost code and cost type, say), Procore copies the amount onto
each of them. Here the whole amount goes to the first of them in invoice
order (sequence, then id) and to no other; the qualifying lines are reported
as ambiguous so the user can merge or re-code them.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

# why a source matched no line
UNFUNDED_CHANGE_ORDER = "unfunded_change_order"
CHANGE_ORDER_NOT_BILLED = "change_order_not_billed"
NO_COST_CODE = "no_cost_code"
NO_MATCHING_LINE = "no_matching_line"


@dataclass(frozen=True)
class TargetLine:
    """An owner invoice line that can receive amounts."""

    id: int
    sequence: int = 0
    sale_line_id: int | None = None
    change_order_line_id: int | None = None
    cost_code_id: int | None = None
    cost_type_id: int | None = None
    division_id: int | None = None

    @property
    def order(self):
        return (self.sequence, self.id)


@dataclass(frozen=True)
class SourceLine:
    """A subcontractor invoice line or direct cost line to copy.

    ``key`` identifies the source for the caller (any hashable value).
    ``division_id`` is the division of the source's cost code. A source
    billing a CCO line has ``is_change_order`` set and, when an approved PCCO
    line with an amount funds it, that line and the SOV line it revises."""

    key: Any
    work: float = 0.0
    materials: float = 0.0
    cost_code_id: int | None = None
    cost_type_id: int | None = None
    division_id: int | None = None
    is_change_order: bool = False
    pcco_line_id: int | None = None
    pcco_sale_line_id: int | None = None


@dataclass
class Allocation:
    """Result of :func:`allocate`.

    ``sources_by_line``: owner invoice line id -> the sources landing on it.
    ``unmatched``: (source, reason) for each source that landed nowhere.
    ``ambiguous``: ids of lines that qualified together (the first one got
    the amounts) -> the sources concerned."""

    sources_by_line: dict = field(default_factory=lambda: defaultdict(list))
    unmatched: list = field(default_factory=list)
    ambiguous: dict = field(default_factory=lambda: defaultdict(list))

    def totals(self, line_id):
        """(work, materials) landing on one line."""
        sources = self.sources_by_line.get(line_id, ())
        return sum(source.work for source in sources), sum(source.materials for source in sources)


def allocate(targets, sources):
    """Land each source on at most one target line (rules in the module docstring)."""
    by_cost_code, by_division, by_change_order_line, by_sale_line = (defaultdict(list) for _i in range(4))
    for target in sorted(targets, key=lambda target: target.order):
        if target.change_order_line_id:
            by_change_order_line[target.change_order_line_id].append(target.id)
            continue
        if target.sale_line_id:
            by_sale_line[target.sale_line_id].append(target.id)
        if target.cost_code_id:
            by_cost_code[target.cost_code_id, target.cost_type_id].append(target.id)
        elif target.division_id:
            by_division[target.division_id].append(target.id)

    def candidates(source):
        if source.is_change_order:
            if not source.pcco_line_id:
                return [], UNFUNDED_CHANGE_ORDER
            lines = by_change_order_line.get(source.pcco_line_id) or (
                source.pcco_sale_line_id and by_sale_line.get(source.pcco_sale_line_id)
            )
            return lines or [], CHANGE_ORDER_NOT_BILLED
        if not source.cost_code_id:
            return [], NO_COST_CODE
        lines = by_cost_code.get((source.cost_code_id, source.cost_type_id)) or by_division.get(source.division_id)
        return lines or [], NO_MATCHING_LINE

    allocation = Allocation()
    for source in sources:
        lines, reason = candidates(source)
        if not lines:
            allocation.unmatched.append((source, reason))
            continue
        allocation.sources_by_line[lines[0]].append(source)
        if len(lines) > 1:
            allocation.ambiguous[tuple(lines)].append(source)
    return allocation
