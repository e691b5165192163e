"""One contract every node adapter must keep, run against each backend.

A test module subclasses BackendContract and provides a `harness` fixture
(see Harness) for its node: the demo node, a real LNbits, or the LND and
Core Lightning doubles.
"""

from __future__ import annotations

import threading
import time
from typing import Protocol

from kiosk.services.invoice_check import Expected, check_invoice
from kiosk.services.node_port import InvoiceState, LightningBackend, StopSignal
from tests.support.wait import wait_until


class Harness(Protocol):
    backend: LightningBackend  # the adapter under test, pointed at the node

    def pay(self, bolt11: str) -> None:
        """A customer pays the invoice in full, for real where the node is real."""
        ...

    def listening(self, payment_hash: str, seen: list[str]) -> bool:
        """The push channel started by start_push() would hear a payment now."""
        ...


def now_ms() -> int:
    return time.time_ns() // 1_000_000


class BackendContract:
    amount_msat = 21_000

    def test_node_info_names_a_known_network(self, harness: Harness):
        info = harness.backend.node_info()
        assert info.network in {"mainnet", "testnet", "signet", "regtest"}
        assert info.synced is True

    def test_created_invoice_passes_the_kiosk_checks(self, harness: Harness):
        backend = harness.backend
        info = backend.node_info()
        created = backend.create_invoice(self.amount_msat, "contract: coffee", 600)
        invoice = check_invoice(
            created.bolt11,
            Expected(self.amount_msat, 600, info.network, now_ms(), created.payment_hash, info.pubkey),
        )
        assert invoice.payment_hash == created.payment_hash
        assert len(created.payment_hash) == 64

    def test_new_invoice_is_open(self, harness: Harness):
        created = harness.backend.create_invoice(self.amount_msat, "contract: open", 600)
        status = harness.backend.invoice_status(created.payment_hash)
        assert status.state is InvoiceState.OPEN
        assert status.preimage is None

    def test_paid_invoice_reports_amount_and_preimage(self, harness: Harness):
        import hashlib

        created = harness.backend.create_invoice(self.amount_msat, "contract: pay", 600)
        harness.pay(created.bolt11)
        status = harness.backend.invoice_status(created.payment_hash)
        assert status.state is InvoiceState.PAID
        assert status.amount_received_msat >= self.amount_msat
        assert status.preimage is not None
        assert hashlib.sha256(bytes.fromhex(status.preimage)).hexdigest() == created.payment_hash

    def test_push_reports_the_payment(self, harness: Harness):
        created = harness.backend.create_invoice(self.amount_msat, "contract: push", 600)
        seen, stop, reader = start_push(harness, created.payment_hash)
        before = seen.count(created.payment_hash)
        harness.pay(created.bolt11)
        wait_until(lambda: seen.count(created.payment_hash) > before, 10, "the push channel to tell")
        stop.set()
        reader.join(2)
        assert not reader.is_alive(), "push() kept running for 2 s after stop was set"

    def test_unknown_invoice_is_not_paid(self, harness: Harness):
        status = harness.backend.invoice_status("00" * 32)
        assert status.state in (InvoiceState.UNKNOWN,)

    def test_expired_invoice_is_not_paid(self, harness: Harness):
        created = harness.backend.create_invoice(self.amount_msat, "contract: expires", 1)
        status = wait_until(
            lambda: (
                (s := harness.backend.invoice_status(created.payment_hash)).state
                in (InvoiceState.EXPIRED, InvoiceState.CANCELED)
                and s
            ),
            timeout=5,
            what="the invoice to expire",
        )
        assert not status.is_paid
        assert status.preimage is None

    def test_push_honours_stop_within_two_seconds(self, harness: Harness):
        created = harness.backend.create_invoice(self.amount_msat, "contract: stop", 600)
        _seen, stop, reader = start_push(harness, created.payment_hash)
        stop.set()
        reader.join(2)
        assert not reader.is_alive(), "push() kept running for 2 s after stop was set"


def start_push(harness: Harness, payment_hash: str) -> tuple[list[str], StopSignal, threading.Thread]:
    """Read the backend's push channel on a thread, with the invoice on screen, once it listens."""
    stop = StopSignal()
    seen: list[str] = []
    stream = harness.backend.push(lambda: {payment_hash}, stop)
    reader = threading.Thread(target=lambda: seen.extend(stream), daemon=True)
    reader.start()
    wait_until(lambda: harness.listening(payment_hash, seen), 5, "the push channel to listen")
    return seen, stop, reader
