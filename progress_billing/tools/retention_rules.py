# Copyright 2026 Progress Billing Developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

"""Sliding-scale retention (readme/USAGE.md, "Bills, invoices and retainage"): what a pay application
withholds on the lines that follow the contract's retention rules.

Plain Python, no database. A contract has up to five ordered rules; each
withholds a rate of the work claimed and a rate of the materials claimed
(they may differ) until its limit is reached, then the next rule applies;
after the last rule with a limit, nothing is withheld. A limit is reached
when the contract's completed and stored to date (G702 line 4) reaches an
amount (percent complete × contract sum, resolved by the caller), or when
the retention withheld to date (G702 lines 5a + 5b, releases not deducted:
a release does not restart withholding) reaches an amount (a percentage of
the original or revised contract sum, or a fixed amount). The last rule may
have no limit: it applies to the end of the contract.

A period whose claim crosses a limit is split exactly: the part of the claim
up to the limit at the old rule's rates, the rest at the next rule's. Every
line of the period shares the same split, so each line's retention is its
claim at the period's effective rates. Rounding follows the addon's
retainage: each line's work and materials retention is rounded to the
currency, and largest remainders make each column total the rounded
contract total, so that a limit held “until 5% of the contract sum” is
reached to the cent.
"""

import math
from dataclasses import dataclass

from odoo.tools.float_utils import float_round

# what ends a rule
UNTIL_COMPLETED = "completed"
UNTIL_WITHHELD = "withheld"


@dataclass(frozen=True)
class Rule:
    """One retention rule: rates in percent, the kind of limit that ends it
    (``None``: it applies to the end) and the limit as an amount."""

    rate_work: float
    rate_materials: float
    until: str | None = None
    limit: float = 0.0


@dataclass(frozen=True)
class Claim:
    """What one line claims this period: work (new work, materials installed
    excluded) and materials newly stored. Either may be negative (a credit)."""

    work: float
    materials: float


@dataclass(frozen=True)
class Withheld:
    """Retention withheld on a line this period, on work and on materials."""

    work: float
    materials: float


def _reached(rule, completed, withheld):
    if rule.until == UNTIL_COMPLETED:
        return completed >= rule.limit
    if rule.until == UNTIL_WITHHELD:
        return withheld >= rule.limit
    return False


def effective_rates(rules, completed, withheld, work, materials):
    """(work rate, materials rate), as fractions, at which a contract claim of
    ``work`` and ``materials`` is withheld, given the contract's ``completed``
    and stored to date and retention ``withheld`` to date before the claim.

    The claim is walked through the rules: each rule takes the part of the
    claim up to its limit at its rates (an amount-of-retention limit is
    converted into claim at the rule's rate for this claim's mix of work and
    materials), the next rule takes the rest. A claim with a credit in it
    (work or materials below zero) is withheld at the rates of the rule in
    force, crossing nothing: progress going back never reopens a rule."""
    stage = next((index for index, rule in enumerate(rules) if not _reached(rule, completed, withheld)), len(rules))
    claim = work + materials
    if stage == len(rules):
        return 0.0, 0.0
    if claim <= 0 or work < 0 or materials < 0:
        return rules[stage].rate_work / 100, rules[stage].rate_materials / 100
    work_share = work / claim
    rest, retention_work, retention_materials = claim, 0.0, 0.0
    for rule in rules[stage:]:
        rate = (work_share * rule.rate_work + (1 - work_share) * rule.rate_materials) / 100
        if rule.until == UNTIL_COMPLETED:
            room = rule.limit - completed
        elif rule.until == UNTIL_WITHHELD:
            room = (rule.limit - withheld) / rate if rate else math.inf
        else:
            room = math.inf
        taken = min(rest, room)
        retention_work += taken * work_share * rule.rate_work / 100
        retention_materials += taken * (1 - work_share) * rule.rate_materials / 100
        completed += taken
        withheld += taken * rate
        rest -= taken
        if rest <= 0:
            break
    return (
        retention_work / work if work else 0.0,
        retention_materials / materials if materials else 0.0,
    )


def apportion(amounts, rounding):
    """``amounts`` each rounded to ``rounding`` (the currency's rounding step,
    half up as Odoo's currencies round), their total the rounded total of the
    exact amounts: the cents lost or gained by rounding each go to the
    amounts whose rounding moved them most."""
    units = [amount / rounding for amount in amounts]
    rounded = [round(float_round(amount, precision_rounding=rounding) / rounding) for amount in amounts]
    missing = round(float_round(sum(amounts), precision_rounding=rounding) / rounding) - sum(rounded)
    step = 1 if missing > 0 else -1
    # the amounts rounded furthest away from where the cents must go come first
    order = sorted(range(len(units)), key=lambda index: (units[index] - rounded[index]) * -step)
    for index in order[:abs(missing)]:
        rounded[index] += step
    return [float_round(unit * rounding, precision_rounding=rounding) for unit in rounded]


def withhold(rules, completed, withheld, claims, rounding):
    """Retention withheld this period on each of ``claims`` (a ``Withheld``
    per ``Claim``, in order), by the contract's ``rules``, given the contract's
    ``completed`` and stored to date and retention ``withheld`` to date before
    these claims (see ``effective_rates``), rounded to ``rounding``."""
    rate_work, rate_materials = effective_rates(
        rules, completed, withheld, sum(claim.work for claim in claims), sum(claim.materials for claim in claims),
    )
    works = apportion([claim.work * rate_work for claim in claims], rounding)
    materials = apportion([claim.materials * rate_materials for claim in claims], rounding)
    return [Withheld(work, material) for work, material in zip(works, materials, strict=True)]
