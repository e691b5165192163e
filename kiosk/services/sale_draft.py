"""A new sale as the ledger first records it, from its quote: the money, the bill's parts, the tender."""

from __future__ import annotations

from decimal import Decimal

from kiosk.domain.money import Fiat, format_fiat
from kiosk.domain.pricing import Quote
from kiosk.domain.sale import Sale
from kiosk.domain.tender import NotEnoughCash, Tender, change_due
from kiosk.errors import KioskError
from kiosk.i18n import _


def draft_sale(
    quote: Quote, memo: str, now_ms: int, tender: Tender = Tender.LIGHTNING, cashier_id: int | None = None
) -> Sale:
    """The sale in ENTERING; taxes are kept only when the shop charges some (no tax: nothing new)."""
    bill = quote.bill
    taxed = bill is not None and (any(r.rate for r in bill.rates) or bill.tip_rate is not None)
    return Sale(
        id=0,
        created_at_ms=now_ms,
        amount_msat=quote.amount_msat,
        memo=memo,
        currency=quote.fiat.currency.code if quote.fiat else "SAT",
        fiat_amount=quote.fiat.amount if quote.fiat else None,
        rate=quote.rate.btc_price if quote.rate else None,
        rate_source=quote.rate.source if quote.rate else None,
        tip_msat=quote.tip_msat,
        tip_fiat=quote.tip_fiat.amount if quote.tip_fiat else None,
        items=quote.items,
        tender=tender,
        cashier_id=cashier_id,
        discount=bill.discount if bill is not None and bill.discount else None,
        taxes=bill.rates if bill is not None and taxed else (),
        tip_tax=bill.tip_tax if bill is not None and taxed and bill.tip_rate is not None else None,
        tip_tax_rate=bill.tip_rate if bill is not None and taxed else None,
    )


def cash_change(quote: Quote, tendered: Decimal) -> Decimal:
    """The change for a cash quote; KioskError (what to do) when the cash does not cover it."""
    assert quote.fiat is not None and quote.amount_msat == 0
    try:
        return change_due(quote.fiat.amount, tendered)
    except NotEnoughCash:
        raise KioskError(
            _("{tendered} does not cover {due}").format(
                tendered=format_fiat(Fiat(tendered, quote.fiat.currency)), due=format_fiat(quote.fiat)
            ),
            _("Type what the customer handed over"),
        ) from None
