"""Durable print jobs: a paid sale's receipt is printed even if the printer is off when it is paid.

Jobs are rows in the ledger's SQLite file, committed before anything is sent.
One worker thread prints them in order. When the printer fails (switched off,
cable pulled, paper out) every job waits and the printer is tried again with
a growing delay, so receipts print by themselves when it is back; `status()`
says why they wait, in words for the cashier.

A job the kiosk finds still 'printing' at start-up was cut off by a power cut
or crash: the kiosk cannot know whether the paper came out, so the receipt is
printed again with a "DUPLICATE?" line under the header. Nothing is dropped,
and a second copy on paper says what it is.
"""

from __future__ import annotations

import enum
import logging
import sqlite3
import threading
from collections import deque
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass, replace

from kiosk.config import ShopConfig
from kiosk.domain.sale import Sale, SaleState
from kiosk.errors import KioskError
from kiosk.hardware.printer import PrinterError, PrinterHealth, ReceiptPrinter
from kiosk.i18n import N_, _
from kiosk.services.clocks import steady_ms
from kiosk.services.ledger import Ledger
from kiosk.services.receipts import Block, Copy, receipt_for
from kiosk.storage.database import open_database, transaction

log = logging.getLogger(__name__)

# Kept in a job's last_error (after any printer problem) from the restart until it prints.
INTERRUPTED = N_("The kiosk restarted while this receipt was printing: it prints again marked DUPLICATE?")
DUPLICATE_NOTICE = N_("DUPLICATE? reprint after power cut")


class JobState(enum.StrEnum):
    QUEUED = "queued"
    PRINTING = "printing"
    PRINTED = "printed"
    WAITING = "failed-waiting"


@dataclass(frozen=True)
class PrintJob:
    id: int
    sale_id: int
    copy: Copy
    reprint: bool
    state: JobState
    attempts: int
    last_error: str | None
    created_at_ms: int
    next_attempt_ms: int
    printed_at_ms: int | None

    @property
    def interrupted(self) -> bool:
        """A restart cut off this job while it was printing: its paper may already be out."""
        return INTERRUPTED in (self.last_error or "")


@dataclass(frozen=True)
class PrinterStatus:
    state: PrinterHealth
    message: str  # for the cashier: what is wrong and what to do
    waiting_jobs: int


@dataclass(frozen=True)
class Backoff:
    """Delay before trying a failing printer again: first_s, doubling, at most max_s."""

    first_s: float = 0.5
    max_s: float = 15.0

    def delay_ms(self, failures: int) -> int:
        return int(min(self.max_s, self.first_s * 2 ** max(0, failures - 1)) * 1000)


MESSAGES = {
    PrinterHealth.READY: N_("Printer ready"),
    PrinterHealth.UNKNOWN: N_("Printer connected (it does not report its paper or cover)"),
    PrinterHealth.PAPER_LOW: N_("Paper is running low: have a new roll ready"),
    PrinterHealth.NOT_CONFIGURED: N_("No receipt printer configured: receipts are kept in the sales list"),
}

Listener = Callable[[PrintJob], None]
StatusListener = Callable[[PrinterStatus], None]


def _job(row: sqlite3.Row) -> PrintJob:
    return PrintJob(
        id=row["id"],
        sale_id=row["sale_id"],
        copy=Copy(row["copy"]),
        reprint=bool(row["reprint"]),
        state=JobState(row["state"]),
        attempts=row["attempts"],
        last_error=row["last_error"],
        created_at_ms=row["created_at_ms"],
        next_attempt_ms=row["next_attempt_ms"],
        printed_at_ms=row["printed_at_ms"],
    )


class PrintQueue:
    def __init__(
        self,
        ledger: Ledger,
        printer: ReceiptPrinter,
        shop: ShopConfig,
        clock_ms: Callable[[], int],
        backoff: Backoff = Backoff(),
    ) -> None:
        self.printer = printer
        self._ledger = ledger
        self._shop = shop
        self._clock_ms = clock_ms
        self._backoff = backoff
        self._conn = open_database(ledger.path)
        self._db = threading.Lock()
        self._wake = threading.Condition()
        self._printed: list[Listener] = []
        self._status_listeners: list[StatusListener] = []
        self._health = PrinterHealth.UNKNOWN
        self._detail: str | None = _("Printer not checked yet: it is checked with the next receipt")
        self._failures = 0
        self._retry_at_ms = 0
        self._drawer = False
        self._documents: deque[tuple[list[Block], str, Future[PrinterHealth]]] = deque()
        self._stopping = False
        self._unfinished = self._requeue_unfinished()
        self._thread = threading.Thread(target=self._run, name="print-queue", daemon=True)
        self._thread.start()

    # What the checkout and the screen use ----------------------------------------

    def on_printed(self, listener: Listener) -> None:
        """`listener(job)` runs on the print thread after a job is printed and recorded."""
        self._printed.append(listener)

    def subscribe(self, listener: StatusListener) -> None:
        """`listener(status)` runs on the print thread whenever the printer's status may have changed."""
        self._status_listeners.append(listener)

    def enqueue_sale(self, sale_id: int, merchant_copy: bool) -> list[PrintJob]:
        """Queue a paid sale's receipts once; asking again returns the same jobs."""
        copies = [Copy.CUSTOMER, Copy.MERCHANT] if merchant_copy else [Copy.CUSTOMER]
        now = self._clock_ms()
        with self._db, transaction(self._conn):
            for copy in copies:
                self._conn.execute(
                    "INSERT OR IGNORE INTO print_jobs (sale_id, copy, reprint, state, created_at_ms, "
                    "updated_at_ms, next_attempt_ms) VALUES (?, ?, 0, 'queued', ?, ?, ?)",
                    (sale_id, copy.value, now, now, now),
                )
            rows = self._conn.execute(
                "SELECT * FROM print_jobs WHERE sale_id = ? AND reprint = 0 ORDER BY id", (sale_id,)
            ).fetchall()
        self._poke()
        self._publish()
        return [_job(r) for r in rows]

    def reprint(self, sale_id: int, copy: Copy = Copy.CUSTOMER) -> PrintJob:
        """Queue one more copy of a paid sale's receipt."""
        sale = self._ledger.get(sale_id)
        if not sale.state.is_paid:
            raise KioskError(
                _("Sale #{sale_id} is not paid, so it has no receipt").format(sale_id=sale_id),
                _("Pick a paid sale"),
            )
        now = self._clock_ms()
        with self._db, transaction(self._conn):
            cur = self._conn.execute(
                "INSERT INTO print_jobs (sale_id, copy, reprint, state, created_at_ms, updated_at_ms, "
                "next_attempt_ms) VALUES (?, ?, 1, 'queued', ?, ?, ?)",
                (sale_id, copy.value, now, now, now),
            )
            job = _job(
                self._conn.execute("SELECT * FROM print_jobs WHERE id = ?", (cur.lastrowid,)).fetchone()
            )
        self._poke()
        self._publish()
        return job

    def reprint_last(self) -> PrintJob | None:
        """Reprint the customer receipt of the newest paid sale, if there is one."""
        with self._db:
            row = self._conn.execute("SELECT MAX(sale_id) FROM print_jobs").fetchone()
        return None if row[0] is None else self.reprint(row[0])

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
        query = (
            "SELECT * FROM print_jobs"
            + (" WHERE sale_id = ?" if sale_id is not None else "")
            + " ORDER BY id"
        )
        with self._db:
            rows = self._conn.execute(query, () if sale_id is None else (sale_id,)).fetchall()
        return [_job(r) for r in rows]

    def status(self) -> PrinterStatus:
        with self._db:
            waiting = self._conn.execute(
                "SELECT COUNT(*) FROM print_jobs WHERE state != 'printed'"
            ).fetchone()[0]
        message = (
            self._detail if self._detail else _(MESSAGES.get(self._health, MESSAGES[PrinterHealth.READY]))
        )
        return PrinterStatus(self._health, message, waiting)

    def close(self) -> None:
        with self._wake:
            self._stopping = True
            self._wake.notify()
        self._thread.join(timeout=30)
        with self._db:
            self._conn.close()

    # The worker -------------------------------------------------------------------

    def _requeue_unfinished(self) -> int:
        """Queue again what an earlier run left behind, before this run's worker starts.

        A job still 'printing' was cut off mid-print (power cut, crash): it is marked
        interrupted, so its receipt prints as a possible duplicate. Only now, before
        the worker has printed anything, is 'printing' surely the earlier run's.
        """
        now = self._clock_ms()
        with self._db, transaction(self._conn):
            cut_off = self._conn.execute(
                "UPDATE print_jobs SET state = 'queued', next_attempt_ms = ?, updated_at_ms = ?, "
                "last_error = ? WHERE state = 'printing'",
                (now, now, INTERRUPTED),
            ).rowcount
            waiting = self._conn.execute(
                "UPDATE print_jobs SET state = 'queued', next_attempt_ms = ?, updated_at_ms = ? "
                "WHERE state = 'failed-waiting'",
                (now, now),
            ).rowcount
        return cut_off + waiting

    def _poke(self) -> None:
        with self._wake:
            self._wake.notify()

    def _run(self) -> None:
        while True:
            with self._wake:
                job = None
                while not self._stopping and not self._drawer and not self._documents:
                    job = self._next_job()
                    wait_ms = None if job is None else self._retry_at_ms - steady_ms()
                    if job is not None and wait_ms <= 0:
                        break
                    job = None
                    self._wake.wait(None if wait_ms is None else wait_ms / 1000)
                if self._stopping:
                    self._drop_documents()
                    return
                drawer, self._drawer = self._drawer, False
                document = self._documents.popleft() if self._documents and not drawer else None
            try:
                if drawer:
                    self._open_drawer()
                elif document is not None:
                    self._print_document(*document)
                elif job is not None:
                    self._print(job)
            except Exception:
                # The worker must outlive any bug in one job: the job stays queued.
                log.exception("print queue: unexpected error")
                self._failed_attempt(
                    None, PrinterHealth.ERROR, _("The receipt could not be printed (see the log)")
                )

    def _next_job(self) -> PrintJob | None:
        with self._db:
            row = self._conn.execute(
                "SELECT * FROM print_jobs WHERE state IN ('queued', 'failed-waiting') ORDER BY id LIMIT 1"
            ).fetchone()
        return None if row is None else _job(row)

    def _print(self, job: PrintJob) -> None:
        self._set_state(job.id, JobState.PRINTING, attempts=job.attempts + 1)
        receipt = receipt_for(self._ledger.get(job.sale_id), self._shop, job.copy)
        if job.interrupted:
            receipt = replace(receipt, notice=_(DUPLICATE_NOTICE))
        try:
            health = self.printer.print_receipt(receipt)
        except PrinterError as exc:
            self._failed_attempt(job, exc.health, str(exc))
            return
        except KioskError as exc:
            self._failed_attempt(job, PrinterHealth.ERROR, str(exc))
            return
        now = self._clock_ms()
        self._set_state(job.id, JobState.PRINTED, printed_at_ms=now)
        log.info("sale %s: %s receipt printed", job.sale_id, job.copy)
        with self._wake:
            self._failures = 0
            self._retry_at_ms = 0
        self._health_changed(health, None)
        done = self.jobs(job.sale_id)
        printed = next(j for j in done if j.id == job.id)
        for listener in self._printed:
            try:
                listener(printed)
            except Exception:
                log.exception("print listener failed for sale %s", job.sale_id)

    def _failed_attempt(self, job: PrintJob | None, health: PrinterHealth, problem: str) -> None:
        with self._wake:
            self._failures += 1
            delay_ms = self._backoff.delay_ms(self._failures)
            self._retry_at_ms = steady_ms() + delay_ms
        if job is not None:
            log.warning("sale %s: receipt waits for the printer: %s", job.sale_id, problem)
            error = f"{problem}\n{INTERRUPTED}" if job.interrupted else problem
            self._set_state(
                job.id, JobState.WAITING, last_error=error, next_attempt_ms=self._clock_ms() + delay_ms
            )
        self._health_changed(health, problem)

    def _print_document(self, blocks: list[Block], name: str, future: Future[PrinterHealth]) -> None:
        try:
            health = self.printer.print_blocks(blocks, name)
        except PrinterError as exc:
            self._health_changed(exc.health, str(exc))
            future.set_exception(exc)
            return
        except Exception as exc:
            future.set_exception(exc)
            raise
        with self._wake:  # the printer works again: waiting receipts need not wait out the backoff
            self._failures = 0
            self._retry_at_ms = 0
        self._health_changed(health, None)
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

    def _set_state(self, job_id: int, state: JobState, **values: object) -> None:
        values = {"state": state.value, "updated_at_ms": self._clock_ms(), **values}
        columns = ", ".join(f"{k} = ?" for k in values)
        with self._db, transaction(self._conn):
            self._conn.execute(f"UPDATE print_jobs SET {columns} WHERE id = ?", (*values.values(), job_id))

    def _health_changed(self, health: PrinterHealth, problem: str | None) -> None:
        self._health, self._detail = health, problem
        self._publish()

    def _publish(self) -> None:
        """Tell status listeners the printer's state and how many receipts wait."""
        status = self.status()
        for listener in self._status_listeners:
            try:
                listener(status)
            except Exception:
                log.exception("printer status listener failed")


def drawer_on_paid(queue: PrintQueue) -> Callable[[Sale], None]:
    """A checkout listener that opens the cash drawer when a sale is paid on time."""

    def listener(sale: Sale) -> None:
        if sale.state is SaleState.PAID:
            queue.kick_drawer()

    return listener
