"""Tips: preset percentages of the amount, or an amount the customer types. Pure."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from kiosk.domain.money import Currency

HUNDRED = Decimal(100)


def tip_for_percent(subtotal: Decimal, percent: Decimal, unit: Currency) -> Decimal:
    """`percent` of `subtotal` in the currency's smallest unit, half up (10 % of $4.55 is $0.46)."""
    if percent < 0:
        raise ValueError("a tip percentage cannot be negative")
    return (subtotal * percent / HUNDRED).quantize(unit.quantum, rounding=ROUND_HALF_UP)


class NotAPercentage(ValueError):
    """An entry of a tip preset list that is not a percentage above 0 and at most 100."""

    def __init__(self, entry: str) -> None:
        super().__init__(f"{entry!r} is not a percentage between 0 and 100")
        self.entry = entry


def parse_presets(text: str) -> tuple[Decimal, ...]:
    """'10, 15, 20' -> (10, 15, 20); raises NotAPercentage naming the bad entry."""
    presets = []
    for part in (p.strip() for p in text.split(",")):
        if not part:
            continue
        try:
            value = Decimal(part.rstrip("%").strip())
        except ArithmeticError:
            raise NotAPercentage(part) from None
        if not value.is_finite() or not 0 < value <= 100:
            raise NotAPercentage(part)
        presets.append(value)
    return tuple(presets)
