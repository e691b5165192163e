"""Discounts: a percentage or an amount off one line or the whole order. Pure and exact.

An order's discount is shared among its lines in proportion to their amounts
(largest remainder first), so each tax rate's lines bear their part and the
parts add up to the discount exactly.
"""

from __future__ import annotations

import enum
import math
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

HUNDRED = Decimal(100)


class DiscountKind(enum.StrEnum):
    PERCENT = "percent"
    AMOUNT = "amount"


@dataclass(frozen=True)
class Discount:
    kind: DiscountKind
    value: Decimal  # a percentage (0-100) or an amount in the sale's currency
    approved: bool = False  # given or approved by a manager: the cashier's limit does not count it

    def __post_init__(self) -> None:
        if not isinstance(self.value, Decimal) or not self.value.is_finite() or self.value < 0:
            raise ValueError("a discount is a Decimal of zero or more")
        if self.kind is DiscountKind.PERCENT and self.value > HUNDRED:
            raise ValueError("a percentage discount is at most 100 %")

    def off(self, amount: Decimal, quantum: Decimal) -> Decimal:
        """How much comes off `amount`: never more than the amount itself."""
        if self.kind is DiscountKind.PERCENT:
            cut = (amount * self.value / HUNDRED).quantize(quantum, rounding=ROUND_HALF_UP)
        else:
            cut = self.value.quantize(quantum, rounding=ROUND_HALF_UP)
        return min(cut, amount)

    def needs_approval(self, base: Decimal, quantum: Decimal, limit_percent: Decimal) -> bool:
        """Above `limit_percent` of `base`, what it is taken off: a percentage as given, an amount as
        the share of `base` it takes (exactly: no rounding lets a larger amount through).
        """
        if self.kind is DiscountKind.PERCENT:
            return self.value > limit_percent
        return self.off(base, quantum) * HUNDRED > limit_percent * base


def percent(value: Decimal | int | str) -> Discount:
    return Discount(DiscountKind.PERCENT, Decimal(value))


def amount(value: Decimal | int | str) -> Discount:
    return Discount(DiscountKind.AMOUNT, Decimal(value))


def allocate(total: Decimal, amounts: Sequence[Decimal], quantum: Decimal) -> list[Decimal]:
    """`total` shared among `amounts` pro rata in whole quanta: they sum to it, none above its amount."""
    whole = sum(amounts, Decimal(0))
    if not 0 <= total <= whole:
        raise ValueError(f"cannot share {total} among amounts that add up to {whole}")
    if total == 0:
        return [Decimal(0) * quantum for _ in amounts]
    units = int(total / quantum)
    ideal = [Fraction(units) * Fraction(a) / Fraction(whole) for a in amounts]
    shares = [math.floor(x) for x in ideal]
    order = sorted(range(len(amounts)), key=lambda i: (-(ideal[i] - shares[i]), i))
    for i in order[: units - sum(shares)]:
        shares[i] += 1
    return [Decimal(s) * quantum for s in shares]
