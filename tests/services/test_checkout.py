"""A whole sale through the real services and the demo node, no window."""

from __future__ import annotations

import dataclasses
import threading
from decimal import Decimal

import bolt11
import pytest

from kiosk.backends.demo import DemoNode
from kiosk.config import PaymentConfig, ShopConfig
from kiosk.domain.money import Rate, currency
from kiosk.domain.pricing import quote
from kiosk.domain.sale import Charge, Sale, SaleItem, SaleState, transition
from kiosk.errors import BackendError, ErrorKind
from kiosk.hardware.printers import FileReceiptPrinter
from kiosk.hardware.rendering import PrintFormat
from kiosk.services.checkout import Checkout
from kiosk.services.node_port import CreatedInvoice
from kiosk.services.receipts import PaperGeometry
from kiosk.storage.store import Storage
from kiosk.wiring import make_checkout as wire_checkout
from tests.support.clock import Clock, WallJump
from tests.support.wait import wait_until

S = SaleState
USD = currency("USD")


@pytest.fixture
def storage(tmp_path):
    opened = Storage.open(tmp_path / "ledger.sqlite3")
    yield opened
    opened.close()


@pytest.fixture
def make_checkout(tmp_path, storage):
    made: list[Checkout] = []

    def make(backend=None, clock=None, **payment) -> Checkout:
        backend = backend or DemoNode()
        clock = clock or Clock()
        checkout = wire_checkout(
            backend,
            storage,
            FileReceiptPrinter(tmp_path / "receipts", PrintFormat(PaperGeometry.of_width(58))),
            PaymentConfig(poll_interval_seconds=0.05, **payment),
            ShopConfig(name="Test Shop", timezone="Europe/Berlin"),
            clock_ms=clock,
            steady_ms=clock.steady,
        )
        made.append(checkout)
        return checkout

    yield make
    for c in made:
        c.close()


def usd(amount: str):
    return quote(Decimal(amount), USD, Rate(Decimal("95000"), USD, "demo rate", 0), 1_000_000)


def states(checkout: Checkout, sale_id: int) -> list[SaleState]:
    return [to for _, to, _ in checkout.ledger.history(sale_id)]


def test_a_paid_sale_ends_with_a_printed_receipt(make_checkout, tmp_path):
    checkout = make_checkout()
    seen: list[Sale] = []
    checkout.subscribe(seen.append)
    sale = checkout.charge(usd("4.50"), "Flat white")
    assert sale.state is S.AWAITING_PAYMENT
    assert sale.amount_msat == 4_736_000 and sale.fiat_amount == Decimal("4.50")
    assert sale.rate == Decimal("95000") and sale.rate_source == "demo rate"

    checkout.backend.pay(sale.payment_hash)
    wait_until(lambda: checkout.ledger.get(sale.id).state is S.RECEIPT_PRINTED, what="receipt")
    done = checkout.ledger.get(sale.id)
    assert done.amount_received_msat == 4_736_000 and done.preimage and not done.settled_late
    assert states(checkout, sale.id) == [
        S.CREATING_INVOICE,
        S.AWAITING_PAYMENT,
        S.PAID,
        S.RECEIPT_PRINTED,
    ]
    assert [s.state for s in seen] == states(checkout, sale.id)
    receipt = (tmp_path / "receipts" / f"sale-{sale.id:06d}.txt").read_text()
    assert "Test Shop" in receipt and "$4.50" in receipt and done.preimage[:32] in receipt


def test_a_catalog_sale_with_a_tip_keeps_both_through_to_the_receipt(make_checkout, tmp_path):
    checkout = make_checkout()
    items = (SaleItem("Latte", 2, Decimal("3.50")),)
    rate = Rate(Decimal("95000"), USD, "demo rate", 0)
    sale = checkout.charge(
        quote(Decimal("7.00"), USD, rate, 1_000_000, Decimal("1.05"), items), "Test: 2× Latte"
    )
    invoice = bolt11.decode(sale.invoice.bolt11)
    assert invoice.amount_msat == sale.amount_msat == 8_473_000  # $8.05 at 95,000
    assert sale.tip_msat == 8_473_000 - 7_368_000 and sale.tip_fiat == Decimal("1.05")

    checkout.backend.pay(sale.payment_hash)
    wait_until(lambda: checkout.ledger.get(sale.id).state is S.RECEIPT_PRINTED, what="receipt")
    stored = checkout.ledger.get(sale.id)
    assert stored.items == items and stored.tip_fiat == Decimal("1.05")
    receipt = (tmp_path / "receipts" / f"sale-{sale.id:06d}.txt").read_text()
    for text in ("2× Latte", "$7.00", "Subtotal", "Tip", "$1.05", "$8.05"):
        assert text in receipt


def test_listeners_hear_of_a_state_only_after_it_is_committed(make_checkout):
    checkout = make_checkout()
    committed: list[bool] = []
    checkout.subscribe(lambda s: committed.append(checkout.ledger.get(s.id).state is s.state))
    sale = checkout.charge(usd("1.00"), "")
    checkout.backend.pay(sale.payment_hash)
    wait_until(lambda: len(committed) == 4, what="four notifications")
    assert all(committed)


def test_cancelled_sale_paid_afterwards_becomes_paid_late(make_checkout):
    checkout = make_checkout()
    sale = checkout.charge(usd("2.00"), "Croissant")
    assert checkout.cancel(sale.id).state is S.CANCELLED
    checkout.backend.pay(sale.payment_hash)
    wait_until(lambda: checkout.ledger.get(sale.id).state is S.RECEIPT_PRINTED, what="late receipt")
    assert checkout.ledger.get(sale.id).settled_late
    assert S.PAID_LATE in states(checkout, sale.id)


def test_payment_after_the_kiosk_deadline_is_paid_late_not_lost(make_checkout):
    clock = Clock()
    checkout = make_checkout(clock=clock)
    sale = checkout.charge(usd("3.00"), "Tea")
    clock.offset_ms = 301_000  # the kiosk's clock runs past the 300 s deadline; the node's does not
    wait_until(lambda: checkout.ledger.get(sale.id).state is S.EXPIRED, what="expiry")
    checkout.backend.pay(sale.payment_hash)
    wait_until(lambda: checkout.ledger.get(sale.id).state is S.RECEIPT_PRINTED, what="late receipt")
    assert states(checkout, sale.id)[-3:] == [S.EXPIRED, S.PAID_LATE, S.RECEIPT_PRINTED]


def test_watching_stops_after_the_grace_period(make_checkout):
    clock = Clock()
    checkout = make_checkout(clock=clock, grace_seconds=60)
    sale = checkout.charge(usd("3.00"), "Tea")
    clock.offset_ms = 400_000  # past deadline (300 s) and grace (60 s more)
    wait_until(lambda: sale.id not in checkout.watcher.watching(), what="the watcher to stop")
    assert checkout.ledger.get(sale.id).state is S.EXPIRED


class DuplicatingNode(DemoNode):
    """Pushes every payment three times, as LNbits sends its frames twice."""

    def push(self, on_screen, stop):
        for payment_hash in super().push(on_screen, stop):
            yield from (payment_hash, payment_hash, payment_hash)


def test_duplicate_notifications_give_one_paid(make_checkout):
    checkout = make_checkout(DuplicatingNode())
    sale = checkout.charge(usd("1.00"), "")
    checkout.backend.pay(sale.payment_hash)
    wait_until(lambda: checkout.ledger.get(sale.id).state is S.RECEIPT_PRINTED, what="receipt")
    assert sale.id not in checkout.watcher.watching()  # settled once: the duplicates find nothing to wake
    assert states(checkout, sale.id).count(S.PAID) == 1


class LyingNode(DemoNode):
    """Returns an invoice for another amount than the one asked for."""

    def create_invoice(self, amount_msat, memo, expiry_s, *, sale_id=None):
        return super().create_invoice(amount_msat * 10, memo, expiry_s)


def test_an_invoice_for_another_amount_is_refused_and_never_shown(make_checkout):
    checkout = make_checkout(LyingNode())
    sale = checkout.charge(usd("1.00"), "")
    assert sale.state is S.FAILED and sale.invoice is None
    assert "Invoice refused" in sale.error and "do not take payment" in sale.error


class OtherNetworkNode(DemoNode):
    def node_info(self):
        return dataclasses.replace(super().node_info(), network="mainnet")


def test_an_invoice_for_another_network_is_refused(make_checkout):
    sale = make_checkout(OtherNetworkNode()).charge(usd("1.00"), "")
    assert sale.state is S.FAILED and "network" in sale.error


class DownNode(DemoNode):
    def create_invoice(self, amount_msat, memo, expiry_s, *, sale_id=None) -> CreatedInvoice:
        raise BackendError(ErrorKind.UNREACHABLE, "Cannot reach the node at https://10.0.0.5:8080")


def test_node_down_fails_the_sale_with_the_next_step(make_checkout):
    sale = make_checkout(DownNode()).charge(usd("1.00"), "")
    assert sale.state is S.FAILED
    message, hint = sale.error.split("\n")
    assert "Cannot reach the node" in message and "try again" in hint


class FlakyLookupNode(DemoNode):
    """Lookups fail until `healthy` is set: the node is down for a while mid-wait."""

    def __init__(self) -> None:
        super().__init__()
        self.healthy = threading.Event()

    def invoice_status(self, payment_hash):
        if not self.healthy.is_set():
            raise BackendError(ErrorKind.UNREACHABLE, "down")
        return super().invoice_status(payment_hash)

    def push(self, on_screen, stop):
        raise BackendError(ErrorKind.UNREACHABLE, "stream down")


def test_payment_is_seen_once_the_node_comes_back(make_checkout):
    node = FlakyLookupNode()
    checkout = make_checkout(node)
    node.healthy.set()  # up while the charge checks its new invoice
    sale = checkout.charge(usd("1.00"), "")
    node.healthy.clear()  # then down while the customer pays
    node.pay(sale.payment_hash)
    lookups = checkout.watcher.lookups
    wait_until(lambda: checkout.watcher.lookups >= lookups + 3, what="lookups while the node is down")
    assert checkout.ledger.get(sale.id).state is S.AWAITING_PAYMENT
    node.healthy.set()
    wait_until(lambda: checkout.ledger.get(sale.id).state is S.RECEIPT_PRINTED, what="receipt")


def test_recovery_after_a_power_cut(make_checkout, tmp_path):
    node = DemoNode()
    first = make_checkout(node)
    interrupted = first.ledger.add(transition(Sale(0, 1, 1_000, "lost before invoice"), Charge(1)), 1)
    paid_while_down = first.charge(usd("2.00"), "paid while the kiosk was off")
    still_open = first.charge(usd("3.00"), "customer still paying")
    first.close()  # the kiosk dies: nobody watches any more
    node.pay(paid_while_down.payment_hash)

    second = make_checkout(node)
    second.recover()
    ledger = second.ledger
    assert ledger.get(interrupted.id).state is S.FAILED
    assert "restarted before" in ledger.get(interrupted.id).error
    wait_until(lambda: ledger.get(paid_while_down.id).state is S.RECEIPT_PRINTED, what="recovered")
    assert ledger.get(still_open.id).state is S.AWAITING_PAYMENT
    node.pay(still_open.payment_hash)
    wait_until(lambda: ledger.get(still_open.id).state is S.RECEIPT_PRINTED, what="resumed")


def test_a_paid_sale_whose_receipt_was_not_printed_is_printed_at_start_up(make_checkout, tmp_path):
    first = make_checkout()
    sale = first.charge(usd("2.00"), "")
    first.print_queue.printer = _BrokenPrinter()
    first.backend.pay(sale.payment_hash)
    wait_until(lambda: first.ledger.get(sale.id).state is S.PAID, what="paid")
    first.close()

    second = make_checkout(first.backend)
    second.recover()
    wait_until(lambda: second.ledger.get(sale.id).state is S.RECEIPT_PRINTED, what="printed")


class _BrokenPrinter:
    def print_receipt(self, receipt):
        from kiosk.services.printer_port import PrinterError

        raise PrinterError("paper out")


class BuggyNode(DemoNode):
    def create_invoice(self, amount_msat, memo, expiry_s, *, sale_id=None):
        raise KeyError("payment_request")


def test_an_unexpected_error_fails_the_sale_instead_of_leaving_it_half_made(make_checkout):
    checkout = make_checkout(BuggyNode())
    sale = checkout.charge(usd("1.00"), "")
    assert sale.state is S.FAILED and "Unexpected error" in sale.error and "KeyError" in sale.error
    assert checkout.ledger.get(sale.id).state is S.FAILED


def test_a_wall_clock_jump_forward_does_not_expire_an_open_invoice(make_checkout):
    wall = WallJump()
    checkout = make_checkout(clock=wall)
    sale = checkout.charge(usd("3.00"), "Tea")
    wall.offset_ms = 3_600_000
    lookups = checkout.watcher.lookups
    wait_until(lambda: checkout.watcher.lookups >= lookups + 6, what="six polls after the jump")
    assert checkout.ledger.get(sale.id).state is S.AWAITING_PAYMENT
    checkout.backend.pay(sale.payment_hash)
    wait_until(lambda: checkout.ledger.get(sale.id).state is S.RECEIPT_PRINTED, what="the receipt")
    assert S.PAID in states(checkout, sale.id) and S.PAID_LATE not in states(checkout, sale.id)


def test_a_wall_clock_jump_back_does_not_keep_an_invoice_open_past_its_time(make_checkout):
    wall = WallJump()
    checkout = make_checkout(clock=wall)
    sale = checkout.charge(usd("3.00"), "Tea", expiry_s=1)
    wall.offset_ms = -3_600_000
    wait_until(lambda: checkout.ledger.get(sale.id).state is S.EXPIRED, timeout=5, what="expiry on time")


def test_a_payment_the_ledger_cannot_record_yet_is_recorded_when_it_can(make_checkout, storage):
    """A full disk refuses the PAID write: the watcher keeps the payment and records it later."""
    checkout = make_checkout()
    sale = checkout.charge(usd("3.00"), "Tea")
    with storage.database.read() as conn:
        conn.execute(
            "CREATE TRIGGER full BEFORE UPDATE ON sales WHEN NEW.state = 'paid' "
            "BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END"
        )
    lookups = checkout.watcher.lookups
    checkout.backend.pay(sale.payment_hash)
    wait_until(lambda: checkout.watcher.lookups > lookups + 3, what="lookups after a refused write")
    assert checkout.ledger.get(sale.id).state is S.AWAITING_PAYMENT
    with storage.database.read() as conn:
        conn.execute("DROP TRIGGER full")
    wait_until(lambda: checkout.ledger.get(sale.id).state is S.RECEIPT_PRINTED, what="the receipt")
