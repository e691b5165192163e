"""Start-up cost of watching old sales: threads, sockets and lookups, with 0 or N cancelled sales.

    .venv/bin/python -m benchmarks.startup_watch --sales 200

The LND double runs in this process; the kiosk (wiring.build + recover) runs
in a child process against it, so its threads and sockets are its own. The
ledger holds N cancelled sales still within their grace and N sales past it
(their invoices expired two hours ago). The child waits until each sale in
grace had its first lookup, then counts its threads and open sockets. The double counts
the lookups of sales past their grace: there must be none.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from kiosk import wiring
from kiosk.backends.lnd import LndRest
from kiosk.config import Config, LedgerConfig, NodeConfig
from kiosk.credentials import Secret
from kiosk.domain.sale import Cancel, Charge, Invoice, InvoiceCreated, Sale, transition
from kiosk.storage.store import Storage
from tests.doubles.lnd import LndDouble

ROOT = Path(__file__).resolve().parents[1]
PAST_S = 7_200  # the old sales' invoices expired this long ago


@dataclass(frozen=True)
class StartUp:
    sales: int
    threads: int
    sockets: int
    lookups: int
    past_grace_lookups: int


def seed(ledger_path: Path, double: LndDouble, macaroon: Path, in_grace: int, past: int) -> list[str]:
    """Cancelled sales with real invoices of the double; returns the hashes of those past grace."""
    backend = LndRest(double.url, Secret(macaroon.read_bytes()), double.tls_cert_file)
    storage = Storage.open(ledger_path)
    ledger = storage.sales
    now = time.time_ns() // 1_000_000
    past_hashes = []
    for i in range(in_grace + past):
        created = backend.create_invoice(21_000, f"old sale {i}", 600)
        old = i >= in_grace
        expires = now - PAST_S * 1000 if old else now + 600_000
        sale = ledger.add(transition(Sale(0, now, 21_000, "old"), Charge(now)), now)
        invoice = Invoice(created.bolt11, created.payment_hash, expires)
        shown = transition(sale, InvoiceCreated(invoice, now, expires, expires + 86_400_000))
        ledger.save(sale, shown, now)
        ledger.save(shown, transition(shown, Cancel(now)), now)
        if old:
            past_hashes.append(created.payment_hash)
    storage.close()
    backend.close()
    return past_hashes


def measure(folder: Path, sales: int) -> StartUp:
    """The kiosk started in a child process on `sales` cancelled sales in grace and as many past it."""
    folder.mkdir(parents=True, exist_ok=True)
    double = LndDouble(folder).start()
    try:
        macaroon = folder / "admin.macaroon"
        macaroon.write_bytes(double.admin_macaroon)
        ledger = folder / "ledger.sqlite3"
        past = seed(ledger, double, macaroon, sales, sales)
        double.exchanges.clear()
        args = {"url": double.url, "macaroon": str(macaroon), "cert": str(double.tls_cert_file)}
        args |= {"ledger": str(ledger), "sales": sales}
        child = subprocess.run(
            [sys.executable, "-m", "benchmarks.startup_watch", "--child", json.dumps(args)],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=120,
            check=True,
        )
        figures = json.loads(child.stdout.strip().splitlines()[-1])
        looked_up = [
            p for m, p, _r, _s, _b in double.exchanges if m == "GET" and p.startswith("/v1/invoice/")
        ]
        past_lookups = sum(1 for p in looked_up if p.removeprefix("/v1/invoice/") in past)
        return StartUp(sales, figures["threads"], figures["sockets"], figures["lookups"], past_lookups)
    finally:
        double.kill()


def child(args: dict) -> None:
    node = NodeConfig(
        backend="lnd",
        url=args["url"],
        macaroon_file=Path(args["macaroon"]),
        tls_cert_file=Path(args["cert"]),
        network="regtest",
    )
    services = wiring.build(Config(node=node, ledger=LedgerConfig(Path(args["ledger"]))))
    services.checkout.recover()
    watcher = services.checkout.watcher
    deadline = time.monotonic() + 60
    while watcher.lookups < args["sales"] and time.monotonic() < deadline:  # each sale's first lookup
        time.sleep(0.01)
    # A request in flight has a Timer that bounds its read (http_bounds): count between requests,
    # from one snapshot (a check and a second enumerate could straddle the next request).
    threads = threading.enumerate()
    while any(isinstance(t, threading.Timer) for t in threads) and time.monotonic() < deadline:
        time.sleep(0.001)
        threads = threading.enumerate()
    # The push stream connects on its own thread, at its own pace: count once it is open. Beside it
    # there is the one kept-alive connection the lookups share, once there is a sale to look up; a
    # count that grows with the sales is over this at once, so waiting for it hides no growth.
    expected = 2 if args["sales"] else 1
    while _sockets() < expected and time.monotonic() < deadline:
        time.sleep(0.01)
    sockets = _sockets()
    names = sorted(t.name for t in threads)
    print(json.dumps({"threads": len(names), "names": names, "sockets": sockets, "lookups": watcher.lookups}))
    services.close()


def _sockets() -> int:
    return sum(1 for fd in os.listdir("/proc/self/fd") if _link(fd).startswith("socket:"))


def _link(fd: str) -> str:
    try:
        return os.readlink(f"/proc/self/fd/{fd}")
    except OSError:
        return ""


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sales", type=int, default=200, help="cancelled sales within their grace")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(json.loads(args.child))
        return 0
    rows = []
    for sales in (0, 1, args.sales):
        with tempfile.TemporaryDirectory(prefix="kiosk-startup-") as tmp:
            rows.append(measure(Path(tmp), sales))
    print(
        f"\nKiosk start-up (wiring.build + recover) against the LND double, {args.sales} sales past grace too"
    )
    print(f"{'sales in grace':<16}{'threads':>9}{'sockets':>9}{'lookups':>9}{'past-grace lookups':>20}")
    for row in rows:
        print(f"{row.sales:<16}{row.threads:>9}{row.sockets:>9}{row.lookups:>9}{row.past_grace_lookups:>20}")
    verdict = flat(rows)
    print(verdict)
    return 0 if verdict.startswith("flat") and rows[-1].past_grace_lookups == 0 else 1


def flat(rows: list[StartUp]) -> str:
    """Threads the same for every row; sockets: the push stream, plus one kept-alive connection
    that every lookup shares once there is any sale to look up."""
    none, *some = rows
    if any(r.threads != none.threads for r in some):
        return "NOT flat: the thread count grows with the sales watched"
    if any(r.sockets != some[0].sockets for r in some) or some[0].sockets > none.sockets + 1:
        return "NOT flat: the socket count grows with the sales watched"
    return "flat: threads and sockets do not grow with the sales watched"


if __name__ == "__main__":
    sys.exit(main())
