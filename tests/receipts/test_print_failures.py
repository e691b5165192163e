"""A print job is never stuck: whatever fails once it is marked 'printing', it waits and is tried again.

Before, only PrinterError and KioskError put a job back; anything else (a bug in
an adapter, an OSError, SQLite's "disk full") left it 'printing', where the
worker never took it again until a restart reprinted it as DUPLICATE?.
The full disk here is real: a 1 MiB tmpfs filled to the last byte.
"""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest

from kiosk.config import ShopConfig
from kiosk.services.print_jobs import Backoff, JobState, PrintJob
from kiosk.services.print_queue import PrintQueue
from kiosk.services.printer_port import PrinterHealth
from kiosk.services.receipts import Receipt
from kiosk.storage.store import Storage
from tests.receipts.print_parts import Paper, add_sale, clock
from tests.support.disk import fill, small_filesystem
from tests.support.wait import wait_until

BACKOFF = Backoff(0.1, 0.2)


class FlakyAdapter(Paper):
    """A printer adapter with a bug on its first call: it raises what no adapter should."""

    def __init__(self) -> None:
        super().__init__()
        self.calls: list[float] = []

    def print_receipt(self, receipt: Receipt) -> PrinterHealth:
        self.calls.append(time.monotonic())
        if len(self.calls) == 1:
            raise RuntimeError("adapter bug: the USB handle went away")
        return super().print_receipt(receipt)


class DiskFillsUp(Paper):
    """The ledger's disk fills up (another program's files) while the printer is busy.

    With `fails`, the printer then raises an OSError too, as a spool file on that disk would.
    """

    def __init__(self, folder: Path, fails: bool) -> None:
        super().__init__()
        self.folder, self.fails = folder, fails
        self.filler: Path | None = None
        self.filled = threading.Event()

    def print_receipt(self, receipt: Receipt) -> PrinterHealth:
        if self.filler is None:
            self.filler = fill(self.folder)
            self.filled.set()
            if self.fails:
                raise OSError(28, "No space left on device")
        return super().print_receipt(receipt)


def queue_on(storage: Storage, printer: Paper) -> tuple[PrintQueue, list[PrintJob]]:
    queue = PrintQueue(storage.sales, storage.print_jobs, printer, ShopConfig(), clock, BACKOFF)
    heard: list[PrintJob] = []
    queue.on_printed(heard.append)
    return queue, heard


def test_an_unexpected_adapter_error_puts_the_job_back_and_it_prints_after_the_backoff(tmp_path):
    storage = Storage.open(tmp_path / "ledger.sqlite3")
    printer = FlakyAdapter()
    queue, heard = queue_on(storage, printer)
    try:
        sale = add_sale(storage.sales)
        queue.enqueue_sale(sale.id, merchant_copy=False)
        wait_until(lambda: heard, what="the receipt after the adapter's error")
        (job,) = queue.jobs()
        assert job.state is JobState.PRINTED and job.attempts == 2 and len(printer.printed) == 1
        assert job.last_error == "The receipt could not be printed (see the log)"
        assert printer.calls[1] - printer.calls[0] >= BACKOFF.first_s  # waited, did not spin
        assert [j.id for j in heard] == [job.id]
    finally:
        queue.close()
        storage.close()


@pytest.mark.parametrize("printer_fails", [False, True], ids=["receipt out", "printer fails too"])
def test_a_full_disk_after_the_job_is_marked_does_not_strand_it(printer_fails):
    """The receipt came out but cannot be recorded, or the failure cannot even be recorded.

    Either way the cashier is told the storage is full, and once there is space again
    the job ends 'printed', with exactly one receipt on paper.
    """
    with small_filesystem() as folder:
        if folder is None:
            pytest.skip("needs root to mount a tmpfs")
        storage = Storage.open(folder / "ledger.sqlite3")
        printer = DiskFillsUp(folder, printer_fails)
        queue, heard = queue_on(storage, printer)
        try:
            sale = add_sale(storage.sales)
            (job,) = queue.enqueue_sale(sale.id, merchant_copy=False)
            assert printer.filled.wait(10), "the printer was never called"
            said = wait_until(
                lambda: "storage is full" in queue.status().message and queue.status(), what="told"
            )
            assert said.state is PrinterHealth.ERROR and not heard
            assert queue.jobs()[0].state is JobState.PRINTING  # what the ledger says while the disk is full
            assert printer.filler is not None
            printer.filler.unlink()
            wait_until(lambda: heard, what="the job recorded once there is space")
            (done,) = queue.jobs()
            assert done.id == job.id and done.state is JobState.PRINTED and queue.status().waiting_jobs == 0
            assert len(printer.printed) == 1 and [j.id for j in heard] == [job.id]
            assert done.attempts == (2 if printer_fails else 1)
        finally:
            queue.close()
            storage.close()
