"""CSV export of the whole ledger, to a USB stick or a folder, for the accountant's spreadsheet.

One row per sale, every state. Money is exact: msat as integers, sats as the
exact decimal of msat / 1000, fiat as stored ("4.50"). The file is UTF-8 with a
byte-order mark: Excel then reads Chinese memos right, and LibreOffice,
Numbers and pandas skip the mark. It is written to a temporary name, synced
and renamed, so a stick pulled out too early never holds half a file under
the real name.
"""

from __future__ import annotations

import csv
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

from kiosk.domain.refund import Refund
from kiosk.domain.sale import Sale
from kiosk.domain.takings import of_sale
from kiosk.errors import KioskError
from kiosk.i18n import _
from kiosk.services.ledger import Ledger
from kiosk.services.refunds import RefundStore

COLUMNS = (
    "sale_id",
    "state",
    "created_at",
    "paid_at",
    "paid_late",
    "currency",
    "fiat_amount",
    "amount_msat",
    "amount_sats",
    "received_msat",
    "tip_msat",
    "tip_fiat",
    "rate_btc",
    "rate_source",
    "memo",
    "items",
    "payment_hash",
    "error",
    # The shop day's parts (issue 16): on each paid sale subtotal + tax + tips = takings; a refund is a
    # row of its own (kind "refund") with takings = -refund, so each column sums to the day's figures.
    "kind",
    "tender",
    "cashier_id",
    "subtotal",
    "discount",
    "tax",
    "tax_by_rate",
    "tips",
    "refund",
    "takings",
    "cash_tendered",
    "cash_change",
    "refund_id",
)
PAGE = 500
# A text cell starting with one of these is a formula to a spreadsheet: it is quoted with a leading '.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class ExportResult:
    path: Path
    rows: int
    size_bytes: int


def usb_drives(root: Path, is_mount: Callable[[Path], bool] = os.path.ismount) -> list[Path]:
    """Writable mounted drives under `root` (/media/STICK or, as desktops mount them, /media/USER/STICK)."""
    found: list[Path] = []
    for path in _subdirs(root):
        inner = [path] if is_mount(path) else _subdirs(path)
        found += [p for p in inner if is_mount(p) and os.access(p, os.W_OK)]
    return found


def export_sales(
    ledger: Ledger, folder: Path, timezone: ZoneInfo, now: datetime, refunds: RefundStore | None = None
) -> ExportResult:
    """Write every sale (then every refund) to `folder`/kiosk-sales-YYYYMMDD-HHMMSS.csv; raises KioskError
    with the next step."""
    target = folder / f"kiosk-sales-{now.astimezone(timezone):%Y%m%d-%H%M%S}.csv"
    partial = target.with_name(target.name + ".part")
    rows = 0
    try:
        with partial.open("w", encoding="utf-8-sig", newline="") as out:
            writer = csv.writer(out)
            writer.writerow(COLUMNS)
            for sale in _all_sales(ledger):
                writer.writerow(sale_row(sale, timezone))
                rows += 1
            for refund in refunds.between(0, 2**62) if refunds else ():
                writer.writerow(refund_row(refund, ledger.get(refund.sale_id), timezone))
                rows += 1
            out.flush()
            os.fsync(out.fileno())
        partial.replace(target)
        _sync_folder(folder)
    except OSError as exc:
        partial.unlink(missing_ok=True)
        raise KioskError(
            _("Could not write the export to {folder}: {why}").format(folder=folder, why=exc.strerror or exc),
            _("Check the USB stick is in, not full and not write-protected, then try again"),
        ) from exc
    return ExportResult(target, rows, target.stat().st_size)


def _when(ms: int | None, timezone: ZoneInfo) -> str:
    return "" if ms is None else datetime.fromtimestamp(ms / 1000, UTC).astimezone(timezone).isoformat()


def _text(value: str | None) -> str:
    value = value or ""
    return "'" + value if value.startswith(FORMULA_START) else value


def sale_row(sale: Sale, timezone: ZoneInfo) -> list[str]:
    def when(ms: int | None) -> str:
        return _when(ms, timezone)

    text = _text
    return [
        str(sale.id),
        sale.state.value,
        when(sale.created_at_ms),
        when(sale.paid_at_ms),
        "yes" if sale.settled_late else "no",
        sale.currency,
        "" if sale.fiat_amount is None else str(sale.fiat_amount),
        str(sale.amount_msat),
        str(Decimal(sale.amount_msat) / 1000),  # exact: at most three decimals
        "" if sale.amount_received_msat is None else str(sale.amount_received_msat),
        str(sale.tip_msat),
        "" if sale.tip_fiat is None else str(sale.tip_fiat),
        "" if sale.rate is None else str(sale.rate),
        text(sale.rate_source),
        text(sale.memo),
        text("; ".join(f"{item.quantity} x {item.name} @ {item.unit_price}" for item in sale.items)),
        sale.payment_hash or "",
        text((sale.error or "").replace("\n", " ")),
        "sale",
        sale.tender.value,
        "" if sale.cashier_id is None else str(sale.cashier_id),
        *_parts(sale),
        _dec(sale.cash_tendered),
        _dec(sale.cash_change),
        "",
    ]


def _parts(sale: Sale) -> list[str]:
    """subtotal, discount, tax, tax_by_rate, tips, refund, takings: a paid sale's, else empty."""
    if not sale.state.is_paid:
        return [""] * 7
    parts = of_sale(sale)
    rates = "; ".join(f"{t.rate.normalize():f}%: {t.net} + {t.tax}" for t in parts.taxes)
    return [
        str(parts.subtotal),
        str(parts.discount),
        str(parts.tax),
        rates,
        str(parts.tips),
        "0",
        str(parts.takings),
    ]


def refund_row(refund: Refund, sale: Sale, timezone: ZoneInfo) -> list[str]:
    """A refund as its own row: takings = -refund (a failed one took nothing: 0)."""
    row = dict.fromkeys(COLUMNS, "")
    taken = refund.amount if refund.counts else Decimal(0)
    row |= {
        "sale_id": str(sale.id),
        "state": refund.state.value,
        "created_at": _when(refund.created_at_ms, timezone),
        "paid_at": _when(refund.done_at_ms, timezone),
        "currency": sale.currency,
        "amount_msat": str(refund.amount_msat),
        "kind": "refund",
        "tender": refund.tender.value,
        "cashier_id": "" if refund.cashier_id is None else str(refund.cashier_id),
        "refund": str(taken),
        "takings": str(-taken),
        "refund_id": str(refund.id),
        "error": _text(refund.error),
    }
    return [row[c] for c in COLUMNS]


def _dec(value: Decimal | None) -> str:
    return "" if value is None else str(value)


def _all_sales(ledger: Ledger) -> Iterator[Sale]:
    """Oldest first, a page at a time: memory stays flat however long the ledger is."""
    after = 0
    while page := ledger.page_after(after, PAGE):
        yield from page
        after = page[-1].id


def _subdirs(path: Path) -> list[Path]:
    try:
        return [p for p in sorted(path.iterdir()) if p.is_dir()]
    except OSError:
        return []


def _sync_folder(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
