"""A bill: the lines rung up, their discounts and taxes, and the tip, added up exactly. Pure.

    subtotal (net of tax, after discounts) + tax (every rate, the tip's too) + tips (net) = total

The customer pays `total`: the goods as charged (`goods`) plus the tip they chose.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from kiosk.domain.discount import Discount, allocate
from kiosk.domain.tax import RateTotal, TaxPolicy, by_rate, check_rate, merged, split

ZERO = Decimal(0)


@dataclass(frozen=True)
class BillLine:
    """`unit_price` as the shop lists it (tax included or not, as the shop's policy says)."""

    name: str
    quantity: int
    unit_price: Decimal
    tax_rate: Decimal = ZERO
    discount: Discount | None = None

    def __post_init__(self) -> None:
        if self.quantity <= 0 or self.unit_price < 0:
            raise ValueError("a line has a quantity above zero and a price of zero or more")
        check_rate(self.tax_rate)

    @property
    def amount(self) -> Decimal:
        return self.unit_price * self.quantity


@dataclass(frozen=True)
class Bill:
    lines: tuple[BillLine, ...]
    line_discounts: tuple[Decimal, ...]  # each line's own discount, as taken off
    order_discount: Decimal  # the order's discount, shared among the lines
    rates: tuple[RateTotal, ...]  # the goods, per rate
    tip: Decimal = ZERO  # as the customer gave it (tax included)
    tip_tax: Decimal = ZERO
    tip_rate: Decimal | None = None

    @property
    def subtotal(self) -> Decimal:
        return sum((r.net for r in self.rates), ZERO)

    @property
    def goods(self) -> Decimal:
        """What the goods cost the customer, tax included, before the tip."""
        return sum((r.gross for r in self.rates), ZERO)

    @property
    def tips(self) -> Decimal:
        """The tip without its tax."""
        return self.tip - self.tip_tax

    @property
    def discount(self) -> Decimal:
        return sum(self.line_discounts, ZERO) + self.order_discount

    @property
    def tax_by_rate(self) -> tuple[RateTotal, ...]:
        """Every rate's net and tax, the tip's included."""
        tip = (
            (RateTotal(self.tip_rate, self.tips, self.tip_tax),)
            if self.tip_rate is not None and self.tip
            else ()
        )
        return merged((*self.rates, *tip))

    @property
    def tax(self) -> Decimal:
        return sum((r.tax for r in self.rates), ZERO) + self.tip_tax

    @property
    def total(self) -> Decimal:
        return self.goods + self.tip


def make_bill(
    lines: Sequence[BillLine],
    quantum: Decimal,
    policy: TaxPolicy,
    order_discount: Discount | None = None,
    tip: Decimal = ZERO,
) -> Bill:
    """Discount each line, share the order's discount among them, tax each rate, add the tip."""
    if not lines:
        raise ValueError("a bill has at least one line")
    if tip < 0:
        raise ValueError("a tip cannot be negative")
    line_off = tuple(line.discount.off(line.amount, quantum) if line.discount else ZERO for line in lines)
    after = [line.amount - off for line, off in zip(lines, line_off, strict=True)]
    order_off = order_discount.off(sum(after, ZERO), quantum) if order_discount else ZERO
    shares = allocate(order_off, after, quantum)
    charged = [(a - s, line.tax_rate) for a, s, line in zip(after, shares, lines, strict=True)]
    tip_tax = ZERO
    if policy.tip_rate is not None and tip:
        tip_tax = split(tip, policy.tip_rate, True, quantum).tax
    return Bill(
        tuple(lines), line_off, order_off, by_rate(charged, policy, quantum), tip, tip_tax, policy.tip_rate
    )
