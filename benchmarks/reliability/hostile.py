"""Fault-matrix row: a hostile 50 MB answer from the node, measured while the kiosk refuses it.

A hostile proxy (tests/support/hostile_proxy.py) in front of the real LNbits
answers the kiosk's invoice request with 50 MB sent chunked (no length to go
by). The kiosk must stop reading at its cap: the sale ends FAILED within 2 s
and Python's memory (tracemalloc, the proxy's sending included) grows less
than 20 MiB at the peak.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from benchmarks.reliability.rows import FaultRow, expect
from kiosk.backends.http import MAX_ANSWER_BYTES
from kiosk.backends.lnbits import LnbitsBackend
from kiosk.credentials import Secret
from kiosk.domain.pricing import Quote
from kiosk.domain.sale import Sale, SaleState
from tests.doubles.harness import checkout_on
from tests.support.hostile_proxy import Flood, HostileProxy
from tests.support.lnbits import LnbitsServer
from tests.support.memory import MIB, measure

FLOOD_BYTES = 50_000_000
LIMIT_S = 2.0
LIMIT_MIB = 20


def hostile_50_mb_answer(lnbits: LnbitsServer, row: FaultRow) -> None:
    assert lnbits.kiosk is not None
    proxy = HostileProxy(lnbits.url)
    proxy.on("POST", "/api/v1/payments", lambda _e: Flood(FLOOD_BYTES, declare_length=False))
    backend = LnbitsBackend(proxy.url, Secret(lnbits.kiosk.inkey.encode()))
    try:
        with tempfile.TemporaryDirectory() as folder, checkout_on(backend, Path(folder)) as checkout:
            run = measure(lambda: checkout.charge(Quote(amount_msat=2_100_000), "flood", 600))
    finally:
        proxy.close()
    sale = run.result
    expect(isinstance(sale, Sale), f"charge raised {run.error!r}")
    assert isinstance(sale, Sale)
    expect(sale.state is SaleState.FAILED and sale.invoice is None, f"the sale is {sale.state}")
    expect(run.seconds < LIMIT_S, f"refused after {run.seconds:.2f} s (limit {LIMIT_S:g} s)")
    expect(run.peak_bytes < LIMIT_MIB * MIB, f"memory peak +{run.peak_mib:.1f} MiB (limit {LIMIT_MIB} MiB)")
    row.happens = (
        f"the kiosk stops reading at {MAX_ANSWER_BYTES // MIB} MiB: the sale ends FAILED "
        f"in {run.seconds:.2f} s, memory peak +{run.peak_mib:.1f} MiB "
        f"(tracemalloc; limits {LIMIT_S:g} s, {LIMIT_MIB} MiB)"
    )
    row.cashier_sees = sale.error or ""
