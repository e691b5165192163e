"""Where the kiosk's exchange rate comes from."""

from __future__ import annotations

import time
from decimal import Decimal
from typing import Protocol

from kiosk.domain.money import Currency, Rate


class RateSource(Protocol):
    def current(self) -> Rate | None:
        """The rate to charge at now, or None when there is no trustworthy rate."""
        ...


class DemoRate:
    """A fixed price for the demo node, labelled as such on screen and receipt."""

    def __init__(self, btc_price: Decimal, currency: Currency) -> None:
        self._price = btc_price
        self._currency = currency

    def current(self) -> Rate | None:
        return Rate(self._price, self._currency, "demo rate", time.time_ns() // 1_000_000)


class NoRate:
    """No rate provider configured: fiat charging is refused, sats still work."""

    def current(self) -> Rate | None:
        return None
