"""How the admin area copes with a long ledger: history pages, search, Z-report, CSV, PIN check.

    .venv/bin/python -m benchmarks.history --sales 10000

Fills a throw-away ledger (a real SQLite file, WAL, synchronous=FULL) with
sales in every state over one long shift, then times each admin query on it
(median of --repeat runs, milliseconds).
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from kiosk.config import ShopConfig
from kiosk.domain.sale import SaleState
from kiosk.services.admin_pin import AdminPin
from kiosk.services.export import export_sales
from kiosk.services.receipts import COLUMNS
from kiosk.services.shifts import Shifts, report_layout
from kiosk.storage.store import Storage
from tests.admin.conftest import DAY_START_MS, record

ENDS = [SaleState.RECEIPT_PRINTED] * 7 + [SaleState.PAID_LATE, SaleState.EXPIRED, SaleState.FAILED]


def timed(fn: Callable[[], object], repeat: int) -> float:
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        runs.append((time.perf_counter() - start) * 1000)
    return statistics.median(runs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sales", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        storage = Storage.open(Path(folder) / "ledger.sqlite3")
        ledger = storage.sales
        start = time.perf_counter()
        made = [
            record(
                ledger,
                DAY_START_MS + n * 3_000,
                1_000 + n % 5_000,
                fiat=f"{1 + n % 50}.50",
                memo=f"Latte {n}",
                end=ENDS[n % len(ENDS)],
            )
            for n in range(args.sales)
        ]
        fill_s = time.perf_counter() - start
        clock = lambda: DAY_START_MS + args.sales * 3_000 + 60_000  # noqa: E731
        shifts = Shifts(storage.shifts, ledger, ShopConfig(timezone="Europe/Berlin"), clock)
        shift = shifts.current()
        deep = made[len(made) // 2].id
        target = made[len(made) // 3]
        tz = ZoneInfo("Europe/Berlin")
        now = datetime.fromtimestamp(clock() / 1000, UTC)
        out = Path(folder) / "exports"
        out.mkdir()
        rows = [
            ("history: first page (8)", lambda: ledger.search("", None, 9)),
            ("history: a page in the middle", lambda: ledger.search("", deep, 9)),
            ("history: count all", lambda: ledger.count_matching("")),
            ("search: memo word", lambda: ledger.search("Latte 4242", None, 9)),
            ("search: fiat amount", lambda: ledger.search("17.50", None, 9)),
            ("search: hash prefix", lambda: ledger.search(target.payment_hash[:8], None, 9)),
            ("search: sale number", lambda: ledger.search(f"#{target.id}", None, 9)),
            ("z-report: compute", lambda: shifts.report(shift)),
            ("z-report: compute and lay out", lambda: report_layout(shifts.report(shift), COLUMNS[58])),
            ("csv: export every sale", lambda: export_sales(ledger, out, tz, now)),
        ]
        print(f"{args.sales:,} sales written in {fill_s:.1f} s; median of {args.repeat} runs")
        print(f"{'query':34} {'ms':>9}")
        for name, fn in rows:
            print(f"{name:34} {timed(fn, args.repeat):9.1f}")
        size = max(p.stat().st_size for p in out.glob("*.csv"))
        print(f"CSV size: {size:,} bytes")
        pins = AdminPin(storage.pins, clock)
        pins.set_pin("2580")
        print(f"{'PIN check (scrypt n=2^15, r=8)':34} {timed(lambda: pins.verify('2580'), args.repeat):9.1f}")
        storage.close()


if __name__ == "__main__":
    main()
