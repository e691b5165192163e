"""LND REST adapter against the loopback LND double: the contract, faults, credentials, TLS."""

import socket
import threading
from pathlib import Path

import pytest
import trustme

from kiosk.backends.lnd import LndRest
from kiosk.backends.registry import make_backend
from kiosk.config import NodeConfig
from kiosk.credentials import Secret
from kiosk.domain.pricing import Quote
from kiosk.domain.sale import SaleState
from kiosk.errors import BackendError, ConfigError, ErrorKind
from kiosk.services.node_port import InvoiceState, StopSignal
from tests.backends.contract import BackendContract
from tests.doubles.harness import (
    AMOUNT_MSAT,
    PAID,
    DoubleHarness,
    NodeFaults,
    StreamReplayFaults,
    charge,
    checkout_on,
    wait_for_state,
)
from tests.doubles.lnd import LndDouble
from tests.support.errors import failure
from tests.support.wait import wait_until


@pytest.fixture
def double(lnd: LndDouble) -> LndDouble:
    """The running double from tests/conftest.py, under the name these tests use."""
    return lnd


@pytest.fixture
def harness(double: LndDouble, tmp_path: Path):
    macaroon = tmp_path / "admin.macaroon"
    macaroon.write_bytes(double.admin_macaroon)
    config = NodeConfig(
        backend="lnd", url=double.url, macaroon_file=macaroon, tls_cert_file=double.tls_cert_file
    )
    return DoubleHarness(make_backend(config), double)


def lnd(double: LndDouble, macaroon: bytes, **kwargs) -> LndRest:
    return LndRest(double.url, Secret(macaroon), double.tls_cert_file, timeout_s=5, **kwargs)


class TestLndContract(BackendContract, NodeFaults, StreamReplayFaults):
    pass


def test_wrong_macaroon_is_refused_without_showing_it(double: LndDouble):
    wrong = b"\x02\x01" + b"x" * 40
    error = failure(lambda: lnd(double, wrong).create_invoice(AMOUNT_MSAT, "coffee", 600))
    assert error.kind is ErrorKind.AUTH
    assert f"LND at {double.url} refused the macaroon" in error.message
    assert wrong.hex() not in str(error)


def test_empty_macaroon_is_an_auth_error(double: LndDouble):
    error = failure(lambda: lnd(double, b"").invoice_status("00" * 32))
    assert error.kind is ErrorKind.AUTH
    assert "expected 1 macaroon, got 0" in error.message


def test_missing_macaroon_file_is_a_config_error(tmp_path: Path):
    config = NodeConfig(backend="lnd", url="https://127.0.0.1:1", macaroon_file=tmp_path / "nope.macaroon")
    with pytest.raises(ConfigError, match=r"nope\.macaroon does not exist"):
        make_backend(config)


def test_invoice_macaroon_without_network_says_what_to_set(double: LndDouble):
    error = failure(lambda: lnd(double, double.invoice_macaroon).node_info())
    assert error.kind is ErrorKind.PERMISSION
    assert "node.network" in error.hint


def test_invoice_macaroon_uses_the_configured_identity(double: LndDouble, tmp_path: Path):
    backend = lnd(double, double.invoice_macaroon, network="regtest", pubkey=double.book.pubkey)
    info = backend.node_info()
    assert (info.network, info.pubkey) == ("regtest", double.book.pubkey)
    with checkout_on(backend, tmp_path) as checkout:
        sale = charge(checkout)  # the payee is still checked against the configured pubkey
        double.pay(sale.payment_hash)
        wait_for_state(checkout, sale.id, *PAID)


def test_invoice_macaroon_without_pubkey_skips_only_the_payee_check(double: LndDouble):
    info = lnd(double, double.invoice_macaroon, network="regtest").node_info()
    assert info.pubkey is None


def test_another_certificate_is_a_tls_error(double: LndDouble, tmp_path: Path):
    other = tmp_path / "other.cert"
    trustme.CA().cert_pem.write_to_path(str(other))
    backend = LndRest(double.url, Secret(double.admin_macaroon), other, timeout_s=5)
    error = failure(backend.node_info)
    assert error.kind is ErrorKind.TLS
    assert str(other) in error.message


def test_not_synced_node_fails_the_sale(double: LndDouble, tmp_path: Path):
    double.synced = False
    with checkout_on(lnd(double, double.admin_macaroon), tmp_path) as checkout:
        sale = checkout.charge(Quote(AMOUNT_MSAT), "coffee", 600)
    assert sale.state is SaleState.FAILED
    assert "not synced" in sale.error


def test_memo_too_large_is_rejected_with_lnd_reason(double: LndDouble):
    error = failure(lambda: lnd(double, double.admin_macaroon).create_invoice(AMOUNT_MSAT, "x" * 1100, 600))
    assert error.kind is ErrorKind.REJECTED
    assert "memo too large: 1100 bytes" in error.message


def test_duplicate_stream_events_give_one_settlement(double: LndDouble, tmp_path: Path):
    double.duplicate_events = True
    with checkout_on(lnd(double, double.admin_macaroon), tmp_path) as checkout:
        sale = charge(checkout)
        double.pay(sale.payment_hash)
        wait_for_state(checkout, sale.id, SaleState.RECEIPT_PRINTED)
        states = [to for _from, to, _at in checkout.ledger.history(sale.id)]
    assert states.count(SaleState.PAID) == 1
    assert states.count(SaleState.RECEIPT_PRINTED) == 1


def test_error_line_mid_stream_breaks_the_push_channel(double: LndDouble):
    backend = lnd(double, double.admin_macaroon)
    double.stream_error = "rpc error: invoice registry shutting down"
    error = failure(lambda: list(backend.push(frozenset, StopSignal())))
    assert error.kind is ErrorKind.UNREACHABLE
    assert "invoice registry shutting down" in error.message


def test_expired_invoice_is_reported_expired_not_canceled(double: LndDouble):
    backend = lnd(double, double.admin_macaroon)
    created = backend.create_invoice(AMOUNT_MSAT, "coffee", 1)
    status = wait_until(
        lambda: (s := backend.invoice_status(created.payment_hash)).state is not InvoiceState.OPEN and s,
        5,
        "the invoice to expire",
    )
    assert status.state is InvoiceState.EXPIRED and not status.is_paid


def test_the_stream_skips_invoices_added_or_left_open(double: LndDouble):
    """SubscribeInvoices also sends add events: only settlements wake a lookup."""
    backend = lnd(double, double.admin_macaroon)
    stop = StopSignal()
    seen: list[str] = []
    reader = threading.Thread(target=lambda: seen.extend(backend.push(frozenset, stop)), daemon=True)
    reader.start()
    wait_until(lambda: double.open_streams() == 1, 5, "the stream")
    backend.create_invoice(AMOUNT_MSAT, "left open", 600)
    paid = backend.create_invoice(AMOUNT_MSAT, "paid", 600)
    double.pay(paid.payment_hash)
    wait_until(lambda: seen, 5, "the settlement")
    stop.set()
    reader.join(2)
    assert seen == [paid.payment_hash]
    assert sum(1 for e in double.exchanges if e[0] == "STREAM") == 3  # two adds and the settlement


def test_inbound_liquidity_is_channel_balance_remote_msat(double: LndDouble):
    double.inbound_msat = 123_456_789
    assert lnd(double, double.kiosk_macaroon).inbound_liquidity_msat() == 123_456_789


def test_invoice_macaroon_cannot_read_liquidity_nor_spend(double: LndDouble):
    backend = lnd(double, double.invoice_macaroon)
    assert backend.inbound_liquidity_msat() is None
    assert backend.credential_can_spend() is False


def test_admin_macaroon_is_caught_by_the_spend_probe_without_changing_anything(double: LndDouble):
    assert lnd(double, double.admin_macaroon).credential_can_spend() is True
    probe = [e for e in double.exchanges if e[0] == "DELETE"]
    assert [(status, body["message"]) for _m, _p, _r, status, body in probe] == [
        (500, "invalid hash length of 0, want 32")
    ]


def test_read_only_kiosk_macaroon_cannot_spend(double: LndDouble):
    assert lnd(double, double.kiosk_macaroon).credential_can_spend() is False


def test_refused_macaroon_is_an_auth_error_not_a_clean_probe(double: LndDouble):
    error = failure(lambda: lnd(double, b"\x02\x01" + b"y" * 40).credential_can_spend())
    assert error.kind is ErrorKind.AUTH


def test_spend_probe_answered_by_a_web_page_is_malformed_not_a_verdict(double: LndDouble):
    double.garbage = True
    assert failure(lnd(double, double.admin_macaroon).credential_can_spend).kind is ErrorKind.MALFORMED


def test_an_error_answer_that_breaks_off_ends_the_push_stream_as_a_node_error():
    """The stream's error body is read after the headers: a cut there was a raw requests error
    that killed the push thread (polling alone watched until a restart)."""
    server = socket.create_server(("127.0.0.1", 0))
    headers = (
        b"HTTP/1.1 500 Internal Server Error\r\nContent-Type: application/json\r\nContent-Length: 40\r\n\r\n"
    )

    def answer_and_cut() -> None:
        conn, _ = server.accept()
        with conn:
            conn.recv(65536)
            conn.sendall(headers)  # the 40 bytes promised never come

    threading.Thread(target=answer_and_cut, daemon=True).start()
    node = LndRest(f"http://127.0.0.1:{server.getsockname()[1]}", Secret(b"\x01"), None, timeout_s=5)
    with server, pytest.raises(BackendError) as caught:
        list(node.push(frozenset, StopSignal()))
    assert caught.value.kind is ErrorKind.UNREACHABLE
    assert "broke off mid-answer" in caught.value.message
