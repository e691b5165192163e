"""Where the kiosk's exchange rate comes from, and what the cashier is told about it."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Protocol

from kiosk.clock import now_ms
from kiosk.domain.money import Currency, Rate
from kiosk.i18n import N_, _

FIAT_OFF = N_("fiat charging is off, sats still work")  # translated where it is shown


@dataclass(frozen=True)
class RateStatus:
    """For the screen: `message` for the cashier, `age_seconds` of the last rate (None if there is none).

    `usable` is False whenever `current()` returns None; `detail` says why, for the admin.
    """

    usable: bool
    message: str
    age_seconds: int | None = None
    detail: str = ""


class RateSource(Protocol):
    def current(self) -> Rate | None:
        """The rate to charge at now, or None when there is no trustworthy rate."""
        ...

    def status(self) -> RateStatus: ...

    def close(self) -> None:
        """Stop any background work."""
        ...


class DemoRate:
    """A fixed price for the demo node, labelled as such on screen and receipt."""

    def __init__(self, btc_price: Decimal, currency: Currency) -> None:
        self._price = btc_price
        self._currency = currency

    def current(self) -> Rate | None:
        return Rate(self._price, self._currency, _("demo rate"), now_ms())

    def status(self) -> RateStatus:
        return RateStatus(True, _("Demo rate: not a market price"), 0)

    def close(self) -> None:
        pass  # nothing runs in the background


class NoRate:
    """No rate provider configured: fiat charging is refused, sats still work."""

    def current(self) -> Rate | None:
        return None

    def status(self) -> RateStatus:
        return RateStatus(
            False,
            _("No exchange rate set up: {fiat_off}").format(fiat_off=_(FIAT_OFF)),
            detail=_("Set enabled = true in the [rates] section of the config for market rates"),
        )

    def close(self) -> None:
        pass  # nothing runs in the background
