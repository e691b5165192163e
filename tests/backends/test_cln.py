"""Core Lightning clnrest adapter against the loopback CLN double: contract, faults, runes, TLS."""

import threading
from pathlib import Path

import pytest
import trustme

from kiosk.backends.base import InvoiceState
from kiosk.backends.cln import ClnRest
from kiosk.backends.registry import make_backend
from kiosk.config import NodeConfig
from kiosk.credentials import Secret
from kiosk.domain.pricing import Quote
from kiosk.domain.sale import SaleState
from kiosk.errors import ConfigError, ErrorKind
from tests.backends.contract import BackendContract
from tests.doubles.cln import ClnDouble
from tests.doubles.harness import AMOUNT_MSAT, DoubleHarness, NodeFaults, checkout_on
from tests.support.errors import failure


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


class TestClnContract(BackendContract, NodeFaults):
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


def test_waitinvoice_expiry_ends_the_watch_as_expired(double: ClnDouble):
    backend = cln(double, double.rune)
    created = backend.create_invoice(AMOUNT_MSAT, "coffee", 1)
    statuses = list(backend.watch(created.payment_hash, threading.Event()))
    assert statuses[-1].state is InvoiceState.EXPIRED  # an OPEN may come first, by timing
    assert not any(s.is_paid for s in statuses)


def test_watch_of_unknown_invoice_returns_at_once(double: ClnDouble):
    assert list(cln(double, double.rune).watch("ab" * 32, threading.Event())) == []


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
