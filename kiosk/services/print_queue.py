"""Durable print jobs: a paid sale's receipt is printed even if the printer is off when it is paid.

Jobs are rows in the ledger (see `print_jobs`), committed before anything is sent.
One worker thread prints them in order. When the printer fails (switched off,
cable pulled, paper out) every job waits and the printer is tried again with
a growing delay, so receipts print by themselves when it is back; `status()`
says why they wait, in words for the cashier. Anything else that goes wrong
with a job (a bug, a full disk) puts it back to wait in the same way.

A job the kiosk finds still 'printing' at start-up was cut off by a power cut
or crash: the kiosk cannot know whether the paper came out, so the receipt is
printed again with a "DUPLICATE?" line under the header. Nothing is dropped,
and a second copy on paper says what it is. A receipt that did come out but
could not be recorded (a full disk) is held in memory and recorded once it
can be, never printed twice by this run.
"""

from __future__ import annotations

import functools
import logging
import threading
from collections import deque
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass, replace

from kiosk.clock import steady_ms
from kiosk.config import ShopConfig
from kiosk.domain.sale import Sale, SaleState
from kiosk.errors import KioskError
from kiosk.i18n import _
from kiosk.services.ledger import Ledger
from kiosk.services.print_jobs import (
    DUPLICATE_NOTICE,
    INTERRUPTED,
    Backoff,
    PrintJob,
    PrintJobStore,
)
from kiosk.services.printer_port import PrinterError, PrinterHealth, ReceiptPrinter
from kiosk.services.printer_status import PrinterStatus, StatusBoard, StatusListener
from kiosk.services.receipts import Block, Copy, receipt_for

log = logging.getLogger(__name__)

Listener = Callable[[PrintJob], None]


@dataclass(frozen=True)
class _Printed:
    """A receipt that came out of the printer but is not yet recorded as printed."""

    job: PrintJob
    health: PrinterHealth
    at_ms: int


class PrintQueue:
    def __init__(
        self,
        ledger: Ledger,
        jobs: PrintJobStore,
        printer: ReceiptPrinter,
        shop: ShopConfig,
        clock_ms: Callable[[], int],
        backoff: Backoff | None = None,
    ) -> None:
        self.printer = printer
        self._ledger = ledger
        self._jobs = jobs
        self._shop = shop
        self._clock_ms = clock_ms
        self._backoff = backoff or Backoff()
        self._wake = threading.Condition()
        self._printed: list[Listener] = []
        self._board = StatusBoard(lambda: jobs.unprinted_count() - len(self._held))
        self._failures = 0
        self._retry_at_ms = 0
        self._drawer = False
        self._documents: deque[tuple[list[Block], str, Future[PrinterHealth]]] = deque()
        self._held: dict[int, _Printed] = {}
        self._stopping = False
        # Only now, before this run's worker has printed anything, is 'printing' surely an earlier run's.
        self._unfinished = jobs.requeue_unfinished(clock_ms(), INTERRUPTED)
        self._thread = threading.Thread(target=self._run, name="print-queue", daemon=True)
        self._thread.start()

    # What the checkout and the screen use ----------------------------------------

    def on_printed(self, listener: Listener) -> None:
        """`listener(job)` runs on the print thread after a job is printed and recorded."""
        self._printed.append(listener)

    def subscribe(self, listener: StatusListener) -> None:
        """`listener(status)` runs on the print thread whenever the printer's status may have changed."""
        self._board.subscribe(listener)

    def enqueue_sale(self, sale_id: int, merchant_copy: bool) -> list[PrintJob]:
        """Queue a paid sale's receipts once; asking again returns the same jobs."""
        copies = [Copy.CUSTOMER, Copy.MERCHANT] if merchant_copy else [Copy.CUSTOMER]
        queued = self._jobs.queue_first_copies(sale_id, copies, self._clock_ms())
        self._poke()
        self._board.publish()
        return queued

    def reprint(self, sale_id: int, copy: Copy = Copy.CUSTOMER) -> PrintJob:
        """Queue one more copy of a paid sale's receipt."""
        sale = self._ledger.get(sale_id)
        if not sale.state.is_paid:
            raise KioskError(
                _("Sale #{sale_id} is not paid, so it has no receipt").format(sale_id=sale_id),
                _("Pick a paid sale"),
            )
        job = self._jobs.queue_reprint(sale_id, copy, self._clock_ms())
        self._poke()
        self._board.publish()
        return job

    def reprint_last(self) -> PrintJob | None:
        """Reprint the customer receipt of the newest paid sale, if there is one."""
        sale_id = self._jobs.newest_sale_id()
        return None if sale_id is None else self.reprint(sale_id)

    def kick_drawer(self) -> None:
        """Open the cash drawer through the printer, between two receipts."""
        with self._wake:
            self._drawer = True
            self._wake.notify()

    def print_document(self, blocks: list[Block], name: str) -> Future[PrinterHealth]:
        """Print a document that is no sale's receipt (a Z-report, the test page) between receipts.

        Not kept in the ledger: the caller shows the outcome (the future's result,
        or its PrinterError) and can print it again.
        """
        future: Future[PrinterHealth] = Future()
        with self._wake:
            self._documents.append((blocks, name, future))
            self._wake.notify()
        return future

    def retry_now(self) -> None:
        """Try waiting jobs at once (e.g. the cashier has just put in paper)."""
        with self._wake:
            self._retry_at_ms = 0
            self._wake.notify()

    def recover(self) -> int:
        """At start-up: print the jobs an earlier run left unfinished. Returns how many."""
        self.retry_now()
        return self._unfinished

    def jobs(self, sale_id: int | None = None) -> list[PrintJob]:
        return self._jobs.jobs(sale_id)

    def status(self) -> PrinterStatus:
        return self._board.status()

    def close(self) -> None:
        """Stop the worker; the jobs stay in the ledger for the next run."""
        with self._wake:
            self._stopping = True
            self._wake.notify()
        self._thread.join(timeout=30)

    # The worker -------------------------------------------------------------------

    def _poke(self) -> None:
        with self._wake:
            self._wake.notify()

    def _run(self) -> None:
        while True:
            try:
                work = self._next_work()
                if work is None:
                    return
                work()
            except Exception as exc:
                # The worker outlives any failure: the job in hand waits in the ledger, or in `_held`.
                if not isinstance(exc, KioskError):
                    log.exception("print queue: unexpected error")
                self._failed_attempt(None, PrinterHealth.ERROR, _problem(exc))

    def _next_work(self) -> Callable[[], None] | None:
        """Wait for the next thing to do: the drawer, a document, a due receipt; None once stopping."""
        with self._wake:
            while not self._stopping:
                if self._drawer:
                    self._drawer = False
                    return self._open_drawer
                if self._documents:
                    return functools.partial(self._print_document, *self._documents.popleft())
                # Held receipts are recorded before the next one prints: the disk must take that first.
                wait_ms = self._retry_at_ms - steady_ms()
                job = None if self._held else self._jobs.next_due()
                if wait_ms <= 0 and (self._held or job is not None):
                    return self._record_held if self._held else functools.partial(self._print, job)
                idle = job is None and not self._held
                self._wake.wait(None if idle else wait_ms / 1000)
            self._drop_documents()
            return None

    def _print(self, job: PrintJob) -> None:
        self._jobs.mark_printing(job.id, job.attempts + 1, self._clock_ms())
        try:
            receipt = receipt_for(self._ledger.get(job.sale_id), self._shop, job.copy)
            if job.interrupted:
                receipt = replace(receipt, notice=_(DUPLICATE_NOTICE))
            health = self.printer.print_receipt(receipt)
        except PrinterError as exc:
            self._failed_attempt(job, exc.health, str(exc))
            return
        except Exception as exc:
            # Not the printer's report of itself: a bug or the disk. The job goes back to wait.
            if not isinstance(exc, KioskError):
                log.exception("sale %s: receipt not printed", job.sale_id)
            self._failed_attempt(job, PrinterHealth.ERROR, _problem(exc))
            return
        self._held[job.id] = _Printed(job, health, self._clock_ms())
        self._record_held()

    def _record_held(self) -> None:
        """Record the receipts that came out; one that cannot be recorded yet stays held."""
        for job_id, printed in list(self._held.items()):
            self._jobs.mark_printed(job_id, printed.at_ms)
            del self._held[job_id]
            log.info("sale %s: %s receipt printed", printed.job.sale_id, printed.job.copy)
            with self._wake:
                self._failures = 0
                self._retry_at_ms = 0
            self._board.changed(printed.health, None)
            done = self._jobs.get(job_id)
            for listener in self._printed:
                try:
                    listener(done)
                except Exception:
                    log.exception("print listener failed for sale %s", done.sale_id)

    def _failed_attempt(self, job: PrintJob | None, health: PrinterHealth, problem: str) -> None:
        with self._wake:
            self._failures += 1
            delay_ms = self._backoff.delay_ms(self._failures)
            self._retry_at_ms = steady_ms() + delay_ms
        self._board.changed(health, problem)
        if job is not None:
            log.warning("sale %s: receipt waits for the printer: %s", job.sale_id, problem)
            error = f"{problem}\n{INTERRUPTED}" if job.interrupted else problem
            now = self._clock_ms()
            self._jobs.mark_waiting(job.id, error, now + delay_ms, now)

    def _print_document(self, blocks: list[Block], name: str, future: Future[PrinterHealth]) -> None:
        try:
            health = self.printer.print_blocks(blocks, name)
        except PrinterError as exc:
            self._board.changed(exc.health, str(exc))
            future.set_exception(exc)
            return
        except Exception as exc:
            future.set_exception(exc)
            raise
        with self._wake:  # the printer works again: waiting receipts need not wait out the backoff
            self._failures = 0
            self._retry_at_ms = 0
        self._board.changed(health, None)
        future.set_result(health)

    def _drop_documents(self) -> None:
        while self._documents:
            _blocks, name, future = self._documents.popleft()
            future.set_exception(KioskError(f"The kiosk stopped before {name} was printed", "Print it again"))

    def _open_drawer(self) -> None:
        try:
            self.printer.kick_drawer()
        except PrinterError as exc:
            log.warning("cash drawer not opened: %s", exc)


def _problem(exc: Exception) -> str:
    """What the cashier is told about a failure that is not the printer's own report."""
    return str(exc) if isinstance(exc, KioskError) else _("The receipt could not be printed (see the log)")


def drawer_on_paid(queue: PrintQueue) -> Callable[[Sale], None]:
    """A checkout listener that opens the cash drawer when a sale is paid on time."""

    def listener(sale: Sale) -> None:
        if sale.state is SaleState.PAID:
            queue.kick_drawer()

    return listener
