"""Receipts: a model built from a paid sale, laid out as blocks for a paper width.

The layout is shared by every renderer (ESC/POS text, the PNG image, the demo's
.txt file), so what the screen previews is what the printer prints. Widths are
counted in display columns: a CJK character takes two.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

from wcwidth import wcswidth, wcwidth

from kiosk.config import ShopConfig
from kiosk.domain.money import Fiat, currency, format_fiat, format_sats
from kiosk.domain.sale import Sale
from kiosk.domain.tender import Tender
from kiosk.i18n import _
from kiosk.services import linebreak
from kiosk.services.receipt_money import breakdown_lines, cash_lines

COLUMNS = {58: 32, 80: 48}
DOTS = {58: 384, 80: 576}


@dataclass(frozen=True)
class PaperGeometry:
    """The one geometry every printout is laid out for: receipts, reports, slips, the test page, previews.

    Wiring decides it once from the printer's profile and paper (kiosk.hardware.rendering.paper_for):
    a TM-T88V prints 42 columns on 80 mm paper, not the plain paper's 48.
    """

    width_mm: int
    columns: int  # of the printer's normal font; a CJK character takes two
    dots: int  # printable width

    @classmethod
    def of_width(cls, width_mm: int) -> PaperGeometry:
        """The plain paper's geometry, for a printer whose profile knows no width."""
        return cls(width_mm, COLUMNS[width_mm], DOTS[width_mm])


class Copy(enum.StrEnum):
    CUSTOMER = "customer"
    MERCHANT = "merchant"


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
    rate_source: str | None
    payment_hash: str
    preimage: str | None
    late: bool
    footer: str
    logo: Path | None = None
    items: tuple[tuple[str, str], ...] = ()  # ("2× Latte", "$7.00")
    subtotal: str | None = None  # shown when there is a tip
    tip: str | None = None
    copy: Copy = Copy.CUSTOMER
    notice: str = ""  # e.g. the print queue's "DUPLICATE?" after a power cut mid-print
    breakdown: tuple[tuple[str, str], ...] = ()  # discount, net and tax per rate (a taxed sale)
    cash: tuple[tuple[str, str], ...] = ()  # a cash sale: handed over, and the change


class Style(enum.Enum):
    NORMAL = "normal"
    BOLD = "bold"
    BIG = "big"  # bold and double height: same columns, taller


@dataclass(frozen=True)
class Line:
    """One printed line, already padded to its place within the columns."""

    text: str
    style: Style = Style.NORMAL


@dataclass(frozen=True)
class Qr:
    data: str


@dataclass(frozen=True)
class Logo:
    path: Path


Block = Line | Qr | Logo


def receipt_for(sale: Sale, shop: ShopConfig, copy: Copy = Copy.CUSTOMER) -> Receipt:
    if not sale.state.is_paid or sale.paid_at_ms is None:
        raise ValueError(f"sale {sale.id} is not paid: no receipt")
    if sale.invoice is None and sale.tender is not Tender.CASH:
        raise ValueError(f"sale {sale.id} has no invoice: no receipt")
    cur = currency(sale.currency)
    fiat = None if sale.fiat_amount is None else format_fiat(Fiat(sale.fiat_amount, cur))

    def money(amount: Decimal) -> str:
        return format_sats(int(amount) * 1000) if cur.is_sats else format_fiat(Fiat(amount, cur))

    tip = subtotal = None
    if sale.tip_msat:
        tip = format_sats(sale.tip_msat) if sale.tip_fiat is None else money(sale.tip_fiat)
        if sale.tip_fiat is not None and sale.fiat_amount is not None:
            subtotal = money(sale.fiat_amount - sale.tip_fiat)
        else:
            subtotal = format_sats(sale.amount_msat - sale.tip_msat)
    rate = None
    if sale.rate is not None:
        rate = f"1 BTC = {format_fiat(Fiat(sale.rate.quantize(Decimal(1)), cur))}"
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
        rate_source=sale.rate_source if rate else None,
        payment_hash=sale.invoice.payment_hash if sale.invoice else "",
        preimage=sale.preimage,
        late=sale.settled_late,
        footer=shop.footer,
        logo=shop.logo,
        items=tuple((f"{item.quantity}× {item.name}", money(item.total)) for item in sale.items),
        subtotal=subtotal,
        tip=tip,
        copy=copy,
        breakdown=breakdown_lines(sale),
        cash=cash_lines(sale),
    )


def receipt_layout(receipt: Receipt, columns: int) -> list[Block]:
    """The receipt as blocks no wider than `columns` display columns."""
    rule = Line("-" * columns)

    def centred(text: str, style: Style = Style.NORMAL) -> list[Line]:
        return centred_lines(text, columns, style)

    def pair(left: str, right: str, style: Style = Style.NORMAL) -> list[Line]:
        return pair_lines(left, right, columns, style)

    blocks: list[Block] = [Logo(receipt.logo)] if receipt.logo else []
    blocks += centred(receipt.shop_name, Style.BIG)
    for line in receipt.address.splitlines():
        blocks += centred(line)
    if receipt.tax_id:
        blocks += centred(_("Tax ID {tax_id}").format(tax_id=receipt.tax_id))
    blocks.append(rule)
    if receipt.copy is Copy.MERCHANT:
        blocks += [*centred(_("MERCHANT COPY"), Style.BIG), rule]
    if receipt.notice:
        blocks += [*centred(receipt.notice, Style.BIG), rule]
    blocks += pair(
        _("Sale #{sale_id}").format(sale_id=receipt.sale_id),
        f"{receipt.paid_at:%Y-%m-%d %H:%M} {utc_offset(receipt.paid_at)}",
    )
    if receipt.memo not in ("", receipt.shop_name) and not receipt.items:  # else it repeats name or items
        blocks += [Line(part) for part in wrap(receipt.memo, columns)]
    blocks.append(rule)
    for label, amount in receipt.items:
        blocks += pair(label, amount)
    if receipt.items:
        blocks.append(rule)
    if receipt.subtotal:
        blocks += pair(_("Subtotal"), receipt.subtotal)
    if receipt.tip:
        blocks += pair(_("Tip"), receipt.tip)
    for label, amount in receipt.breakdown:
        blocks += pair(label, amount)
    if receipt.cash:
        blocks += pair(_("TOTAL"), receipt.amount_fiat or "", Style.BIG)
        blocks += [line for label, amount in receipt.cash for line in pair(label, amount)]
        blocks += centred(_("PAID in cash"), Style.BOLD)
        return [*blocks, *([rule, *centred(receipt.footer)] if receipt.footer else [])]
    if receipt.amount_fiat:
        blocks += pair(_("TOTAL"), receipt.amount_fiat, Style.BIG)
        blocks += pair(_("Paid"), receipt.amount_sats)
    else:
        blocks += pair(_("TOTAL"), receipt.amount_sats, Style.BIG)
    if receipt.rate:
        blocks += pair(_("Rate"), receipt.rate)
    if receipt.rate_source:
        blocks += pair(_("Rate source"), receipt.rate_source)
    blocks += centred(_("PAID with Lightning"), Style.BOLD)
    if receipt.late:
        blocks += centred(_("*** PAID LATE ***"), Style.BIG)
        blocks += centred(_("The payment arrived after the sale was closed"))
    blocks += [rule, Line(_("Payment hash:")), *_chunks(receipt.payment_hash, columns)]
    if receipt.preimage:
        blocks += [Line(_("Proof of payment (preimage):")), *_chunks(receipt.preimage, columns)]
    # No QR of the proof: a phone camera shows "HASH:… PREIMAGE:…" as meaningless text and no wallet
    # reads it; the hash and preimage are printed above in full for whoever checks a dispute.
    if receipt.footer:
        blocks += [rule, *centred(receipt.footer)]
    return blocks


def centred_lines(text: str, columns: int, style: Style = Style.NORMAL) -> list[Line]:
    return [Line(_centre(part, columns), style) for part in wrap(text, columns)]


def pair_lines(left: str, right: str, columns: int, style: Style = Style.NORMAL) -> list[Line]:
    """`left` and `right` on one line; a long `left` wraps (linebreak.py) and `right` ends its last line,
    or stands right-aligned on the next when it does not fit there."""
    *lines, last = wrap(left, columns) if wcswidth(left) > columns else [left]  # "  Tips" keeps its indent
    gap = columns - wcswidth(last) - wcswidth(right)
    if not right:
        return [Line(line, style) for line in [*lines, last]]
    if gap >= 1:
        return [*(Line(line, style) for line in lines), Line(last + " " * gap + right, style)]
    return [*(Line(line, style) for line in [*lines, last]), Line(_pad_left(right, columns), style)]


def receipt_lines(receipt: Receipt, columns: int) -> list[str]:
    """The receipt's text lines, as the demo's .txt file and the tests read them."""
    return [block.text for block in receipt_layout(receipt, columns) if isinstance(block, Line)]


def has_wide_text(blocks: list[Block]) -> bool:
    """Whether any line holds a double-width (CJK) character."""
    return any(isinstance(b, Line) and wcswidth(b.text) != len(b.text) for b in blocks)


def wrap(text: str, width: int) -> list[str]:
    """Lines of at most `width` display columns, broken where the language may break (linebreak.py)."""
    return linebreak.wrap(" ".join(text.split()), width, wcswidth)


def utc_offset(moment: datetime) -> str:
    """ "UTC+8", "UTC+5:30", "UTC-3" or "UTC": read alike in every language, where a zone's
    abbreviation is not ("CST" is China's, Cuba's and the US Central time)."""
    minutes = int((moment.utcoffset() or timedelta(0)).total_seconds()) // 60
    if not minutes:
        return "UTC"
    hours, rest = divmod(abs(minutes), 60)
    return f"UTC{'+' if minutes > 0 else '-'}{hours}" + (f":{rest:02d}" if rest else "")


def display_width(char: str) -> int:
    return max(0, wcwidth(char))


def _centre(text: str, columns: int) -> str:
    left = (columns - wcswidth(text)) // 2
    return " " * max(0, left) + text


def _pad_left(text: str, columns: int) -> str:
    return " " * max(0, columns - wcswidth(text)) + text


def _chunks(text: str, width: int) -> list[Line]:
    return [Line(text[i : i + width]) for i in range(0, len(text), width)]
