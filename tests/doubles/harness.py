"""Run the kiosk against a node double: the contract harness, a real checkout, and fault tests.

`NodeFaults` holds the tests every double-backed adapter must pass; a test
class mixes it in and provides the `double` and `harness` fixtures.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import bolt11
import pytest

from kiosk.config import PaymentConfig, ShopConfig
from kiosk.domain.pricing import Quote
from kiosk.domain.sale import Sale, SaleState
from kiosk.errors import BackendError, ErrorKind
from kiosk.hardware.printers import NoPrinter
from kiosk.services.checkout import Checkout
from kiosk.services.node_port import LightningBackend, StopSignal
from kiosk.services.settlement_proof import Unproven
from kiosk.storage.store import Storage
from kiosk.wiring import make_checkout
from tests.doubles.invoices import Forgery
from tests.support.clock import Clock
from tests.support.wait import wait_until

AMOUNT_MSAT = 21_000
LEDGER_NAME = "ledger.sqlite3"


class NodeDouble(Protocol):
    """A node the tests can break: an LND or CLN double, or a proxy in front of a real LNbits."""

    garbage: bool  # answer with a web page instead of the node's JSON

    def pay(self, payment_hash: str, amount_msat: int | None = None) -> None: ...
    def kill(self) -> None: ...
    def restart(self) -> None: ...
    def drop_streams(self) -> None: ...
    def open_streams(self) -> int: ...
    def open_connections(self) -> int: ...
    def sign_other_amounts(self, offset_msat: int) -> None:
        """From now on, invoices are made for `offset_msat` more than asked."""
        ...

    def forge_paid(self, forgery: Forgery | None) -> None:
        """From now on, lookups of unpaid invoices answer 'paid' with this flaw (None: stop lying)."""
        ...


@dataclass
class DoubleHarness:
    """The contract's Harness: the adapter under test, pointed at a double."""

    backend: LightningBackend
    double: NodeDouble

    def pay(self, bolt11_text: str) -> None:
        self.double.pay(bolt11.decode(bolt11_text).payment_hash)

    def listening(self, payment_hash: str, seen: list[str]) -> bool:
        return self.double.open_streams() >= 1


@contextlib.contextmanager
def checkout_on(
    backend: LightningBackend, folder: Path, poll_s: float = 0.1, clock: Clock | None = None
) -> Iterator[Checkout]:
    """A real checkout on a real SQLite ledger; receipts go nowhere."""
    storage = Storage.open(folder / LEDGER_NAME)
    payment = PaymentConfig(poll_interval_seconds=poll_s, grace_seconds=3600)
    extra = {"clock_ms": clock, "steady_ms": clock.steady} if clock else {}
    checkout = make_checkout(backend, storage, NoPrinter(), payment, ShopConfig(), **extra)
    try:
        yield checkout
    finally:
        checkout.close()
        storage.close()


def charge(checkout: Checkout, expiry_s: int = 600) -> Sale:
    sale = checkout.charge(Quote(AMOUNT_MSAT), "coffee", expiry_s)
    assert sale.state is SaleState.AWAITING_PAYMENT, sale.error
    return sale


def wait_for_state(checkout: Checkout, sale_id: int, *states: SaleState, timeout: float = 10) -> Sale:
    return wait_until(
        lambda: (s := checkout.ledger.get(sale_id)).state in states and s,
        timeout,
        f"sale {sale_id} to reach {', '.join(states)}",
    )


PAID = (SaleState.PAID, SaleState.RECEIPT_PRINTED)


class NodeFaults:
    """What must hold for every adapter when its node misbehaves."""

    def test_node_killed_mid_wait_then_back(self, harness: DoubleHarness, tmp_path: Path):
        with checkout_on(harness.backend, tmp_path) as checkout:
            sale = charge(checkout)
            harness.double.kill()
            harness.double.pay(sale.payment_hash)  # arrives while the kiosk cannot reach the node
            lookups = checkout.watcher.lookups
            wait_until(lambda: checkout.watcher.lookups >= lookups + 2, 5, "lookups while the node is down")
            assert checkout.ledger.get(sale.id).state is SaleState.AWAITING_PAYMENT
            harness.double.restart()
            paid = wait_for_state(checkout, sale.id, *PAID)
            assert paid.amount_received_msat == AMOUNT_MSAT

    def test_dropped_stream_is_reopened_and_reports_the_payment(self, harness: DoubleHarness, tmp_path: Path):
        # Polling every minute: only the push channel can report the payment in time.
        with checkout_on(harness.backend, tmp_path, poll_s=60) as checkout:
            sale = charge(checkout)
            wait_until(lambda: harness.double.open_streams() == 1, 5, "the push channel")
            harness.double.drop_streams()
            wait_until(lambda: harness.double.open_streams() == 1, 5, "the push channel to reopen")
            harness.double.pay(sale.payment_hash)
            wait_for_state(checkout, sale.id, *PAID, timeout=5)

    def test_invoice_for_another_amount_fails_the_sale(self, harness: DoubleHarness, tmp_path: Path):
        harness.double.sign_other_amounts(1_000)
        with checkout_on(harness.backend, tmp_path) as checkout:
            sale = checkout.charge(Quote(AMOUNT_MSAT), "coffee", 600)
            assert sale.state is SaleState.FAILED
            assert "the invoice asks for 22000 msat, the sale is for 21000 msat" in sale.error
            assert checkout.ledger.get(sale.id).state is SaleState.FAILED

    def test_payment_after_the_deadline_is_paid_late(self, harness: DoubleHarness, tmp_path: Path):
        clock = Clock()
        with checkout_on(harness.backend, tmp_path, clock=clock) as checkout:
            sale = charge(checkout, expiry_s=600)
            clock.offset_ms = 601_000  # the kiosk gives up; the node's invoice is still open
            wait_for_state(checkout, sale.id, SaleState.EXPIRED)
            harness.double.pay(sale.payment_hash)
            late = wait_for_state(checkout, sale.id, *PAID, SaleState.PAID_LATE, timeout=15)
            assert late.settled_late
            assert SaleState.PAID_LATE in [to for _from, to, _at in checkout.ledger.history(sale.id)]

    @pytest.mark.parametrize("forgery", list(Forgery))
    def test_paid_without_proof_leaves_the_sale_payable(
        self, harness: DoubleHarness, tmp_path: Path, forgery: Forgery
    ):
        with checkout_on(harness.backend, tmp_path) as checkout:
            sale = charge(checkout)
            harness.double.forge_paid(forgery)
            lookups = checkout.watcher.lookups
            wait_until(lambda: checkout.watcher.lookups >= lookups + 3, 5, "lookups of the forged answer")
            assert checkout.ledger.get(sale.id).state is SaleState.AWAITING_PAYMENT
            reader = Storage.open(tmp_path / LEDGER_NAME)  # as doctor reads the ledger
            anomalies = reader.anomalies.recorded()
            reader.close()
            assert [(a.sale_id, a.payment_hash) for a in anomalies] == [(sale.id, sale.payment_hash)]
            assert anomalies[0].reason is FORGERY_REASONS[forgery]
            harness.double.forge_paid(None)
            harness.double.pay(sale.payment_hash)  # the real payment still counts
            assert wait_for_state(checkout, sale.id, *PAID).amount_received_msat == AMOUNT_MSAT

    def test_close_hangs_up_on_the_node(self, harness: DoubleHarness):
        harness.backend.node_info()
        wait_until(lambda: harness.double.open_connections() == 1, 5, "the kept-alive connection")
        harness.backend.close()
        wait_until(lambda: harness.double.open_connections() == 0, 5, "the node to see the kiosk hang up")

    def test_node_down_is_unreachable(self, harness: DoubleHarness):
        harness.double.kill()
        with pytest.raises(BackendError) as caught:
            harness.backend.create_invoice(AMOUNT_MSAT, "down", 600)
        assert caught.value.kind is ErrorKind.UNREACHABLE
        assert "127.0.0.1" in caught.value.message

    def test_html_instead_of_json_is_malformed(self, harness: DoubleHarness):
        harness.double.garbage = True
        with pytest.raises(BackendError) as caught:
            harness.backend.create_invoice(AMOUNT_MSAT, "proxy page", 600)
        assert caught.value.kind is ErrorKind.MALFORMED


FORGERY_REASONS = {
    Forgery.NO_PREIMAGE: Unproven.NO_PREIMAGE,
    Forgery.WRONG_PREIMAGE: Unproven.WRONG_PREIMAGE,
    Forgery.ONE_SAT_OF_21: Unproven.SHORT,
}


class StreamReplayFaults:
    """For nodes whose one stream is indexed (LND settle_index, CLN pay_index)."""

    def test_overpayment_is_recorded(self, harness: DoubleHarness, tmp_path: Path):
        with checkout_on(harness.backend, tmp_path) as checkout:
            sale = charge(checkout)
            harness.double.pay(sale.payment_hash, AMOUNT_MSAT + 5_000)
            paid = wait_for_state(checkout, sale.id, *PAID)
            assert paid.amount_received_msat == AMOUNT_MSAT + 5_000

    def test_a_payment_while_the_stream_was_down_is_replayed(self, harness: DoubleHarness):
        first = harness.backend.create_invoice(AMOUNT_MSAT, "seen live", 600)
        missed = harness.backend.create_invoice(AMOUNT_MSAT, "paid while down", 600)
        assert first_pushed(harness.backend, harness.double, first.payment_hash) == first.payment_hash
        harness.double.pay(missed.payment_hash)  # nobody is listening now
        again = harness.backend.push(frozenset, StopSignal())
        assert next(again) == missed.payment_hash
        again.close()


def first_pushed(backend: LightningBackend, double: NodeDouble, payment_hash: str) -> str | None:
    """Open the backend's push channel, pay the invoice once it listens, return what it pushes first."""
    stop = StopSignal()
    stream = backend.push(frozenset, stop)
    got: list[str] = []
    reader = threading.Thread(target=lambda: got.append(next(stream)), daemon=True)
    reader.start()
    wait_until(lambda: double.open_streams() == 1, 5, "the push channel")
    double.pay(payment_hash)
    reader.join(5)
    stop.set()
    if not reader.is_alive():
        stream.close()
    return got[0] if got else None
