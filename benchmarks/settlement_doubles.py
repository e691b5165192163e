"""Pay -> PAID and node requests per sale against the node doubles on 127.0.0.1 (see settlement.py).

    .venv/bin/python -m benchmarks.settlement --backend phoenixd --sales 50

Each sale: the kiosk charges (Checkout + the backend's adapter, default poll interval), the
double's push channel is open, the double marks the invoice paid; the time runs from that call
to the checkout's PAID. Requests are what the double answered during the sales (HTTP calls; a
push stream or websocket counts once, when it opens), divided by the sales. A backend with no
push channel (POLLED_ONLY) is paid at a random moment of the poll period after the watcher's first
lookup, as a customer who takes a while to scan would.
"""

from __future__ import annotations

import random
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from benchmarks.settlement import WAIT_S, PaidListener, percentile
from benchmarks.settlement_btcpay import btcpay
from benchmarks.settlement_nwc import nwc
from kiosk.backends.cln import ClnRest
from kiosk.backends.lnd import LndRest
from kiosk.backends.phoenixd import Phoenixd
from kiosk.config import PaymentConfig, ShopConfig
from kiosk.credentials import Secret
from kiosk.domain.pricing import Quote
from kiosk.domain.sale import SaleState
from kiosk.hardware.printers import NoPrinter
from kiosk.services.node_port import LightningBackend
from kiosk.storage.store import Storage
from kiosk.wiring import make_checkout
from tests.doubles.cln import ClnDouble
from tests.doubles.lnd import LndDouble
from tests.doubles.phoenixd import PhoenixdDouble
from tests.support.wait import wait_until


def _phoenixd(_folder: Path) -> tuple[LightningBackend, Any]:
    node = PhoenixdDouble().start()
    return Phoenixd(node.url, Secret(node.limited_password.encode())), node


def _lnd(folder: Path) -> tuple[LightningBackend, Any]:
    node = LndDouble(folder).start()
    return LndRest(node.url, Secret(node.kiosk_macaroon), node.tls_cert_file), node


def _cln(folder: Path) -> tuple[LightningBackend, Any]:
    node = ClnDouble(folder).start()
    return ClnRest(node.url, Secret(node.kiosk_rune.encode()), node.ca_cert_file), node


# The adapter (with its least-privilege credential) and the running double, per backend.
DOUBLES: dict[str, Callable[[Path], tuple[LightningBackend, Any]]] = {
    "lnd": _lnd,
    "cln": _cln,
    "phoenixd": _phoenixd,
    "nwc": nwc,
    "btcpay": btcpay,
}
# Backends without a push channel: polling alone reports the payment.
POLLED_ONLY = {"btcpay"}


@contextmanager
def _node(name: str, folder: Path) -> Iterator[tuple[LightningBackend, Any]]:
    backend, node = DOUBLES[name](folder)
    try:
        yield backend, node
    finally:
        backend.close()
        node.kill()


def requests_answered(node: Any) -> int:
    """HTTP calls the double logged (stream lines and websocket frames are not calls)."""
    return sum(1 for method, *_rest in node.exchanges if method not in ("STREAM", "WS"))


def run(name: str, sales: int) -> tuple[list[float], int, float]:
    """Pay -> PAID in ms for each sale, how many never reached PAID, requests per sale."""
    times: list[float] = []
    missed = 0
    with tempfile.TemporaryDirectory(prefix="kiosk-bench-") as tmp:
        folder = Path(tmp)
        with _node(name, folder) as (backend, node):
            storage = Storage.open(folder / "ledger.sqlite3")
            checkout = make_checkout(backend, storage, NoPrinter(), PaymentConfig(), ShopConfig())
            paid = PaidListener()
            checkout.subscribe(paid)
            before = requests_answered(node)
            try:
                for i in range(sales):
                    looked_up = checkout.watcher.lookups
                    sale = checkout.charge(Quote(amount_msat=(1_000 + i) * 1000), f"benchmark {i}")
                    if sale.state is not SaleState.AWAITING_PAYMENT or sale.invoice is None:
                        raise SystemExit(f"{name}: the kiosk could not charge: {sale.error}")
                    if name in POLLED_ONLY:
                        wait_until(
                            lambda n=looked_up: checkout.watcher.lookups > n, WAIT_S, "the first lookup"
                        )
                        time.sleep(random.uniform(0, PaymentConfig().poll_interval_seconds))
                    else:
                        wait_until(lambda: node.open_streams() >= 1, WAIT_S, "the push channel")
                    began = time.perf_counter()
                    node.pay(sale.invoice.payment_hash)
                    at = paid.wait(sale.id, WAIT_S)
                    if at is None:
                        missed += 1
                    else:
                        times.append((at - began) * 1000)
                per_sale = (requests_answered(node) - before) / sales
            finally:
                checkout.close()
                storage.close()
    return times, missed, per_sale


def main(names: list[str], sales: int) -> int:
    print(f"\nSettlement against the node doubles, {sales} sales each: ms from pay to PAID")
    print(f"{'backend':<12}{'p50':>9}{'p95':>9}{'max':>9}{'missed':>8}{'requests/sale':>15}")
    failed = False
    for name in names:
        times, missed, per_sale = run(name, sales)
        cells = [percentile(times, 50), percentile(times, 95), max(times)] if len(times) >= 2 else []
        text = "".join(f"{v:>9.1f}" for v in cells) if cells else f"{'-':>9}" * 3
        print(f"{name:<12}{text}{missed:>8}{per_sale:>15.2f}")
        failed |= bool(missed)
    return 1 if failed else 0
