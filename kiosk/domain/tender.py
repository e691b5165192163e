"""How a sale was paid: Lightning, or cash handed over at the counter, with its change. Pure."""

from __future__ import annotations

import enum
from decimal import Decimal


class Tender(enum.StrEnum):
    LIGHTNING = "lightning"
    CASH = "cash"


class NotEnoughCash(ValueError):
    """Less cash was handed over than the sale's total."""


def change_due(due: Decimal, tendered: Decimal) -> Decimal:
    """The change for `tendered` against `due`; NotEnoughCash if it does not cover it."""
    if due <= 0:
        raise ValueError("a cash sale is for an amount above zero")
    if tendered < due:
        raise NotEnoughCash(f"{tendered} does not cover {due}")
    return tendered - due
