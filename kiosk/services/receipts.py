"""Receipts: a model built from a paid sale, laid out as text lines for a paper width."""

from __future__ import annotations

import textwrap
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from kiosk.config import ShopConfig
from kiosk.domain.money import Fiat, currency, format_fiat, format_sats
from kiosk.domain.sale import Sale

COLUMNS = {58: 32, 80: 48}


@dataclass(frozen=True)
class Receipt:
    shop_name: str
    address: str
    tax_id: str
    sale_id: int
    paid_at: datetime
    memo: str
    amount_sats: str
    amount_fiat: str | None
    rate: str | None
    payment_hash: str
    preimage: str | None
    late: bool
    footer: str


def receipt_for(sale: Sale, shop: ShopConfig) -> Receipt:
    if not sale.state.is_paid or sale.invoice is None or sale.paid_at_ms is None:
        raise ValueError(f"sale {sale.id} is not paid: no receipt")
    cur = currency(sale.currency)
    fiat = None if sale.fiat_amount is None else format_fiat(Fiat(sale.fiat_amount, cur))
    rate = None
    if sale.rate is not None:
        rate = f"1 BTC = {format_fiat(Fiat(sale.rate.quantize(Decimal(1)), cur))}"
        if sale.rate_source:
            rate += f" ({sale.rate_source})"
    paid_at = datetime.fromtimestamp(sale.paid_at_ms / 1000, UTC).astimezone(ZoneInfo(shop.timezone))
    return Receipt(
        shop_name=shop.name,
        address=shop.address,
        tax_id=shop.tax_id,
        sale_id=sale.id,
        paid_at=paid_at,
        memo=sale.memo,
        amount_sats=format_sats(sale.amount_received_msat or sale.amount_msat),
        amount_fiat=fiat,
        rate=rate,
        payment_hash=sale.invoice.payment_hash,
        preimage=sale.preimage,
        late=sale.settled_late,
        footer=shop.footer,
    )


def receipt_lines(receipt: Receipt, columns: int) -> list[str]:
    """The receipt as plain lines no wider than `columns`."""

    def pair(left: str, right: str) -> str:
        gap = columns - len(left) - len(right)
        return left + " " * gap + right if gap >= 1 else f"{left}\n{right.rjust(columns)}"

    rule = "-" * columns
    lines = [receipt.shop_name.center(columns)]
    lines += [line.center(columns) for line in receipt.address.splitlines() if line]
    if receipt.tax_id:
        lines.append(f"Tax ID {receipt.tax_id}".center(columns))
    lines += [rule, pair(f"Sale #{receipt.sale_id}", receipt.paid_at.strftime("%Y-%m-%d %H:%M"))]
    if receipt.memo:
        lines += _wrap(receipt.memo, columns)
    lines.append(rule)
    if receipt.amount_fiat:
        lines.append(pair("TOTAL", receipt.amount_fiat))
        lines.append(pair("Paid", receipt.amount_sats))
    else:
        lines.append(pair("TOTAL", receipt.amount_sats))
    if receipt.rate:
        lines += _wrap(receipt.rate, columns)
    lines.append("PAID - Lightning" + (" (late payment)" if receipt.late else ""))
    lines += [rule, "Payment hash:", *_chunks(receipt.payment_hash, columns)]
    if receipt.preimage:
        lines += ["Proof of payment (preimage):", *_chunks(receipt.preimage, columns)]
    lines += [rule, receipt.footer.center(columns)]
    return [part for line in lines for part in line.split("\n")]


def _chunks(text: str, width: int) -> list[str]:
    return [text[i : i + width] for i in range(0, len(text), width)]


def _wrap(text: str, width: int) -> list[str]:
    return textwrap.wrap(text, width) or [""]
