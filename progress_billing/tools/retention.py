# Copyright 2026 Progress Billing Developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

"""Retention maths that needs no database: amounts split over the lines of a
pay application exactly to the cent (readme/USAGE.md, "Release stages";
readme/USAGE.md, "Bank guarantees and retention bonds"). Amounts are in integer minor units (cents), so that the shares
add up to the total exactly."""


def split_in_proportion(total, weights):
    """Split ``total`` (integer cents) over ``weights`` (integer cents, not
    negative) in proportion to them, by largest remainder: the shares add up
    to ``total`` exactly and none exceeds its weight. A ``total`` above the
    sum of the weights is capped at that sum (a line never gives more than it
    has); ties go to the earlier weight."""
    weights = [max(int(weight), 0) for weight in weights]
    whole = sum(weights)
    total = min(max(int(total), 0), whole)
    if not total:
        return [0] * len(weights)
    shares = [total * weight // whole for weight in weights]
    remainders = sorted(
        range(len(weights)), key=lambda index: (-(total * weights[index] % whole), index)
    )
    for index in remainders[: total - sum(shares)]:
        shares[index] += 1
    return shares


def guarantee_cover(cover, outstanding):
    """How much of the retention each line would hold in cash is covered by
    bank guarantees and retention bonds instead (readme/USAGE.md, "Bank guarantees and retention bonds"): the cover
    (cents) replaces cash retention until cash plus cover reach what the contract
    requires, so the lines give up ``min(cover, sum(outstanding))`` in
    proportion to the cash retention each still holds (``outstanding``,
    cents)."""
    return split_in_proportion(cover, outstanding)
