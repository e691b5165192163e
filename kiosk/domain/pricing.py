"""What a customer is asked to pay: the amount in msat, and the fiat and rate behind it."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from kiosk.domain.money import Currency, Fiat, Rate, fiat_to_msat, sats_to_msat
from kiosk.domain.sale import SaleItem
from kiosk.i18n import _


@dataclass(frozen=True)
class Quote:
    """`amount_msat` and `fiat` are totals, tip included; `tip_msat` is the tip's share of the msat."""

    amount_msat: int
    fiat: Fiat | None = None
    rate: Rate | None = None
    tip_msat: int = 0
    tip_fiat: Fiat | None = None
    items: tuple[SaleItem, ...] = ()


class CannotPrice(ValueError):
    """The amount cannot be charged as it is (zero, over the limit, or no rate for fiat)."""


def quote(
    value: Decimal,
    currency: Currency,
    rate: Rate | None,
    max_sats: int,
    tip: Decimal = Decimal(0),
    items: tuple[SaleItem, ...] = (),
) -> Quote:
    """Price an amount plus an optional tip (both in `currency`); fiat needs a rate for the same currency.

    The tip's msat are the total's msat minus the amount's, so the parts always add up to the invoice.
    """
    if value <= 0:
        raise CannotPrice(_("Enter an amount above zero"))
    if tip < 0:
        raise CannotPrice(_("A tip cannot be negative"))
    if currency.is_sats:
        if value != value.to_integral_value() or tip != tip.to_integral_value():
            raise CannotPrice(_("Sats are whole numbers"))
        q = Quote(sats_to_msat(int(value + tip)), tip_msat=sats_to_msat(int(tip)), items=items)
    else:
        if rate is None or rate.currency != currency:
            raise CannotPrice(
                _("No exchange rate for {currency}: charge in sats instead").format(currency=currency.code)
            )
        total = Fiat(value + tip, currency)
        msat = fiat_to_msat(total, rate)
        tip_msat = msat - fiat_to_msat(Fiat(value, currency), rate)
        tip_fiat = Fiat(tip, currency) if tip else None
        q = Quote(msat, total, rate, tip_msat, tip_fiat, items)
    if q.amount_msat <= 0:
        raise CannotPrice(_("The amount is less than one sat"))
    if q.amount_msat > sats_to_msat(max_sats):
        raise CannotPrice(
            _("The amount is above this kiosk's limit of {max_sats} sats").format(max_sats=f"{max_sats:,}")
        )
    return q


@dataclass(frozen=True)
class Order:
    """What the cashier rang up, before tip and pricing: an amount (or a cart's total) and its items."""

    value: Decimal
    currency: Currency
    items: tuple[SaleItem, ...] = ()

    def priced(self, rate: Rate | None, max_sats: int, tip: Decimal = Decimal(0)) -> Quote:
        return quote(self.value, self.currency, rate, max_sats, tip, self.items)
