"""The one place where work crosses between the service threads and the UI thread."""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import Future

from kivy.clock import Clock

from kiosk.domain.sale import Sale, SaleState
from kiosk.errors import KioskError
from kiosk.services.printer_status import PrinterStatus
from kiosk.services.qr import payment_uri, qr_texels
from kiosk.services.till import ReceiptDesk, SaleDesk

log = logging.getLogger(__name__)


def attempt(fn: Callable[..., object], *args: object) -> object:
    """On a worker: the call's result, or the KioskError it raised (to be shown, not crashed on)."""
    try:
        return fn(*args)
    except KioskError as exc:
        return exc


class SaleBridge:
    """Runs blocking calls on the sales' workers and hands their news to the UI thread.

    The sales call listeners on whichever worker changed the sale, the receipts
    on their print thread; the UI may only be touched from its own thread,
    so every update, every answer and every crash of a worker is re-posted with
    Clock.schedule_once, in the order it happened.
    """

    def __init__(
        self,
        sales: SaleDesk,
        receipts: ReceiptDesk,
        on_sale: Callable[[Sale], None],
        on_failure: Callable[[BaseException], None],
        on_printer: Callable[[PrinterStatus], None],
    ) -> None:
        self._sales = sales
        self._on_sale = on_sale
        self._on_failure = on_failure
        self._on_printer = on_printer
        sales.subscribe(self._from_worker)
        receipts.subscribe(self._from_printer)

    def run(self, fn: Callable[..., object], *args: object) -> Future:
        """Run `fn(*args)` off the UI thread; the UI never waits on network, disk or printer."""
        try:
            future = self._sales.submit(fn, *args)
        except RuntimeError:  # these services are closed (Try again is replacing them): nothing to run
            future = Future()
            future.cancel()
            return future
        future.add_done_callback(self._finished)
        return future

    def fetch(self, then: Callable[[object], None], fn: Callable[..., object], *args: object) -> Future:
        """Run `fn(*args)` off the UI thread, then `then(result)` on it (a crash goes to on_failure)."""
        future = self.run(fn, *args)
        future.add_done_callback(lambda done: self._answered(done, then))
        return future

    def follow(self, subscribe: Callable[[Callable[..., None]], None], on_ui: Callable[..., None]) -> None:
        """Subscribe to another service's news (e.g. tap to pay's), handed to `on_ui` on the UI thread."""
        subscribe(lambda news: self._to_ui(on_ui, news))

    def _from_worker(self, sale: Sale) -> None:
        if sale.state is SaleState.AWAITING_PAYMENT and sale.invoice is not None:
            qr_texels(payment_uri(sale.invoice.bolt11))  # made here, the UI thread only uploads it
        self._to_ui(self._on_sale, sale)

    def _from_printer(self, status: PrinterStatus) -> None:
        self._to_ui(self._on_printer, status)

    def _answered(self, future: Future, then: Callable[[object], None]) -> None:
        if not future.cancelled() and future.exception() is None:
            self._to_ui(then, future.result())

    def _finished(self, future: Future) -> None:
        if future.cancelled():
            return
        error = future.exception()
        if error is not None:
            log.error("background task failed", exc_info=error)
            self._to_ui(self._on_failure, error)

    @staticmethod
    def _to_ui(fn: Callable[[object], None], value: object) -> None:
        Clock.schedule_once(lambda _dt: fn(value))
