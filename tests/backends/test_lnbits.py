"""The LNbits adapter against a real LNbits 1.6.2 (FakeWallet) on 127.0.0.1.

Needs `scripts/setup-lnbits.sh` (./test.sh runs it); without it these tests fail, saying so.
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
import trustme

from kiosk.backends.lnbits import LnbitsBackend
from kiosk.backends.registry import make_backend
from kiosk.config import Config, NodeConfig, PaymentConfig, ShopConfig
from kiosk.credentials import Secret
from kiosk.domain.pricing import Quote
from kiosk.domain.sale import SaleState
from kiosk.errors import BackendError, ConfigError, ErrorKind
from kiosk.hardware.printers import FileReceiptPrinter
from kiosk.hardware.rendering import PrintFormat
from kiosk.services.checkout import Checkout
from kiosk.services.doctor import Status, examine
from kiosk.services.node_port import InvoiceState, StopSignal
from kiosk.services.receipts import PaperGeometry
from kiosk.storage.store import Storage
from kiosk.wiring import make_checkout
from tests.backends.contract import BackendContract, start_push
from tests.support.clock import Clock
from tests.support.lnbits import LnbitsServer, LnbitsUnavailable, free_port, start_lnbits
from tests.support.wait import wait_until

S = SaleState


def adapter(server: LnbitsServer, key: str | None = None, **kwargs: object) -> LnbitsBackend:
    assert server.kiosk is not None
    return LnbitsBackend(server.url, Secret((key or server.kiosk.inkey).encode()), **kwargs)


class LnbitsHarness:
    def __init__(self, server: LnbitsServer) -> None:
        self.server = server
        self.backend = adapter(server)

    def pay(self, bolt11: str) -> None:
        self.server.pay(bolt11)

    def listening(self, payment_hash: str, seen: list[str]) -> bool:
        return listening(self.server, payment_hash, seen)


def listening(server: LnbitsServer, payment_hash: str, seen: list[str]) -> bool:
    """push() yields the hash once its socket opens; a harmless "failed" frame shows LNbits registered it."""
    if len(seen) > 1:
        return True
    server.broadcast(payment_hash, json.dumps({"status": "failed"}))
    return False


@pytest.fixture
def harness(lnbits: LnbitsServer) -> LnbitsHarness:
    return LnbitsHarness(lnbits)


class TestLnbits(BackendContract):
    pass


# The adapter's own rules ----------------------------------------------------------------


def test_node_info_has_no_pubkey_and_the_configured_network(lnbits):
    assert adapter(lnbits).node_info().pubkey is None
    assert adapter(lnbits).node_info().network == "mainnet"
    assert adapter(lnbits, network="regtest").node_info().network == "regtest"


def test_msat_remainders_are_refused_before_asking_lnbits(lnbits):
    backend = adapter(lnbits)
    with pytest.raises(BackendError) as err:
        backend.create_invoice(21_500, "half a sat", 600)
    assert err.value.kind is ErrorKind.REJECTED
    assert "whole satoshis" in err.value.message
    assert backend.requests["create"] == 0


def test_lnbits_refusal_keeps_its_reason(lnbits):
    with pytest.raises(BackendError) as err:
        adapter(lnbits).create_invoice(21_000, "x" * 641, 600)
    assert err.value.kind is ErrorKind.REJECTED
    assert "640 characters" in err.value.message


def test_a_wrong_key_is_an_auth_error_that_never_shows_the_key(lnbits):
    wrong = "0123456789abcdef0123456789abcdef"
    with pytest.raises(BackendError) as err:
        adapter(lnbits, key=wrong).create_invoice(21_000, "coffee", 600)
    assert err.value.kind is ErrorKind.AUTH
    assert "no wallet has it" in err.value.message
    assert "invoice key" in err.value.hint
    assert wrong not in str(err.value)


def test_the_invoice_key_may_not_spend(lnbits):
    assert lnbits.kiosk is not None
    assert adapter(lnbits).credential_can_spend() is False
    assert adapter(lnbits, key=lnbits.kiosk.adminkey).credential_can_spend() is True
    balance = adapter(lnbits, key=lnbits.kiosk.adminkey).node_info()
    assert balance.synced  # the probe paid nothing and broke nothing


def test_plain_http_is_refused_off_the_kiosk(lnbits):
    with pytest.raises(ConfigError) as err:
        LnbitsBackend("http://192.0.2.10:5000", Secret(b"key"))
    assert "https" in err.value.hint


def test_a_stopped_node_is_unreachable():
    backend = LnbitsBackend(f"http://127.0.0.1:{free_port()}", Secret(b"key"), timeout_s=2)
    with pytest.raises(BackendError) as err:
        backend.node_info()
    assert err.value.kind is ErrorKind.UNREACHABLE
    with pytest.raises(BackendError) as err:
        next(backend.push(lambda: {"00" * 32}, StopSignal()))
    assert err.value.kind is ErrorKind.UNREACHABLE


def test_a_forged_websocket_frame_is_only_a_hint(lnbits):
    """Anyone may push frames to a payment hash: push() passes them on, a lookup still says open."""
    harness = LnbitsHarness(lnbits)
    created = harness.backend.create_invoice(21_000, "forged", 600)
    seen, stop, reader = start_push(harness, created.payment_hash)
    heard = len(seen)
    lnbits.broadcast(created.payment_hash, "not json")
    lnbits.broadcast(created.payment_hash, json.dumps({"pending": False, "status": "success"}))
    wait_until(lambda: len(seen) > heard, what="the forged frame")
    stop.set()
    reader.join(2)
    assert set(seen) == {created.payment_hash}
    assert harness.backend.invoice_status(created.payment_hash).state is InvoiceState.OPEN


def test_only_invoices_on_screen_hold_a_websocket(lnbits):
    """One reader thread; a socket per invoice on screen, closed when it leaves the screen."""
    backend = adapter(lnbits)
    first, second = (backend.create_invoice(21_000, memo, 600) for memo in ("first", "second"))
    shown = {first.payment_hash}
    stop = StopSignal()
    seen: list[str] = []
    reader = threading.Thread(target=lambda: seen.extend(backend.push(lambda: set(shown), stop)), daemon=True)
    reader.start()
    wait_until(lambda: seen == [first.payment_hash], what="the first invoice's socket")
    shown.clear()
    shown.add(second.payment_hash)
    wait_until(lambda: seen == [first.payment_hash, second.payment_hash], what="the second invoice's socket")
    wait_until(lambda: listening(lnbits, second.payment_hash, seen[1:]), what="LNbits to register it")
    stop.set()
    reader.join(2)
    assert not reader.is_alive()
    assert backend.requests["ws"] == 2


def test_expired_unpaid_invoice_reads_expired(lnbits):
    backend = adapter(lnbits)
    created = backend.create_invoice(21_000, "expires", 4)  # 1 s had sometimes passed by the lookup
    assert backend.invoice_status(created.payment_hash).state is InvoiceState.OPEN
    wait_until(
        lambda: backend.invoice_status(created.payment_hash).state is InvoiceState.EXPIRED,
        timeout=15.0,
        what="LNbits to mark the invoice expired",
    )


def test_first_install_gate_has_a_clear_message():
    """A fresh LNbits answers every call with a redirect to its first-install page."""
    server = LnbitsServer()
    try:
        server.start()
        backend = LnbitsBackend(server.url, Secret(b"0123456789abcdef0123456789abcdef"))
        with pytest.raises(BackendError) as err:
            backend.node_info()
    except LnbitsUnavailable as exc:
        pytest.fail(str(exc), pytrace=False)
    finally:
        server.close()
    assert "not set up yet" in err.value.message
    assert "first-install" in err.value.hint


# Whole sales through the kiosk's services -----------------------------------------------


@pytest.fixture
def checkout_for(lnbits, tmp_path: Path) -> Iterator:
    made: list[tuple[Checkout, Storage]] = []

    def make(backend: LnbitsBackend, clock: Clock | None = None, **payment: object) -> Checkout:
        clock = clock or Clock()
        storage = Storage.open(tmp_path / f"ledger-{len(made)}.sqlite3")
        checkout = make_checkout(
            backend,
            storage,
            FileReceiptPrinter(tmp_path / "receipts", PrintFormat(PaperGeometry.of_width(58))),
            PaymentConfig(**payment),
            ShopConfig(name="LNbits Café"),
            clock_ms=clock,
            steady_ms=clock.steady,
        )
        made.append((checkout, storage))
        return checkout

    yield make
    for checkout, storage in made:
        checkout.close()
        storage.close()


def sats(n: int) -> Quote:
    return Quote(amount_msat=n * 1000, fiat=None, rate=None)


def history(checkout: Checkout, sale_id: int) -> list[SaleState]:
    return [to for _, to, _ in checkout.ledger.history(sale_id)]


def test_a_real_payment_prints_the_receipt(lnbits, checkout_for, tmp_path):
    checkout = checkout_for(adapter(lnbits))
    sale = checkout.charge(sats(1_500), "Espresso")
    assert sale.state is S.AWAITING_PAYMENT, sale.error
    lnbits.pay(sale.invoice.bolt11)
    wait_until(lambda: checkout.ledger.get(sale.id).state is S.RECEIPT_PRINTED, what="the receipt")
    done = checkout.ledger.get(sale.id)
    assert done.amount_received_msat == 1_500_000
    assert hashlib.sha256(bytes.fromhex(done.preimage)).hexdigest() == sale.payment_hash
    assert history(checkout, sale.id).count(S.PAID) == 1
    assert list((tmp_path / "receipts").glob(f"*{sale.id:06d}*")), "no receipt was printed"


def test_duplicate_frames_give_one_paid_transition(lnbits, checkout_for):
    """Forged frames wake lookups that find the sale unpaid; after the payment, one PAID only."""
    backend = adapter(lnbits)
    checkout = checkout_for(backend, poll_interval_seconds=60)  # only the push channel is quick
    sale = checkout.charge(sats(700), "Tea")
    wait_until(lambda: backend.requests["ws"] >= 1, what="the invoice's WebSocket")
    frame = json.dumps({"pending": False, "status": "success"})
    before = checkout.watcher.lookups

    def forged_frames_looked_up() -> bool:
        lnbits.broadcast(sale.payment_hash, frame)  # forged before payment: must not make it paid
        return checkout.watcher.lookups >= before + 3

    wait_until(forged_frames_looked_up, what="forged frames to wake lookups")
    assert checkout.ledger.get(sale.id).state is S.AWAITING_PAYMENT
    lnbits.pay(sale.invoice.bolt11)  # LNbits itself sends this notification twice
    for _ in range(3):
        lnbits.broadcast(sale.payment_hash, frame)
    wait_until(lambda: checkout.ledger.get(sale.id).state is S.RECEIPT_PRINTED, timeout=5, what="the receipt")
    assert sale.id not in checkout.watcher.watching()  # settled: later frames find nothing to wake
    assert history(checkout, sale.id) == [S.CREATING_INVOICE, S.AWAITING_PAYMENT, S.PAID, S.RECEIPT_PRINTED]


def test_payment_after_the_deadline_is_paid_late(lnbits, checkout_for):
    clock = Clock()
    checkout = checkout_for(adapter(lnbits), clock, poll_interval_seconds=0.1)
    sale = checkout.charge(sats(900), "Cake", expiry_s=60)
    clock.offset_ms = 61_000  # the kiosk's deadline has passed; LNbits' invoice is still payable
    wait_until(lambda: checkout.ledger.get(sale.id).state is S.EXPIRED, what="the kiosk's deadline")
    lnbits.pay(sale.invoice.bolt11)
    wait_until(
        lambda: checkout.ledger.get(sale.id).state is S.RECEIPT_PRINTED, timeout=15, what="the receipt"
    )
    assert S.PAID_LATE in history(checkout, sale.id)
    assert checkout.ledger.get(sale.id).settled_late


@pytest.fixture
def restartable(lnbits) -> Iterator[LnbitsServer]:
    """An LNbits funded by the session's LNbits, which remembers its invoices across a restart."""
    try:
        server = start_lnbits(funding=lnbits)
    except LnbitsUnavailable as exc:
        pytest.fail(str(exc), pytrace=False)
    yield server
    server.close()


def test_node_killed_mid_wait_and_restarted(lnbits, restartable, checkout_for):
    """The watcher rides out a dead node and sees the payment made once it is back."""
    backend = adapter(restartable)
    checkout = checkout_for(backend, poll_interval_seconds=0.2)
    sale = checkout.charge(sats(1_200), "Sandwich")
    assert sale.state is S.AWAITING_PAYMENT, sale.error
    wait_until(lambda: backend.requests["ws"] >= 1, what="the WebSocket to open")
    restartable.stop()
    lookups_when_killed = backend.requests["lookup"]
    wait_until(lambda: backend.requests["lookup"] > lookups_when_killed + 1, what="lookups while down")
    restartable.start()
    assert checkout.ledger.get(sale.id).state is S.AWAITING_PAYMENT
    lnbits.pay(sale.invoice.bolt11)  # the funding node's customer pays the kiosk's invoice
    wait_until(
        lambda: checkout.ledger.get(sale.id).state is S.RECEIPT_PRINTED, timeout=15, what="the receipt"
    )
    assert history(checkout, sale.id).count(S.PAID) == 1
    assert backend.requests["ws"] >= 2, "the push channel was not reconnected"


# Over TLS: https for the API, wss for the push channel, both pinned to the node's certificate ----


@pytest.fixture(scope="module")
def lnbits_tls() -> Iterator[LnbitsServer]:
    try:
        server = start_lnbits(tls=True)
    except LnbitsUnavailable as exc:
        pytest.fail(str(exc), pytrace=False)
    yield server
    server.close()


def test_pinned_tls_sale_is_watched_over_wss(lnbits_tls):
    harness = LnbitsHarness(lnbits_tls)
    harness.backend = adapter(lnbits_tls, tls_cert_file=lnbits_tls.ca_file)
    assert harness.backend.node_info().synced
    created = harness.backend.create_invoice(2_000, "over TLS", 600)
    seen, stop, reader = start_push(harness, created.payment_hash)
    heard = len(seen)
    lnbits_tls.pay(created.bolt11)
    wait_until(lambda: len(seen) > heard, what="the payment frame over wss")
    stop.set()
    reader.join(2)
    assert harness.backend.invoice_status(created.payment_hash).state is InvoiceState.PAID


def test_another_certificate_is_a_tls_error(lnbits_tls, tmp_path):
    other = tmp_path / "other-ca.pem"
    trustme.CA().cert_pem.write_to_path(str(other))
    backend = adapter(lnbits_tls, tls_cert_file=other)
    with pytest.raises(BackendError) as err:
        backend.node_info()
    assert err.value.kind is ErrorKind.TLS
    with pytest.raises(BackendError) as err:
        next(backend.push(lambda: {"00" * 32}, StopSignal()))
    assert err.value.kind is ErrorKind.TLS


# The doctor, through the registry, as `python -m kiosk doctor` runs it ------------------


@pytest.mark.parametrize(("key_kind", "verdict"), [("inkey", Status.OK), ("adminkey", Status.WARN)])
def test_doctor_checks_least_privilege(lnbits, tmp_path, key_kind, verdict):
    key_file = tmp_path / "lnbits.key"
    key_file.write_text(getattr(lnbits.kiosk, key_kind) + "\n")
    config = Config(node=NodeConfig(backend="lnbits", url=lnbits.url, invoice_key_file=key_file))
    checks = {c.name: c for c in examine(config, lambda: make_backend(config.node))}
    assert checks["invoice"].status is Status.OK
    assert checks["network"].message.startswith("mainnet")
    assert checks["least privilege"].status is verdict
