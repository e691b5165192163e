"""Checkout: runs a sale from the charge tap to the printed receipt.

Every state change is committed to the ledger before listeners (the screen,
the CLI) hear of it. Calls that touch the network or the printer block, so the
UI runs them on worker threads (see `submit`); listeners are called from those
threads and must hand over to their own thread themselves.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, replace
from decimal import Decimal

from kiosk.clock import now_ms, steady_ms
from kiosk.config import PaymentConfig, ShopConfig
from kiosk.domain.pricing import Quote
from kiosk.domain.sale import (
    Cancel,
    CashReceived,
    Charge,
    DeadlinePassed,
    Event,
    InvalidTransition,
    InvoiceCreated,
    InvoiceFailed,
    ReceiptPrinted,
    Sale,
    SaleState,
    Settled,
    transition,
)
from kiosk.domain.tender import Tender
from kiosk.errors import BackendError, ErrorKind, KioskError
from kiosk.i18n import _
from kiosk.services.invoice_check import Expected, check_invoice, check_new_to_ledger, check_open_at_node
from kiosk.services.ledger import Ledger
from kiosk.services.node_port import InvoiceStatus, LightningBackend, NodeInfo, OrderInvoices
from kiosk.services.print_jobs import JobState, PrintJob
from kiosk.services.print_queue import PrintQueue
from kiosk.services.receipts import Copy
from kiosk.services.sale_draft import cash_change, draft_sale
from kiosk.services.settlement import SettlementWatcher, Watch
from kiosk.services.settlement_proof import Anomaly, proof_of

log = logging.getLogger(__name__)

Listener = Callable[[Sale], None]
NODE_INFO_TTL_MS = 300_000
# After the invoice expires, a payment already on its way (an HTLC accepted a moment
# before expiry) and a node clock a little ahead of the kiosk's still need time to show.
IN_FLIGHT_MARGIN_MS = 120_000


def grace_end_ms(sale: Sale, grace_seconds: int) -> int:
    """When watching a sale's invoice ends: once the node can no longer accept the payment.

    That is the invoice's own expiry (as decoded from the BOLT11) plus a margin
    for a payment in flight, never later than `payment.grace_seconds` after the
    kiosk's deadline. What each node does at expiry:
    - LND's expiry watcher cancels an OPEN invoice at expiry; a canceled invoice takes no HTLC.
    - Core Lightning marks the invoice `expired` and refuses any HTLC for it.
    - LNbits applies expiry lazily: its internal payments (wallet to wallet on the same
      LNbits) were seen to pay an expired invoice nobody had looked up. The watcher's
      last lookup, at the end of the grace, is what marks it failed there, and a failed
      invoice takes no payment. Payments over Lightning are refused by its funding node.
    - The demo node refuses to pay an expired invoice.
    """
    assert sale.invoice is not None and sale.deadline_ms is not None
    by_node = sale.invoice.expires_at_ms + IN_FLIGHT_MARGIN_MS
    return min(by_node, sale.deadline_ms + grace_seconds * 1000)


def error_text(exc: KioskError) -> str:
    """What the ledger and the screen keep of an error: the message, then the next step."""
    return f"{exc.message}\n{exc.hint}" if exc.hint else exc.message


@dataclass
class _CachedInfo:
    info: NodeInfo
    at_ms: int


class Checkout:
    def __init__(
        self,
        backend: LightningBackend,
        ledger: Ledger,
        print_queue: PrintQueue,
        payment: PaymentConfig,
        shop: ShopConfig,
        clock_ms: Callable[[], int] = now_ms,
        merchant_copy: bool = False,
        steady_ms: Callable[[], int] = steady_ms,
        on_anomaly: Callable[[Anomaly], None] | None = None,
    ) -> None:
        self.backend = backend
        self.ledger = ledger
        self.print_queue = print_queue
        self.print_queue.on_printed(self._receipt_printed)
        self.merchant_copy = merchant_copy  # the admin settings may change it
        self.cashier_id: int | None = None  # who is signed in on the till; their sales carry it
        self._payment = payment
        self._shop = shop
        self._clock_ms = clock_ms
        self._listeners: list[Listener] = []
        self._lock = threading.RLock()
        self._info: _CachedInfo | None = None
        self._pool = ThreadPoolExecutor(max_workers=4, thread_name_prefix="checkout")
        self.watcher = SettlementWatcher(
            backend,
            on_settled=self._settled,
            on_deadline=lambda sale_id: self._apply(sale_id, DeadlinePassed(self._clock_ms())),
            clock_ms=clock_ms,
            poll_interval_s=payment.poll_interval_seconds,
            steady_ms=steady_ms,
            on_anomaly=on_anomaly,
        )

    def subscribe(self, listener: Listener) -> None:
        self._listeners.append(listener)

    def submit(self, fn: Callable[..., object], *args: object) -> Future:
        """Run a blocking call off the caller's thread."""
        return self._pool.submit(fn, *args)

    def close(self) -> None:
        self.watcher.close()
        self._pool.shutdown(wait=True, cancel_futures=True)
        self.print_queue.close()

    # The sale's life -----------------------------------------------------------

    def charge(self, quote: Quote, memo: str, expiry_s: int | None = None) -> Sale:
        """Create the sale and its invoice; returns it AWAITING_PAYMENT, or FAILED with the reason."""
        expiry_s = expiry_s or self._payment.invoice_expiry_seconds
        now = self._clock_ms()
        draft = draft_sale(quote, memo, now, cashier_id=self.cashier_id)
        with self._lock:
            sale = self.ledger.add(transition(draft, Charge(now)), now)
            self._notify(sale)
        try:
            info = self.node_info()
            if not info.synced:
                raise BackendError(ErrorKind.NOT_SYNCED, _("The Lightning node is not synced yet"))
            asked_at = self._clock_ms()
            if isinstance(self.backend, OrderInvoices):  # the node files the invoice with the sale
                created = self.backend.create_order_invoice(sale, expiry_s)
            else:
                created = self.backend.create_invoice(quote.amount_msat, memo, expiry_s, sale_id=sale.id)
            now = self._clock_ms()
            invoice = check_invoice(
                created.bolt11,
                Expected(
                    amount_msat=quote.amount_msat,
                    expiry_s=expiry_s,
                    network=info.network,
                    now_ms=now,
                    payment_hash=created.payment_hash,
                    payee=info.pubkey,
                    asked_at_ms=asked_at,
                ),
            )
            check_open_at_node(self.backend.invoice_status(invoice.payment_hash))
            with self._lock:  # the check and the write are one step: no other sale takes the hash between
                check_new_to_ledger(self.ledger.with_payment_hash(invoice.payment_hash))
                deadline = min(invoice.expires_at_ms, now + expiry_s * 1000)
                shown = replace(sale, invoice=invoice, deadline_ms=deadline)
                grace_until = grace_end_ms(shown, self._payment.grace_seconds)
                sale = self._apply(sale.id, InvoiceCreated(invoice, now, deadline, grace_until)) or sale
        except KioskError as exc:
            log.warning("sale %s: no invoice: %s", sale.id, exc.message)
            return self._apply(sale.id, InvoiceFailed(error_text(exc), self._clock_ms())) or sale
        except Exception as exc:  # a bug must not leave the sale half-made in the ledger
            log.exception("sale %s: unexpected error while making the invoice", sale.id)
            unexpected = KioskError(
                _("Unexpected error while making the invoice ({error})").format(error=type(exc).__name__),
                _(
                    "Nothing was charged. Try again; if it repeats, "
                    "restart the kiosk and run `python -m kiosk doctor`"
                ),
            )
            return self._apply(sale.id, InvoiceFailed(error_text(unexpected), self._clock_ms())) or sale
        self._watch(sale)
        return sale

    def take_cash(self, quote: Quote, memo: str, tendered: Decimal) -> Sale:
        """A cash sale (`Order.cash`): recorded, then PAID with its change, then its receipt queued."""
        change = cash_change(quote, tendered)
        now = self._clock_ms()
        with self._lock:
            sale = self.ledger.add(draft_sale(quote, memo, now, Tender.CASH, self.cashier_id), now)
            self._notify(sale)
            paid = self._apply(sale.id, CashReceived(tendered, change, now)) or sale
        self.print_receipt(sale.id)
        return paid

    def cancel(self, sale_id: int) -> Sale | None:
        """The cashier gave up on the sale. The invoice is still watched: a payment becomes paid-late."""
        cancelled = self._apply(sale_id, Cancel(self._clock_ms()))
        if cancelled is not None:
            self.watcher.off_screen(sale_id)
        return cancelled

    def node_info(self) -> NodeInfo:
        """The node's identity and network, asked at most every five minutes."""
        now = self._clock_ms()
        cached = self._info
        if cached is None or now - cached.at_ms > NODE_INFO_TTL_MS or not cached.info.synced:
            cached = _CachedInfo(self.backend.node_info(), now)
            self._info = cached
        return cached.info

    def recover(self) -> list[Sale]:
        """At start-up: finish what a crash or power cut interrupted. Returns the sales touched."""
        touched = []
        for sale in self.ledger.in_states((SaleState.CREATING_INVOICE,)):
            reason = "The kiosk restarted before this sale's invoice was shown; nothing was paid"
            touched.append(self._apply(sale.id, InvoiceFailed(reason, self._clock_ms())) or sale)
        now = self._clock_ms()
        for sale in self.ledger.in_states(
            (SaleState.AWAITING_PAYMENT, SaleState.EXPIRED, SaleState.CANCELLED)
        ):
            # Past its grace the node refuses the payment: no lookup, no watch (see grace_end_ms).
            if sale.invoice is not None and now < self._grace_until(sale):
                touched.append(sale)
                self._watch(sale)
        self.print_queue.recover()
        for sale in self.ledger.in_states((SaleState.PAID, SaleState.PAID_LATE)):
            touched.append(sale)
            self.print_receipt(sale.id)
        return touched

    def print_receipt(self, sale_id: int) -> list[PrintJob]:
        """Queue a paid sale's receipts (once); the print queue prints them, even after a restart."""
        jobs = self.print_queue.enqueue_sale(sale_id, self.merchant_copy)
        for job in jobs:
            if job.state is JobState.PRINTED:  # printed before a restart that came before ReceiptPrinted
                self._receipt_printed(job)
        return jobs

    def _receipt_printed(self, job: PrintJob) -> None:
        if job.copy is Copy.CUSTOMER:
            self._apply(job.sale_id, ReceiptPrinted(self._clock_ms()))

    # Internals -----------------------------------------------------------------

    def _grace_until(self, sale: Sale) -> int:
        """The sale's grace end; sales recorded before it was tied to the expiry get it now."""
        assert sale.grace_until_ms is not None
        return min(sale.grace_until_ms, grace_end_ms(sale, self._payment.grace_seconds))

    def _watch(self, sale: Sale) -> None:
        assert sale.invoice and sale.deadline_ms
        on_screen = sale.state is SaleState.AWAITING_PAYMENT
        self.watcher.watch(
            Watch(
                sale.id,
                sale.invoice.payment_hash,
                sale.amount_msat,
                sale.deadline_ms,
                self._grace_until(sale),
                on_screen,
            )
        )

    def _settled(self, sale_id: int, status: InvoiceStatus) -> None:
        event = Settled(
            status.preimage, status.amount_received_msat, self._clock_ms(), proof_of(self.backend)
        )
        if self._apply(sale_id, event) is not None:
            self.print_receipt(sale_id)

    def _apply(self, sale_id: int, event: Event) -> Sale | None:
        """Transition, commit, then notify. None if the event no longer applies (e.g. a duplicate)."""
        with self._lock:
            before = self.ledger.get(sale_id)
            try:
                after = transition(before, event)
            except InvalidTransition as exc:
                log.debug("sale %s: %s", sale_id, exc)
                return None
            self.ledger.save(before, after, self._clock_ms())
            self._notify(after)
            return after

    def _notify(self, sale: Sale) -> None:
        for listener in self._listeners:
            try:
                listener(sale)
            except Exception:
                log.exception("listener failed for sale %s", sale.id)
