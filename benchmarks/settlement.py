"""How fast a real payment reaches the kiosk, against a real LNbits on 127.0.0.1.

    .venv/bin/python -m benchmarks.settlement --sales 50
    .venv/bin/python -m benchmarks.settlement --backend doubles   # each node double (settlement_doubles)

For each sale: the kiosk charges (Checkout + LNbits adapter), a raw WebSocket
on the payment hash and a plain 1-second polling loop listen too, then the
customer wallet pays. Each listener's time is measured from the instant the
customer's pay call returned (LNbits may notify before that answer arrives,
hence values below zero). Also counts the adapter's node requests per sale.
Needs `scripts/setup-lnbits.sh`.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator, Set
from dataclasses import dataclass
from pathlib import Path

import requests
import websocket

from kiosk.backends.lnbits import LnbitsBackend
from kiosk.config import PaymentConfig, ShopConfig
from kiosk.credentials import Secret
from kiosk.domain.pricing import Quote
from kiosk.domain.sale import Sale, SaleState
from kiosk.hardware.printers import NoPrinter
from kiosk.services.checkout import Checkout
from kiosk.services.node_port import InvoiceStatus, StopSignal
from kiosk.storage.store import Storage
from kiosk.wiring import make_checkout
from tests.support.lnbits import LnbitsServer, LnbitsUnavailable, start_lnbits

TARGET_MS = 50.0
WAIT_S = 10.0
KIOSK = "kiosk: sale PAID"
RAW = "LNbits WebSocket (raw)"
POLL = "1 s polling"
LOOKUP_BUSY = "confirming lookup"
LOOKUP_IDLE = "same lookup, LNbits idle"
# LNbits registers a WebSocket listener just after the handshake; a customer needs
# seconds to scan the QR code, so waiting this long before paying is realistic.
LISTENERS_SETTLE_S = 0.25


@dataclass
class SaleTimes:
    kiosk: float | None = None
    raw_ws: float | None = None
    polling: float | None = None


class TimedLnbits(LnbitsBackend):
    """The adapter, noting when its WebSocket frame came and when the confirming lookup began and ended."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.frame_at: dict[str, float] = {}
        self.confirm: dict[str, tuple[float, float]] = {}

    def push(self, on_screen: Callable[[], Set[str]], stop: StopSignal) -> Iterator[str]:
        opened: set[str] = set()
        for payment_hash in super().push(on_screen, stop):
            if payment_hash in opened:  # the first one is the socket opening, not a frame
                self.frame_at.setdefault(payment_hash, time.perf_counter())
            opened.add(payment_hash)
            yield payment_hash

    def invoice_status(self, payment_hash: str) -> InvoiceStatus:
        began = time.perf_counter()
        status = super().invoice_status(payment_hash)
        if status.is_paid:
            self.confirm.setdefault(payment_hash, (began, time.perf_counter()))
        return status


def raw_ws_listener(
    server: LnbitsServer, payment_hash: str, times: SaleTimes, ready: threading.Event
) -> None:
    """LNbits' own notification: the first frame on /api/v1/ws/{payment_hash}."""
    ws = websocket.create_connection(f"ws://127.0.0.1:{server.port}/api/v1/ws/{payment_hash}", timeout=WAIT_S)
    ready.set()
    try:
        ws.recv()
        times.raw_ws = time.perf_counter()
    finally:
        ws.close()


def polling_listener(
    server: LnbitsServer, payment_hash: str, times: SaleTimes, stop: threading.Event
) -> None:
    """The naive baseline: look the invoice up once a second until it is paid."""
    assert server.kiosk is not None
    stop.wait(random.uniform(0, 1))  # a poller's phase is random relative to the payment
    with requests.Session() as http:
        http.trust_env = False
        url = f"{server.url}/api/v1/payments/{payment_hash}"
        while not stop.is_set():
            if http.get(url, headers={"X-Api-Key": server.kiosk.inkey}, timeout=WAIT_S).json().get("paid"):
                times.polling = time.perf_counter()
                return
            stop.wait(1.0)


class PaidListener:
    """Subscribed once to the checkout: notes when each sale became PAID."""

    def __init__(self) -> None:
        self.at: dict[int, float] = {}
        self._changed = threading.Condition()

    def __call__(self, sale: Sale) -> None:
        if sale.state is SaleState.PAID:
            with self._changed:
                self.at.setdefault(sale.id, time.perf_counter())
                self._changed.notify_all()

    def wait(self, sale_id: int, timeout: float) -> float | None:
        with self._changed:
            self._changed.wait_for(lambda: sale_id in self.at, timeout)
            return self.at.get(sale_id)


def run_sale(
    server: LnbitsServer, checkout: Checkout, backend: TimedLnbits, paid: PaidListener, sats: int
) -> dict[str, float | None]:
    """One sale, paid for real; returns each listener's time in ms after the pay call returned."""
    assert server.kiosk is not None
    times = SaleTimes()
    ws_before = backend.requests["ws"]
    sale = checkout.charge(Quote(amount_msat=sats * 1000), f"benchmark {sats} sat")
    if sale.state is not SaleState.AWAITING_PAYMENT or sale.invoice is None:
        raise SystemExit(f"the kiosk could not charge: {sale.error}")
    payment_hash = sale.invoice.payment_hash
    ready, stop = threading.Event(), threading.Event()
    threads = [
        threading.Thread(target=raw_ws_listener, args=(server, payment_hash, times, ready)),
        threading.Thread(target=polling_listener, args=(server, payment_hash, times, stop)),
    ]
    for t in threads:
        t.start()
    deadline = time.monotonic() + WAIT_S
    while backend.requests["ws"] == ws_before and time.monotonic() < deadline:
        time.sleep(0.005)
    ready.wait(WAIT_S)
    time.sleep(LISTENERS_SETTLE_S)
    server.pay(sale.invoice.bolt11)
    paid_at = time.perf_counter()
    times.kiosk = paid.wait(sale.id, WAIT_S)
    for t in threads:
        t.join(WAIT_S + 1)
    stop.set()
    lookup = backend.confirm.get(payment_hash, (None, None))
    began = time.perf_counter()
    server.http.get(
        f"{server.url}/api/v1/payments/{payment_hash}",
        headers={"X-Api-Key": server.kiosk.inkey},
        timeout=WAIT_S,
    ).raise_for_status()
    idle_lookup_ms = (time.perf_counter() - began) * 1000
    moments = {
        KIOSK: times.kiosk,
        " its WebSocket frame": backend.frame_at.get(payment_hash),
        " its lookup sent": lookup[0],
        " its lookup answered": lookup[1],
        RAW: times.raw_ws,
        POLL: times.polling,
    }
    result = {name: None if at is None else (at - paid_at) * 1000 for name, at in moments.items()}
    result[LOOKUP_BUSY] = None if None in lookup else (lookup[1] - lookup[0]) * 1000
    result[LOOKUP_IDLE] = idle_lookup_ms
    return result


def percentile(values: list[float], p: int) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[p - 1]


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sales", type=int, default=50, help="how many sales to time (at least 2)")
    parser.add_argument(
        "--backend",
        default="lnbits",
        help="lnbits (the real one), a node double's name (see settlement_doubles.DOUBLES), or doubles",
    )
    args = parser.parse_args()
    sales = max(args.sales, 2)
    if args.backend != "lnbits":
        from benchmarks import settlement_doubles  # imports this module: loaded only when asked

        names = list(settlement_doubles.DOUBLES) if args.backend == "doubles" else [args.backend]
        if not set(names) <= settlement_doubles.DOUBLES.keys():
            parser.error(f"--backend: one of lnbits, doubles, {', '.join(settlement_doubles.DOUBLES)}")
        return settlement_doubles.main(names, sales)
    try:
        server = start_lnbits()
    except LnbitsUnavailable as exc:
        print(exc, file=sys.stderr)
        return 2
    assert server.kiosk is not None
    backend = TimedLnbits(server.url, Secret(server.kiosk.inkey.encode()))
    rows: dict[str, list[float]] = {}
    missed: Counter[str] = Counter()
    with tempfile.TemporaryDirectory(prefix="kiosk-bench-") as tmp:
        storage = Storage.open(Path(tmp) / "ledger.sqlite3")
        checkout = make_checkout(backend, storage, NoPrinter(), PaymentConfig(), ShopConfig())
        paid = PaidListener()
        checkout.subscribe(paid)
        try:
            for i in range(sales):
                for name, ms in run_sale(server, checkout, backend, paid, 1_000 + i).items():
                    if ms is None:
                        missed[name] += 1
                    else:
                        rows.setdefault(name, []).append(ms)
        finally:
            checkout.close()
            storage.close()
            server.close()
    print(f"\nSettlement over {sales} real payments: ms after the customer's pay call returned")
    print(f"{'listener':<28}{'p50':>9}{'p95':>9}{'max':>9}{'missed':>8}")
    for name in (KIOSK, " its WebSocket frame", " its lookup sent", " its lookup answered", RAW, POLL):
        values = rows.get(name, [])
        cells = [percentile(values, 50), percentile(values, 95), max(values)] if len(values) >= 2 else []
        text = "".join(f"{v:>9.1f}" for v in cells) if cells else f"{'-':>9}" * 3
        print(f"{name:<28}{text}{missed[name]:>8}")
    print(f"\nLookup round trip, ms{'':<11}{'p50':>9}{'p95':>9}{'max':>9}")
    for name in (LOOKUP_BUSY, LOOKUP_IDLE):
        values = rows.get(name, [])
        if len(values) >= 2:
            print(
                f"{name:<28}{percentile(values, 50):>9.1f}{percentile(values, 95):>9.1f}{max(values):>9.1f}"
            )
    counts = backend.requests
    per_sale = ", ".join(f"{kind} {n / sales:.2f}" for kind, n in sorted(counts.items()))
    print(f"\nAdapter requests per sale: {per_sale}; total {sum(counts.values()) / sales:.2f}")
    if len(rows.get(KIOSK, [])) >= 2 and len(rows.get(RAW, [])) >= 2:
        gap = percentile(rows[KIOSK], 95) - percentile(rows[RAW], 95)
        verdict = "within" if gap <= TARGET_MS else "OVER"
        print(f"Kiosk p95 - LNbits WebSocket p95 = {gap:.1f} ms: {verdict} the {TARGET_MS:.0f} ms target")
    return 1 if missed[KIOSK] else 0


if __name__ == "__main__":
    sys.exit(main())
