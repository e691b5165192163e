"""Keypad amount entry, cash-register style: digits shift in from the right.

Typing 1, 2, 5 in USD gives 1.25; in JPY or sats it gives 125. This needs no
decimal-point key and can never produce more decimals than the currency has.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import Decimal

from kiosk.domain.money import Currency

DIGITS = frozenset("0123456789")
MAX_DIGITS = 12


@dataclass(frozen=True)
class AmountEntry:
    currency: Currency
    maximum: Decimal
    digits: str = ""

    def press(self, key: str) -> AmountEntry:
        """Apply one key ('0'-'9', '00', 'back', 'clear'); keys that would exceed the limit are ignored."""
        if key == "clear":
            return replace(self, digits="")
        if key == "back":
            return replace(self, digits=self.digits[:-1])
        if not key or not set(key) <= DIGITS:
            raise ValueError(f"not a keypad key: {key!r}")
        digits = (self.digits + key).lstrip("0")
        if len(digits) > MAX_DIGITS or _value(digits, self.currency) > self.maximum:
            return self
        return replace(self, digits=digits)

    @property
    def value(self) -> Decimal:
        return _value(self.digits, self.currency)

    @property
    def is_empty(self) -> bool:
        return self.value == 0


def _value(digits: str, currency: Currency) -> Decimal:
    return Decimal(int(digits or "0")).scaleb(-currency.decimals).quantize(currency.quantum)
