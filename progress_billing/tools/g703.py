# Copyright 2026 Progress Billing Developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

"""The columns of one G703 line as plain numbers (AIA G703, columns C to I).

A pay application's figures are worked out once per application on these
plain values, never field by field on the line records: a Schedule of Values
has hundreds of lines, and the G702 totals, the over-billing check and the
line columns shown on the form all read the same values
(readme/USAGE.md, "Bills, invoices and retainage": the same figures everywhere)."""

from dataclasses import dataclass


@dataclass(slots=True)
class G703Line:
    """C, D, E and F of a line with its retention, in the contract's currency.

    An empty one (all zeros) stands for a line that has no predecessor: a
    source billed for the first time."""

    # what the line bills: the key of its contract line or change order line
    source: tuple = ()
    scheduled_value: float = 0.0  # C
    previous_work: float = 0.0  # D
    work_this_period: float = 0.0  # E
    materials_stored: float = 0.0  # F
    retainage_rate: float = 0.0
    retainage_rate_materials: float = 0.0
    # the line follows the contract's retention rules instead of its own rate
    follows_rules: bool = False
    retainage_released: float = 0.0
    previous_retainage_released: float = 0.0
    # the cash retention (5a, 5b) and what bank guarantees cover instead
    retainage_work: float = 0.0
    retainage_on_materials: float = 0.0
    retainage_covered_work: float = 0.0
    retainage_covered_materials: float = 0.0

    @property
    def total_completed(self):
        """G = D + E + F."""
        return self.previous_work + self.work_this_period + self.materials_stored

    @property
    def balance_to_finish(self):
        """H = C - G."""
        return self.scheduled_value - self.total_completed

    @property
    def percent_complete(self):
        """G / C in percent (0 without a scheduled value)."""
        return 100.0 * self.total_completed / self.scheduled_value if self.scheduled_value else 0.0

    @property
    def retainage(self):
        """I: the retention held in cash to date, less what was released."""
        return (
            self.retainage_work + self.retainage_on_materials
            - self.previous_retainage_released - self.retainage_released
        )

    def retention_required(self):
        """(on work, on stored materials): the retention the contract
        requires held on the line, the cash part plus what guarantees cover
        instead (readme/USAGE.md, "Bank guarantees and retention bonds")."""
        return (
            self.retainage_work + self.retainage_covered_work,
            self.retainage_on_materials + self.retainage_covered_materials,
        )
