"""VAT and sales tax: net, tax and gross per rate, exact to the currency's smallest unit. Pure.

Prices either include the tax (VAT: the shelf price is what the customer pays)
or have it added (US sales tax). The tax is rounded half up either on each line
or once per rate on the whole receipt, as the country requires. Whatever the
rounding, net + tax = gross for every rate, to the last cent.
"""

from __future__ import annotations

import enum
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

HUNDRED = Decimal(100)
MAX_RATE = Decimal(100)


class Rounding(enum.StrEnum):
    LINE = "line"  # each line's tax is rounded, then added up
    RECEIPT = "receipt"  # the lines of one rate are added up, then its tax is rounded once


@dataclass(frozen=True)
class TaxPolicy:
    """The shop's rules: `included` prices hold the tax, else it is added; `tip_rate` None: tips untaxed."""

    included: bool = True
    rounding: Rounding = Rounding.LINE
    tip_rate: Decimal | None = None

    def __post_init__(self) -> None:
        if self.tip_rate is not None:
            check_rate(self.tip_rate)


@dataclass(frozen=True)
class RateTotal:
    """What one tax rate (a percentage) came to: net + tax = gross."""

    rate: Decimal
    net: Decimal
    tax: Decimal

    @property
    def gross(self) -> Decimal:
        return self.net + self.tax


def check_rate(rate: Decimal) -> Decimal:
    """A rate is a percentage from 0 to 100; ValueError otherwise."""
    if not isinstance(rate, Decimal) or not rate.is_finite() or not 0 <= rate <= MAX_RATE:
        raise ValueError(f"{rate!r} is not a tax rate between 0 and 100 %")
    return rate


def split(amount: Decimal, rate: Decimal, included: bool, quantum: Decimal) -> RateTotal:
    """One amount as charged (gross if `included`, else net) split into net and tax."""
    check_rate(rate)
    if included:
        tax = (amount * rate / (HUNDRED + rate)).quantize(quantum, rounding=ROUND_HALF_UP)
        return RateTotal(rate, amount - tax, tax)
    tax = (amount * rate / HUNDRED).quantize(quantum, rounding=ROUND_HALF_UP)
    return RateTotal(rate, amount, tax)


def by_rate(
    lines: Iterable[tuple[Decimal, Decimal]], policy: TaxPolicy, quantum: Decimal
) -> tuple[RateTotal, ...]:
    """(amount, rate) lines as net, tax and gross per rate, lowest rate first."""
    amounts: dict[Decimal, list[Decimal]] = defaultdict(list)
    for amount, rate in lines:
        amounts[check_rate(rate)].append(amount)
    totals = []
    for rate, parts in sorted(amounts.items()):
        if policy.rounding is Rounding.RECEIPT:
            parts = [sum(parts, Decimal(0))]
        pieces = [split(amount, rate, policy.included, quantum) for amount in parts]
        totals.append(
            RateTotal(
                rate, sum((p.net for p in pieces), Decimal(0)), sum((p.tax for p in pieces), Decimal(0))
            )
        )
    return tuple(totals)


def merged(totals: Iterable[RateTotal]) -> tuple[RateTotal, ...]:
    """Totals of the same rate added together (e.g. a shift's receipts), lowest rate first."""
    sums: dict[Decimal, tuple[Decimal, Decimal]] = {}
    for total in totals:
        net, tax = sums.get(total.rate, (Decimal(0), Decimal(0)))
        sums[total.rate] = (net + total.net, tax + total.tax)
    return tuple(RateTotal(rate, net, tax) for rate, (net, tax) in sorted(sums.items()))
