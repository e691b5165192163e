"""phoenixd adapter against the loopback phoenixd double: contract, faults, passwords, amounts, websocket."""

import hashlib
import threading
from pathlib import Path

import bolt11
import pytest

from kiosk.backends import phoenixd_push
from kiosk.backends.phoenixd import Phoenixd
from kiosk.backends.registry import make_backend
from kiosk.config import NodeConfig
from kiosk.credentials import Secret
from kiosk.domain.pricing import Quote
from kiosk.domain.sale import SaleState
from kiosk.errors import ConfigError, ErrorKind
from kiosk.services.node_port import InvoiceState, StopSignal
from tests.backends.contract import BackendContract
from tests.doubles.harness import (
    AMOUNT_MSAT,
    PAID,
    DoubleHarness,
    NodeFaults,
    charge,
    checkout_on,
    wait_for_state,
)
from tests.doubles.phoenixd import PhoenixdDouble
from tests.support.errors import failure
from tests.support.wait import wait_until


@pytest.fixture
def double(phoenixd: PhoenixdDouble) -> PhoenixdDouble:
    return phoenixd


@pytest.fixture
def harness(double: PhoenixdDouble, tmp_path: Path):
    password = tmp_path / "phoenixd-limited.password"
    password.write_text(double.limited_password + "\n")
    config = NodeConfig(backend="phoenixd", url=double.url, password_file=password)
    return DoubleHarness(make_backend(config), double)


def phoenixd(double: PhoenixdDouble, password: str) -> Phoenixd:
    return Phoenixd(double.url, Secret(password.encode()), timeout_s=5)


class TestPhoenixdContract(BackendContract, NodeFaults):
    pass


def test_a_sale_pays_end_to_end_with_the_sale_number_as_external_id(double: PhoenixdDouble, tmp_path: Path):
    with checkout_on(phoenixd(double, double.limited_password), tmp_path, poll_s=60) as checkout:
        sale = charge(checkout)
        assert sale.invoice is not None and sale.invoice.bolt11.startswith("lnbcrt210n")
        assert double.external_ids[sale.payment_hash] == str(sale.id)
        wait_until(lambda: double.open_streams() == 1, 5, "the websocket")
        double.pay(sale.payment_hash)  # polling every minute: the websocket tells
        paid = wait_for_state(checkout, sale.id, *PAID, timeout=5)
    assert paid.amount_received_msat == AMOUNT_MSAT
    assert double.events_sent == 1
    form = next(r for m, p, r, _s, _b in double.exchanges if p == "/createinvoice")
    assert form == {
        "amountSat": "21",
        "expirySeconds": "600",
        "description": "coffee",
        "externalId": str(sale.id),
    }


def test_a_payment_while_the_websocket_was_down_is_found_by_polling(double: PhoenixdDouble, tmp_path: Path):
    with checkout_on(phoenixd(double, double.limited_password), tmp_path, poll_s=0.2) as checkout:
        sale = charge(checkout)
        wait_until(lambda: double.open_streams() == 1, 5, "the websocket")
        double.ping_period_s = 3600.0
        double.drop_streams()
        double.pay(sale.payment_hash)  # no socket hears it: phoenixd does not replay events
        wait_for_state(checkout, sale.id, *PAID, timeout=5)
    assert double.events_sent == 0


def test_liquidity_fees_do_not_make_a_paid_sale_short(double: PhoenixdDouble, tmp_path: Path):
    """receivedSat is after fees and truncated: 21 sat paid, 1.234 sat kept, 19 sat 'received'."""
    double.fee_msat = 1_234
    backend = phoenixd(double, double.limited_password)
    created = backend.create_invoice(AMOUNT_MSAT, "coffee", 600)
    double.pay(created.payment_hash)
    status = backend.invoice_status(created.payment_hash)
    assert double.incoming_json(double.book.get(created.payment_hash))["receivedSat"] == 19
    assert status.amount_received_msat == AMOUNT_MSAT


def test_an_overpayment_is_recorded_to_the_sat(double: PhoenixdDouble):
    backend = phoenixd(double, double.limited_password)
    created = backend.create_invoice(AMOUNT_MSAT, "coffee", 600)
    double.pay(created.payment_hash, AMOUNT_MSAT + 5_000)
    assert backend.invoice_status(created.payment_hash).amount_received_msat == AMOUNT_MSAT + 5_000


def test_an_unpaid_lookup_does_not_pass_on_the_preimage(double: PhoenixdDouble):
    backend = phoenixd(double, double.limited_password)
    created = backend.create_invoice(AMOUNT_MSAT, "coffee", 600)
    assert "preimage" in double.incoming_json(double.book.get(created.payment_hash))
    status = backend.invoice_status(created.payment_hash)
    assert status.state is InvoiceState.OPEN and status.preimage is None


def test_sub_sat_amounts_are_refused_before_asking_the_node(double: PhoenixdDouble):
    error = failure(lambda: phoenixd(double, double.limited_password).create_invoice(21_500, "coffee", 600))
    assert error.kind is ErrorKind.REJECTED and "21500 msat" in error.message
    assert double.exchanges == []


@pytest.mark.parametrize("memo", ["é" * 128, "☕" * 128, "🍩" * 64])
def test_a_description_of_128_utf16_units_goes_as_text(double: PhoenixdDouble, memo: str):
    created = phoenixd(double, double.limited_password).create_invoice(AMOUNT_MSAT, memo, 600)
    assert bolt11.decode(created.bolt11).description == memo


@pytest.mark.parametrize("memo", ["x" * 129, "🍩" * 65])
def test_a_longer_description_goes_as_its_hash(double: PhoenixdDouble, memo: str):
    created = phoenixd(double, double.limited_password).create_invoice(AMOUNT_MSAT, memo, 600)
    assert bolt11.decode(created.bolt11).description_hash == hashlib.sha256(memo.encode()).hexdigest()


def test_wrong_password_is_refused_without_showing_it(double: PhoenixdDouble):
    wrong = "not-the-password"
    error = failure(lambda: phoenixd(double, wrong).create_invoice(AMOUNT_MSAT, "coffee", 600))
    assert error.kind is ErrorKind.AUTH
    assert "phoenixd at" in error.message and "refused the password" in error.message
    assert "http-password-limited-access" in error.hint
    assert wrong not in str(error)


def test_the_websocket_refuses_a_wrong_password(double: PhoenixdDouble):
    error = failure(lambda: next(phoenixd(double, "wrong").push(frozenset, StopSignal())))
    assert error.kind is ErrorKind.AUTH


def test_the_websocket_opening_wakes_the_invoices_on_screen(double: PhoenixdDouble):
    stream = phoenixd(double, double.limited_password).push(lambda: {"ab" * 32}, StopSignal())
    assert next(stream) == "ab" * 32
    stream.close()


def test_a_silent_websocket_is_taken_for_dead(double: PhoenixdDouble, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(phoenixd_push, "IDLE_S", 0.3)
    double.ping_period_s = 3600.0
    error = failure(lambda: list(phoenixd(double, double.limited_password).push(frozenset, StopSignal())))
    assert error.kind is ErrorKind.TIMEOUT and "not even a ping" in error.message


def test_pings_keep_a_quiet_websocket_open(double: PhoenixdDouble, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(phoenixd_push, "IDLE_S", 0.5)
    double.ping_period_s = 0.1
    backend = phoenixd(double, double.limited_password)
    created = backend.create_invoice(AMOUNT_MSAT, "coffee", 600)
    stop, seen = StopSignal(), []
    reader = threading.Thread(target=lambda: seen.extend(backend.push(frozenset, stop)), daemon=True)
    reader.start()
    wait_until(lambda: double.open_streams() == 1, 5, "the websocket")
    wait_until(lambda: double.pings_sent >= 8, 5, "pings for longer than the idle limit")
    double.pay(created.payment_hash)
    wait_until(lambda: seen == [created.payment_hash], 5, "the payment after a quiet second")
    stop.set()
    reader.join(2)
    assert not reader.is_alive()


def test_closing_the_kiosk_ends_the_websocket_at_once(double: PhoenixdDouble, tmp_path: Path):
    backend = phoenixd(double, double.limited_password)
    with checkout_on(backend, tmp_path) as checkout:
        charge(checkout)
        wait_until(lambda: double.open_streams() == 1, 5, "the websocket")
    backend.close()
    wait_until(lambda: double.open_streams() == 0, 2, "the node to see the websocket hang up")


def test_not_synced_node_fails_the_sale(double: PhoenixdDouble, tmp_path: Path):
    double.synced = False
    with checkout_on(phoenixd(double, double.limited_password), tmp_path) as checkout:
        sale = checkout.charge(Quote(AMOUNT_MSAT), "coffee", 600)
    assert sale.state is SaleState.FAILED and "not synced" in sale.error


def test_node_info_names_the_node_and_its_usable_channels(double: PhoenixdDouble):
    info = phoenixd(double, double.limited_password).node_info()
    assert (info.pubkey, info.network, info.block_height) == (double.book.pubkey, "regtest", 1_234)
    assert info.active_channels == 1 and info.alias.startswith("phoenixd 0.8.0")


def test_inbound_liquidity_counts_only_normal_channels(double: PhoenixdDouble):
    double.inbound_sat = 123_456
    assert phoenixd(double, double.limited_password).inbound_liquidity_msat() == 123_456_000


def test_limited_password_cannot_pay_and_the_probe_moves_nothing(double: PhoenixdDouble):
    assert phoenixd(double, double.limited_password).credential_can_spend() is False
    probes = [(p, s) for m, p, _r, s, _b in double.exchanges if p == "/payinvoice"]
    assert probes == [("/payinvoice", 401)]


def test_full_password_is_caught_by_the_payinvoice_probe(double: PhoenixdDouble):
    assert phoenixd(double, double.full_password).credential_can_spend() is True
    assert double.exchanges[-1][1:] == (
        "/payinvoice",
        {"invoice": "kiosk-doctor-probe-not-an-invoice"},
        400,
        "Request parameter invoice couldn't be parsed/converted to bolt11invoice",
    )


def test_a_wrong_password_is_an_auth_error_not_a_clean_probe(double: PhoenixdDouble):
    assert failure(phoenixd(double, "wrong").credential_can_spend).kind is ErrorKind.AUTH


def test_another_service_at_the_address_is_named(double: PhoenixdDouble):
    backend = Phoenixd(double.url + "/api", Secret(double.limited_password.encode()), timeout_s=5)
    error = failure(backend.node_info)
    assert error.kind is ErrorKind.MALFORMED and "no phoenixd API at this address" in error.message


def test_plain_http_beyond_the_kiosk_is_refused():
    with pytest.raises(ConfigError, match="unencrypted"):
        Phoenixd("http://192.0.2.7:9740", Secret(b"password"))


@pytest.mark.parametrize(
    "frame",
    ["", "not json", "[]", "null", '{"type": "payment_sent", "paymentHash": "' + "ab" * 32 + '"}',
     '{"type": "payment_received"}', '{"type": "payment_received", "paymentHash": 7}',
     '{"type": "payment_received", "paymentHash": "' + "AB" * 32 + '"}', b"\xff\xfe", "[" * 5000],
)  # fmt: skip
def test_a_frame_that_is_not_a_payment_wakes_nothing(frame: str | bytes):
    assert phoenixd_push.payment_hash_of(frame) is None


def test_a_payment_frame_names_its_hash():
    frame = '{"type": "payment_received", "amountSat": 21, "paymentHash": "' + "ab" * 32 + '"}'
    assert phoenixd_push.payment_hash_of(frame) == "ab" * 32
