"""What a customer is asked to pay: the amount in msat, and the fiat and rate behind it."""

from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import Decimal

from kiosk.domain.bill import Bill, BillLine, make_bill
from kiosk.domain.discount import Discount, DiscountKind
from kiosk.domain.money import Currency, Fiat, Rate, fiat_to_msat, format_fiat, msat_to_fiat, sats_to_msat
from kiosk.domain.sale import SaleItem
from kiosk.domain.tax import TaxPolicy
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
    bill: Bill | None = None  # the lines, discounts and taxes behind the amount


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
        if q.rate is not None:  # the cashier types fiat: the limit in fiat too, at this rate
            limit = format_fiat(msat_to_fiat(sats_to_msat(max_sats), q.rate))
            raise CannotPrice(
                _("The amount is above this kiosk's limit of {max_sats} sats (about {limit})").format(
                    max_sats=f"{max_sats:,}", limit=limit
                )
            )
        raise CannotPrice(
            _("The amount is above this kiosk's limit of {max_sats} sats").format(max_sats=f"{max_sats:,}")
        )
    return q


NO_TAX = TaxPolicy()


@dataclass(frozen=True)
class Order:
    """What the cashier rang up, before tip and pricing: an amount (or a cart's total) and its items.

    `tax_rate` is the shop's, for a keypad amount; catalog items carry their own. `discount` is off
    the whole order (a line's own is on its item).
    """

    value: Decimal
    currency: Currency
    items: tuple[SaleItem, ...] = ()
    tax: TaxPolicy = NO_TAX
    tax_rate: Decimal = Decimal(0)
    discount: Discount | None = None

    def bill(self, tip: Decimal = Decimal(0)) -> Bill:
        lines = [BillLine(i.name, i.quantity, i.unit_price, i.tax_rate, _off(i)) for i in self.items]
        lines = lines or [BillLine("", 1, self.value, self.tax_rate)]
        return make_bill(lines, self.currency.quantum, self.tax, self.discount, tip)

    @property
    def discounted(self) -> Decimal:
        """The order's amount with every discount off, before any tax added on top and any tip."""
        return self.value - self.bill().discount

    @property
    def due(self) -> Decimal:
        """What the goods cost the customer, discounts off and any added tax on, before a tip."""
        return self.bill().goods

    def priced(self, rate: Rate | None, max_sats: int, tip: Decimal = Decimal(0)) -> Quote:
        if tip < 0:
            raise CannotPrice(_("A tip cannot be negative"))
        bill = self.bill(tip)
        return replace(
            quote(bill.goods, self.currency, rate, max_sats, bill.tip, self._items(bill)), bill=bill
        )

    def cash(self, tip: Decimal = Decimal(0)) -> Quote:
        """The order paid in cash: no msat and no rate, the bill's total in the shop's currency."""
        if self.currency.is_sats:
            raise CannotPrice(_("Cash needs a shop currency: this kiosk charges in sats"))
        if self.value <= 0 or tip < 0:
            raise CannotPrice(_("Enter an amount above zero"))
        bill = self.bill(tip)
        tip_fiat = Fiat(bill.tip, self.currency) if bill.tip else None
        return Quote(0, Fiat(bill.total, self.currency), None, 0, tip_fiat, self._items(bill), bill)

    def _items(self, bill: Bill) -> tuple[SaleItem, ...]:
        offs = bill.line_discounts
        return tuple(replace(i, discount=off) for i, off in zip(self.items, offs, strict=False))


def _off(item: SaleItem) -> Discount | None:
    """A line's discount as an amount: what the item says was taken off it."""
    return Discount(DiscountKind.AMOUNT, item.discount) if item.discount else None
