"""Floods and trickles: every answer is capped in size and time while it is read.

Done-criterion of issue 14: a 50 MB answer is refused within 2 s without
memory growth beyond 20 MiB (tracemalloc, the proxy's own sending included).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from benchmarks.reliability.faults import run as run_fault
from kiosk.backends.http import MAX_ANSWER_BYTES, MAX_LINE_BYTES
from kiosk.backends.lnd import LndRest
from kiosk.credentials import Secret
from kiosk.errors import BackendError, ErrorKind
from kiosk.rates.kraken import Kraken
from kiosk.rates.provider import QuoteError, QuoteErrorKind
from kiosk.services.node_port import InvoiceState, StopSignal
from tests.doubles.lnd import LndDouble
from tests.support.hostile_proxy import Flood, HostileProxy, Trickle
from tests.support.memory import MIB, measure

FIFTY_MB = 50_000_000
TIMEOUT_S = 1.0  # the in-process LND double answers at once: a trickle is cut after this


@pytest.fixture
def backend(lnd: LndDouble, lnd_proxy: HostileProxy) -> LndRest:
    return LndRest(lnd_proxy.url, Secret(lnd.admin_macaroon), None, timeout_s=TIMEOUT_S)


@pytest.mark.parametrize("declare_length", [True, False], ids=["content-length", "chunked"])
def test_a_50_mb_answer_is_refused_in_2_s_within_20_mib(lnd_proxy, backend, declare_length):
    lnd_proxy.on("POST", "/v1/invoices", lambda _e: Flood(FIFTY_MB, declare_length))
    run = measure(lambda: backend.create_invoice(21_000, "flood", 600))
    assert isinstance(run.error, BackendError) and run.error.kind is ErrorKind.MALFORMED, run.error
    assert f"larger than {MAX_ANSWER_BYTES // 1024} KiB" in run.error.message
    assert run.seconds < 2.0, f"refused after {run.seconds:.2f} s"
    assert run.peak_bytes < 20 * MIB, f"peak +{run.peak_mib:.1f} MiB"
    how = "declared" if declare_length else "chunked"
    print(f"\n50 MB answer ({how}): refused in {run.seconds:.3f} s, peak +{run.peak_mib:.2f} MiB")


def test_a_trickled_answer_is_cut_at_the_node_timeout(lnd_proxy, backend):
    """Slowloris: a byte every 0.1 s keeps every socket read inside the read timeout, forever."""
    lnd_proxy.on("GET", "/v1/invoice/", lambda _e: Trickle(every_s=0.1))
    run = measure(lambda: backend.invoice_status("ab" * 32))
    assert isinstance(run.error, BackendError) and run.error.kind is ErrorKind.TIMEOUT, run.error
    assert f"did not finish its answer within {TIMEOUT_S:g} s" in run.error.message
    assert TIMEOUT_S <= run.seconds < TIMEOUT_S + 1.0


def test_a_push_stream_line_without_end_is_refused(lnd, lnd_proxy, backend):
    lnd_proxy.on(
        "GET", "/v1/invoices/subscribe", lambda _e: Flood(FIFTY_MB, declare_length=False), forward=False
    )
    run = measure(lambda: list(backend.push(frozenset, StopSignal())))
    assert isinstance(run.error, BackendError), run.error
    assert f"larger than {MAX_LINE_BYTES // 1024} KiB" in run.error.message
    assert run.peak_bytes < 20 * MIB and run.seconds < 2.0


def test_the_honest_answer_still_passes_through_the_same_reading(lnd, backend):
    created = backend.create_invoice(21_000, "honest", 600)
    assert backend.invoice_status(created.payment_hash).state is InvoiceState.OPEN


@pytest.fixture
def rate_proxy() -> Iterator[HostileProxy]:
    proxy = HostileProxy(None)
    yield proxy
    proxy.close()


def test_a_rate_provider_flood_is_refused_while_read(rate_proxy):
    rate_proxy.on("GET", "/", lambda _e: Flood(FIFTY_MB, declare_length=False))
    run = measure(lambda: Kraken(rate_proxy.url, TIMEOUT_S).fetch("USD"))
    assert isinstance(run.error, QuoteError) and run.error.kind is QuoteErrorKind.MALFORMED, run.error
    assert "larger than 256 KiB" in str(run.error)
    assert run.seconds < 2.0 and run.peak_bytes < 20 * MIB


def test_a_rate_provider_trickle_is_cut_at_its_timeout(rate_proxy):
    rate_proxy.on("GET", "/", lambda _e: Trickle(every_s=0.1))
    run = measure(lambda: Kraken(rate_proxy.url, TIMEOUT_S).fetch("USD"))
    assert isinstance(run.error, QuoteError) and run.error.kind is QuoteErrorKind.TIMEOUT, run.error
    assert run.seconds < TIMEOUT_S + 1.0


def test_the_fault_matrix_row_for_a_hostile_50_mb_answer(lnbits):
    """The row of benchmarks/reliability (docs/reliability.md) with its figures, run here too."""
    row = run_fault(lnbits, "hostile 50 MB answer from the node")
    assert row.lost == [], row
    assert "the sale ends FAILED in" in row.happens
    assert "larger than 2048 KiB" in row.cashier_sees and "node.url" in row.cashier_sees
    print(f"\n{row.happens}")
