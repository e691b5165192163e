"""Store and forward at scale: simulated kiosks in one process, each with its own SQLite ledger and
database role, sending to a real PostgreSQL (a throwaway cluster, fsync on).

    python -m benchmarks.fleet --terminals 50 --sales 200

Drain: every kiosk already holds `--sales` paid sales (3 events each: creating, awaiting, paid) and
all send at once; events/s is what the database took. Live: every kiosk sells at its own pace with its
background worker running; the lag is from the event's commit on the kiosk to its commit centrally.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import threading
import time
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

from kiosk.domain.sale import Invoice, Sale, SaleState
from kiosk.fleet import schema
from kiosk.fleet.central import PostgresBooks
from kiosk.fleet.connection import connect
from kiosk.services.fleet import FleetSync
from kiosk.storage.store import Storage
from tests.support.postgres import Cluster


def sell(storage: Storage, n: int) -> None:
    now = time.time_ns() // 1_000_000
    sale = storage.sales.add(
        Sale(
            0,
            now,
            4_500_000,
            f"sale {n}",
            SaleState.CREATING_INVOICE,
            Decimal("4.50"),
            "EUR",
            Decimal("90000"),
        ),
        now,
    )
    waiting = replace(
        sale, state=SaleState.AWAITING_PAYMENT, invoice=Invoice("lnbc1", f"{n:064x}", now + 600_000)
    )
    storage.sales.save(sale, waiting, now)
    paid = replace(waiting, state=SaleState.PAID, paid_at_ms=now, amount_received_msat=4_500_000)
    storage.sales.save(waiting, paid, now)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--terminals", type=int, default=50)
    parser.add_argument("--sales", type=int, default=200, help="sales per terminal before the drain")
    parser.add_argument("--live-seconds", type=float, default=10.0)
    parser.add_argument("--live-interval", type=float, default=0.5, help="seconds between a kiosk's sales")
    args = parser.parse_args()
    cluster = Cluster(durable=True).start()
    folder = Path(tempfile.mkdtemp(prefix="fleet-bench-"))
    try:
        with connect(cluster.dsn(), cluster.ca_file) as admin:
            version = schema.migrate(admin)
            dsns = {}
            for t in range(args.terminals):
                terminal = f"t{t:04d}"
                schema.add_terminal(admin, terminal, f"pw-{terminal}", f"shop{t % 10}", "UTC", "EUR")
                dsns[terminal] = cluster.dsn(schema.terminal_role(terminal), f"pw-{terminal}")
        print(f"PostgreSQL {cluster.bin.parent.name}, schema {version}, {args.terminals} terminals")
        kiosks = {}
        for terminal, dsn in dsns.items():
            storage = Storage.open(folder / f"{terminal}.sqlite3")
            for n in range(args.sales):
                sell(storage, n)
            books = PostgresBooks(dsn, cluster.ca_file)
            kiosks[terminal] = (
                storage,
                FleetSync(storage.outbox, books, terminal, lambda: time.time_ns() // 10**6, idle_s=0.05),
            )
        total = sum(s.outbox.status().backlog for s, _f in kiosks.values())
        threads = [threading.Thread(target=f.sync_all) for _s, f in kiosks.values()]
        started = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        drain_s = time.perf_counter() - started
        print(
            f"drain: {total} events from {args.terminals} kiosks in {drain_s:.2f} s "
            f"= {total / drain_s:,.0f} events/s"
        )

        mark = time.time_ns() // 1_000_000
        for _s, sync in kiosks.values():
            sync.start()
        stop = threading.Event()

        def sell_live(storage: Storage, sync: FleetSync) -> None:
            n = args.sales
            while not stop.wait(args.live_interval):
                sell(storage, n)
                sync.poke()
                n += 1

        sellers = [threading.Thread(target=sell_live, args=k) for k in kiosks.values()]
        for seller in sellers:
            seller.start()
        time.sleep(args.live_seconds)
        stop.set()
        for seller in sellers:
            seller.join()
        deadline = time.monotonic() + 60
        while any(s.outbox.status().backlog for s, _f in kiosks.values()) and time.monotonic() < deadline:
            time.sleep(0.1)
        for storage, sync in kiosks.values():
            sync.close()
            storage.close()
        with connect(cluster.dsn(), cluster.ca_file) as admin:
            lags = [
                row[0]
                for row in admin.execute(
                    "SELECT extract(epoch FROM received_at) * 1000 - at_ms FROM fleet.events "
                    "WHERE at_ms >= %s",
                    (mark,),
                )
            ]
            gaps = admin.execute("SELECT count(*) FROM fleet.gaps").fetchone()[0]
        lags_ms = sorted(float(x) for x in lags)
        p95 = lags_ms[int(len(lags_ms) * 0.95) - 1] if lags_ms else 0.0
        print(
            f"live: {len(lags_ms)} events, {args.terminals} kiosks, "
            f"each selling every {args.live_interval} s; "
            f"sync lag p50 {statistics.median(lags_ms) if lags_ms else 0:.0f} ms, p95 {p95:.0f} ms, "
            f"max {lags_ms[-1] if lags_ms else 0:.0f} ms; gaps {gaps}"
        )
    finally:
        cluster.close()


if __name__ == "__main__":
    main()
