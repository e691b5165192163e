"""What the shop-day screens show, as text: the cash screen's sums and a paid sale's number and time."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from kiosk.domain.entry import AmountEntry
from kiosk.domain.money import Fiat, format_fiat
from kiosk.domain.pricing import Quote
from kiosk.domain.sale import Sale
from kiosk.services.receipt_money import amount_text
from kiosk.ui import strings


@dataclass(frozen=True)
class CashView:
    due: str
    given: str
    change: str  # the change, or how much more is needed
    can_take: bool


def cash_view(quote: Quote, entry: AmountEntry) -> CashView:
    """The cash screen: what is due, what the cashier typed as handed over, and the change."""
    assert quote.fiat is not None
    due, unit = quote.fiat.amount, quote.fiat.currency
    given = entry.value
    if given >= due:
        change = strings.CASH_CHANGE.format(amount=format_fiat(Fiat(given - due, unit)))
    else:
        change = strings.CASH_SHORT.format(amount=format_fiat(Fiat(due - given, unit)))
    return CashView(
        strings.CASH_DUE.format(amount=format_fiat(quote.fiat)),
        format_fiat(Fiat(given, unit)),
        change,
        given >= due > 0,
    )


def sale_stamp(sale: Sale, timezone: str) -> str:
    """'Sale #12 · 14:03', and for a cash sale its change on the next line."""
    at = datetime.fromtimestamp((sale.paid_at_ms or sale.created_at_ms) / 1000, UTC).astimezone(
        ZoneInfo(timezone)
    )
    stamp = strings.PAID_STAMP.format(sale_id=sale.id, time=f"{at:%H:%M}")
    if sale.cash_change is not None:
        change = amount_text(sale.cash_change, sale.currency)
        stamp += "\n" + strings.PAID_CASH.format(change=change)
    return stamp


def cash_maximum(quote: Quote) -> Decimal:
    """The most the cash keypad takes: ten times the bill and a round hundred more (no runaway keys)."""
    assert quote.fiat is not None
    return quote.fiat.amount * 10 + 100
