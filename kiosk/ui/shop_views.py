"""What the shop-day screens show, as text: the cash screen's sums and a paid sale's number and time."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from kiosk.domain.entry import AmountEntry
from kiosk.domain.money import Fiat, format_fiat, format_sats
from kiosk.domain.pricing import Quote
from kiosk.domain.sale import Sale
from kiosk.domain.tender import Tender
from kiosk.services.node_port import InvoiceState
from kiosk.services.receipt_money import amount_text
from kiosk.services.recent import SaleNow
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


def recent_row_text(sale: Sale, timezone: str) -> str:
    """A Recent row's left: '#12  14:03  …9f3a  4,736 sats' (the amount column has the fiat)."""
    at = datetime.fromtimestamp(sale.created_at_ms / 1000, UTC).astimezone(ZoneInfo(timezone))
    parts = [f"#{sale.id}", f"{at:%H:%M}"]
    if sale.payment_hash:
        parts.append(f"…{sale.payment_hash[-4:]}")
    if sale.tender is not Tender.CASH:
        parts.append(format_sats(sale.amount_received_msat or sale.amount_msat))
    return "  ".join(parts)


def recent_detail(now: SaleNow, timezone: str, state: str, amount: str) -> str:
    """The detail of one sale, read-only: number and time, state, amount, hash end, the node's word."""
    sale = now.sale
    lines = [sale_stamp(sale, timezone), f"{state} · {amount}"]
    if sale.payment_hash:
        lines.append(strings.HASH_END.format(end=sale.payment_hash[-4:]))
    if sale.tender is Tender.CASH:
        lines.append(strings.RECENT_CASH)
    elif sale.payment_hash is None:
        lines.append(strings.RECENT_NO_INVOICE)
    elif now.node_state is None:
        lines.append(strings.NODE_NO_ANSWER.format(why=now.problem))
    else:
        lines.append(strings.NODE_SAYS.format(state=_NODE_WORDS[now.node_state]()))
    return "\n".join(lines)


_NODE_WORDS = {
    InvoiceState.PAID: lambda: strings.NODE_PAID,
    InvoiceState.OPEN: lambda: strings.NODE_OPEN,
    InvoiceState.EXPIRED: lambda: strings.NODE_EXPIRED,
    InvoiceState.CANCELED: lambda: strings.NODE_CANCELED,
    InvoiceState.UNKNOWN: lambda: strings.NODE_NO_SUCH_INVOICE,
}


def header_name(name: str, limit: int = 12) -> str:
    """A cashier's name for the keypad's header button: a long one is cut, so the shop name keeps room."""
    return name if len(name) <= limit else name[: limit - 1].rstrip() + "…"
