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

from kiosk.domain.sale import Sale
from kiosk.errors import KioskError
from kiosk.i18n import _
from kiosk.services.ledger import Ledger

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


def export_sales(ledger: Ledger, folder: Path, timezone: ZoneInfo, now: datetime) -> ExportResult:
    """Write every sale to `folder`/kiosk-sales-YYYYMMDD-HHMMSS.csv; raises KioskError with the next step."""
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


def sale_row(sale: Sale, timezone: ZoneInfo) -> list[str]:
    def when(ms: int | None) -> str:
        return "" if ms is None else datetime.fromtimestamp(ms / 1000, UTC).astimezone(timezone).isoformat()

    def text(value: str | None) -> str:
        value = value or ""
        return "'" + value if value.startswith(FORMULA_START) else value

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
    ]


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
