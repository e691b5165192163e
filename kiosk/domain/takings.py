"""A shift's money added up, so that the parts always sum: subtotal + tax + tips - refunds = takings. Pure.

Each sale's parts come from what the ledger keeps of it: its taxes per rate when
the shop charges tax, else its total less the tip. Amounts are in the sale's
currency (sats as a Decimal for a sats sale); msat are counted beside them.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import TypeVar

from kiosk.domain.money import MSAT_PER_SAT
from kiosk.domain.refund import Refund
from kiosk.domain.sale import Sale
from kiosk.domain.tax import RateTotal, merged

ZERO = Decimal(0)
K = TypeVar("K", bound=Hashable)


@dataclass(frozen=True)
class Takings:
    count: int = 0  # paid sales
    subtotal: Decimal = ZERO  # net of tax, after discounts
    taxes: tuple[RateTotal, ...] = ()  # per rate, tips' tax included
    tips: Decimal = ZERO  # net of their tax
    refunds: Decimal = ZERO
    refund_count: int = 0
    discount: Decimal = ZERO  # already out of the subtotal: shown, not subtracted again
    received_msat: int = 0  # what Lightning brought in
    refunded_msat: int = 0  # what went back over Lightning

    @property
    def tax(self) -> Decimal:
        return sum((t.tax for t in self.taxes), ZERO)

    @property
    def gross(self) -> Decimal:
        return self.subtotal + self.tax + self.tips

    @property
    def takings(self) -> Decimal:
        return self.gross - self.refunds

    def __add__(self, other: Takings) -> Takings:
        return Takings(
            self.count + other.count,
            self.subtotal + other.subtotal,
            merged((*self.taxes, *other.taxes)),
            self.tips + other.tips,
            self.refunds + other.refunds,
            self.refund_count + other.refund_count,
            self.discount + other.discount,
            self.received_msat + other.received_msat,
            self.refunded_msat + other.refunded_msat,
        )


def sale_total(sale: Sale) -> Decimal:
    """What the sale charged, in its currency: the fiat amount, or the sats."""
    if sale.fiat_amount is not None:
        return sale.fiat_amount
    return Decimal(sale.amount_msat) / MSAT_PER_SAT


def sale_tip(sale: Sale) -> Decimal:
    if sale.tip_fiat is not None:
        return sale.tip_fiat
    return Decimal(sale.tip_msat) / MSAT_PER_SAT if sale.fiat_amount is None else ZERO


def of_sale(sale: Sale) -> Takings:
    """A paid sale's parts."""
    total, tip = sale_total(sale), sale_tip(sale)
    tip_tax = sale.tip_tax or ZERO
    if sale.taxes:
        taxes = list(sale.taxes)
        if sale.tip_tax_rate is not None and tip:
            taxes.append(RateTotal(sale.tip_tax_rate, tip - tip_tax, tip_tax))
        subtotal = sum((t.net for t in sale.taxes), ZERO)
    else:
        taxes, subtotal = [], total - tip
    received = sale.amount_received_msat or sale.amount_msat
    return Takings(
        1, subtotal, merged(taxes), tip - tip_tax, discount=sale.discount or ZERO, received_msat=received
    )


def of_refund(refund: Refund) -> Takings:
    return Takings(refunds=refund.amount, refund_count=1, refunded_msat=refund.amount_msat)


def tally(
    sales: Iterable[Sale],
    refunds: Iterable[tuple[Refund, Sale]],
    key: Callable[[Sale | Refund, Sale], K],
) -> dict[K, Takings]:
    """Paid sales and the refunds that count (each with its sale), added up per `key(record, sale)`."""
    sums: dict[K, Takings] = defaultdict(Takings)
    for sale in sales:
        sums[key(sale, sale)] += of_sale(sale)
    for refund, sale in refunds:
        if refund.counts:
            sums[key(refund, sale)] += of_refund(refund)
    return dict(sums)
