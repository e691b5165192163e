"""What a customer is asked to pay: the amount in msat, and the fiat and rate behind it."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from kiosk.domain.money import Currency, Fiat, Rate, fiat_to_msat, sats_to_msat


@dataclass(frozen=True)
class Quote:
    amount_msat: int
    fiat: Fiat | None = None
    rate: Rate | None = None


class CannotPrice(ValueError):
    """The amount cannot be charged as it is (zero, over the limit, or no rate for fiat)."""


def quote(value: Decimal, currency: Currency, rate: Rate | None, max_sats: int) -> Quote:
    """Price an entered amount; fiat needs a rate for the same currency."""
    if value <= 0:
        raise CannotPrice("Enter an amount above zero")
    if currency.is_sats:
        if value != value.to_integral_value():
            raise CannotPrice("Sats are whole numbers")
        q = Quote(sats_to_msat(int(value)))
    else:
        if rate is None or rate.currency != currency:
            raise CannotPrice(f"No exchange rate for {currency.code}: charge in sats instead")
        q = Quote(fiat_to_msat(Fiat(value, currency), rate), Fiat(value, currency), rate)
    if q.amount_msat <= 0:
        raise CannotPrice("The amount is less than one sat")
    if q.amount_msat > sats_to_msat(max_sats):
        raise CannotPrice(f"The amount is above this kiosk's limit of {max_sats:,} sats")
    return q
