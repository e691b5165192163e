"""Core Lightning clnrest adapter against the loopback CLN double: contract, faults, runes, TLS."""

import threading
from pathlib import Path

import pytest
import trustme

from kiosk.backends import cln as cln_module
from kiosk.backends.cln import ClnRest
from kiosk.backends.registry import make_backend
from kiosk.config import NodeConfig
from kiosk.credentials import Secret
from kiosk.domain.pricing import Quote
from kiosk.domain.sale import SaleState
from kiosk.errors import ConfigError, ErrorKind
from kiosk.services.node_port import StopSignal
from tests.backends.contract import BackendContract
from tests.doubles.cln import ClnDouble
from tests.doubles.harness import (
    AMOUNT_MSAT,
    DoubleHarness,
    NodeFaults,
    StreamReplayFaults,
    charge,
    checkout_on,
)
from tests.support.errors import failure
from tests.support.wait import wait_until


@pytest.fixture
def double(cln: ClnDouble) -> ClnDouble:
    """The running double from tests/conftest.py, under the name these tests use."""
    return cln


@pytest.fixture
def harness(double: ClnDouble, tmp_path: Path):
    rune = tmp_path / "kiosk.rune"
    rune.write_text(double.rune + "\n")
    config = NodeConfig(backend="cln", url=double.url, rune_file=rune, ca_cert_file=double.ca_cert_file)
    return DoubleHarness(make_backend(config), double)


def cln(double: ClnDouble, rune: str) -> ClnRest:
    return ClnRest(double.url, Secret(rune.encode()), double.ca_cert_file, timeout_s=5)


class TestClnContract(BackendContract, NodeFaults, StreamReplayFaults):
    pass


def test_wrong_rune_is_refused_without_showing_it(double: ClnDouble):
    wrong = "bm90LWEtcnVuZQ=="
    error = failure(lambda: cln(double, wrong).create_invoice(AMOUNT_MSAT, "coffee", 600))
    assert error.kind is ErrorKind.AUTH
    assert f"Core Lightning at {double.url} refused the rune: Rune is not valid" == error.message
    assert wrong not in str(error)


def test_missing_rune_is_an_auth_error(double: ClnDouble):
    error = failure(lambda: cln(double, " ").invoice_status("00" * 32))
    assert error.kind is ErrorKind.AUTH
    assert "Missing rune" in error.message


def test_empty_rune_file_is_a_config_error(tmp_path: Path):
    (tmp_path / "kiosk.rune").write_text("\n")
    config = NodeConfig(backend="cln", url="https://127.0.0.1:1", rune_file=tmp_path / "kiosk.rune")
    with pytest.raises(ConfigError, match="is empty"):
        make_backend(config)


def test_rune_without_getinfo_is_a_permission_error(double: ClnDouble):
    backend = cln(double, double.invoice_only_rune)
    assert backend.create_invoice(AMOUNT_MSAT, "coffee", 600).payment_hash
    error = failure(backend.node_info)
    assert error.kind is ErrorKind.PERMISSION
    assert "The rune may not read the node's info" in error.message


def test_another_ca_is_a_tls_error(double: ClnDouble, tmp_path: Path):
    other = tmp_path / "other-ca.pem"
    trustme.CA().cert_pem.write_to_path(str(other))
    error = failure(ClnRest(double.url, Secret(double.rune.encode()), other, timeout_s=5).node_info)
    assert error.kind is ErrorKind.TLS


def test_not_synced_node_fails_the_sale(double: ClnDouble, tmp_path: Path):
    double.synced = False
    with checkout_on(cln(double, double.rune), tmp_path) as checkout:
        sale = checkout.charge(Quote(AMOUNT_MSAT), "coffee", 600)
    assert sale.state is SaleState.FAILED
    assert "not synced" in sale.error


def test_mainnet_is_reported_by_its_bolt11_name(double: ClnDouble, monkeypatch: pytest.MonkeyPatch):
    info = double.getinfo_json() | {"network": "bitcoin"}
    monkeypatch.setattr(double, "getinfo_json", lambda: info)
    assert cln(double, double.rune).node_info().network == "mainnet"


def test_each_invoice_gets_its_own_label(double: ClnDouble):
    backend = cln(double, double.rune)
    first = backend.create_invoice(AMOUNT_MSAT, "coffee", 600)
    second = backend.create_invoice(AMOUNT_MSAT, "coffee", 600)
    labels = {double.book.get(c.payment_hash).label for c in (first, second)}
    assert len(labels) == 2 and all(label.startswith("kiosk-") for label in labels)


def test_a_quiet_node_is_asked_again_after_waitanyinvoice_times_out(
    double: ClnDouble, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setattr(cln_module, "WAIT_ANY_TIMEOUT_S", 1)
    backend = cln(double, double.rune)
    created = backend.create_invoice(AMOUNT_MSAT, "coffee", 600)
    stop = StopSignal()
    seen: list[str] = []
    reader = threading.Thread(target=lambda: seen.extend(backend.push(frozenset, stop)), daemon=True)
    reader.start()
    wait_until(lambda: any(e[4]["code"] == 904 for e in double.exchanges if e[3] == 500), 5, "a 904")
    double.pay(created.payment_hash)
    wait_until(lambda: seen == [created.payment_hash], 5, "the payment after the timeout")
    stop.set()
    reader.join(2)
    assert not reader.is_alive()


def test_closing_the_kiosk_ends_the_blocked_waitanyinvoice_at_once(double: ClnDouble, tmp_path: Path):
    backend = cln(double, double.rune)
    with checkout_on(backend, tmp_path) as checkout:
        charge(checkout)
        wait_until(lambda: double.open_streams() == 1, 5, "the waitanyinvoice call")
        threads = {t.name for t in threading.enumerate()}
        assert {"settlement-scheduler", "settlement-push-cln"} <= threads
    backend.close()
    wait_until(lambda: double.open_streams() == 0, 2, "the node to see the call hang up")
    left = {t.name for t in threading.enumerate()} & {"settlement-scheduler", "settlement-push-cln"}
    assert not left


def test_inbound_liquidity_counts_only_normal_channels_with_a_connected_peer(double: ClnDouble):
    double.inbound_msat = 123_456_789
    channels = double.listpeerchannels_json()["channels"]
    assert sum(c["receivable_msat"] for c in channels) > 123_456_789  # offline and pending ones too
    assert cln(double, double.kiosk_rune).inbound_liquidity_msat() == 123_456_789


def test_invoice_only_rune_cannot_read_liquidity_nor_pay(double: ClnDouble):
    backend = cln(double, double.invoice_only_rune)
    assert backend.inbound_liquidity_msat() is None
    assert backend.credential_can_spend() is False
    refused = [(path, status) for _m, path, _r, status, _b in double.exchanges]
    assert refused == [("/v1/listpeerchannels", 401), ("/v1/pay", 401)]


def test_full_rune_is_caught_by_the_pay_probe(double: ClnDouble):
    assert cln(double, double.rune).credential_can_spend() is True
    assert double.exchanges[-1][3:] == (
        500,
        {"code": -32602, "message": "missing required parameter: bolt11", "data": None},
    )


def test_kiosk_rune_reads_liquidity_but_cannot_pay(double: ClnDouble):
    backend = cln(double, double.kiosk_rune)
    assert backend.inbound_liquidity_msat() == double.inbound_msat
    assert backend.credential_can_spend() is False


def test_invalid_rune_is_an_auth_error_not_a_clean_probe(double: ClnDouble):
    error = failure(cln(double, "bm90LWEtcnVuZQ==").credential_can_spend)
    assert error.kind is ErrorKind.AUTH
