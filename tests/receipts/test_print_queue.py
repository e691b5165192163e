"""The print queue on its own: once-only jobs, reprints, restarts, and what the cashier is told."""

from __future__ import annotations

import pytest

from kiosk.config import ShopConfig
from kiosk.domain.sale import Sale
from kiosk.errors import KioskError
from kiosk.hardware.printers import NoPrinter
from kiosk.services.ledger import Ledger
from kiosk.services.print_jobs import DUPLICATE_NOTICE, Backoff, JobState
from kiosk.services.print_queue import PrintQueue
from kiosk.services.printer_port import PrinterError, PrinterHealth
from kiosk.services.receipts import Copy, Receipt
from kiosk.storage.store import Storage
from tests.receipts.print_parts import Paper, add_sale, clock
from tests.support.wait import wait_until


@pytest.fixture
def ledger(storage) -> Ledger:
    return storage.sales


def make_queue(storage: Storage, printer) -> PrintQueue:
    return PrintQueue(storage.sales, storage.print_jobs, printer, ShopConfig(), clock, Backoff(0.01, 0.05))


def test_a_sale_is_queued_once_however_often_it_is_reported(storage, ledger):
    paper = Paper()
    queue = make_queue(storage, paper)
    sale = add_sale(ledger)
    first = queue.enqueue_sale(sale.id, merchant_copy=True)
    again = queue.enqueue_sale(sale.id, merchant_copy=True)
    assert [j.id for j in first] == [j.id for j in again] and [j.copy for j in first] == [
        Copy.CUSTOMER,
        Copy.MERCHANT,
    ]
    wait_until(lambda: queue.status().waiting_jobs == 0, what="printed")
    queue.close()
    assert [r.copy for r in paper.printed] == [Copy.CUSTOMER, Copy.MERCHANT]


def cut_off_job(storage: Storage, sale: Sale) -> None:
    """What a power cut mid-print leaves behind: a job still 'printing'."""
    with storage.database.transaction() as conn:
        conn.execute(
            "INSERT INTO print_jobs (sale_id, copy, state, attempts, created_at_ms, updated_at_ms, "
            "next_attempt_ms) VALUES (?, 'customer', 'printing', 1, 1, 1, 1)",
            (sale.id,),
        )


def test_a_job_cut_off_mid_print_prints_again_marked_as_a_possible_duplicate(storage, ledger):
    sale = add_sale(ledger)
    cut_off_job(storage, sale)
    paper = Paper()
    queue = make_queue(storage, paper)
    assert queue.recover() == 1
    wait_until(lambda: queue.jobs()[0].state is JobState.PRINTED, what="printed")
    assert queue.jobs()[0].attempts == 2 and len(paper.printed) == 1
    assert paper.printed[0].notice == DUPLICATE_NOTICE
    queue.close()


def test_a_waiting_job_after_a_restart_is_no_duplicate(storage, ledger):
    queue = make_queue(storage, OutOfPaper())
    queue.enqueue_sale(add_sale(ledger).id, merchant_copy=False)
    wait_until(lambda: queue.jobs()[0].state is JobState.WAITING, what="waiting for paper")
    queue.close()
    paper = Paper()
    restarted = make_queue(storage, paper)
    assert restarted.recover() == 1
    wait_until(lambda: paper.printed, what="printed")
    assert paper.printed[0].notice == "" and not restarted.jobs()[0].interrupted
    restarted.close()


def test_the_duplicate_mark_survives_a_printer_problem_after_the_restart(storage, ledger):
    sale = add_sale(ledger)
    cut_off_job(storage, sale)
    queue = make_queue(storage, OutOfPaper())
    queue.recover()
    wait_until(lambda: queue.jobs()[0].state is JobState.WAITING, what="waiting for paper")
    job = queue.jobs()[0]
    assert job.interrupted and job.last_error.startswith("The printer is out of paper")
    queue.printer = paper = Paper()
    queue.retry_now()
    wait_until(lambda: paper.printed, what="printed")
    assert paper.printed[0].notice == DUPLICATE_NOTICE
    queue.close()


class JumpingWallClock:
    """A wall clock set back an hour after the first failure (an NTP step, a wrong manual date)."""

    def __init__(self) -> None:
        self.offset_ms = 0

    def __call__(self) -> int:
        return clock() + self.offset_ms


def test_a_wall_clock_jump_back_does_not_hold_waiting_receipts(storage, ledger):
    wall = JumpingWallClock()
    printer = OutOfPaper()
    queue = PrintQueue(ledger, storage.print_jobs, printer, ShopConfig(), wall, Backoff(0.05, 0.05))
    queue.enqueue_sale(add_sale(ledger).id, merchant_copy=False)
    wait_until(lambda: queue.jobs()[0].state is JobState.WAITING, what="waiting for paper")
    wall.offset_ms = -3_600_000
    queue.printer = paper = Paper()
    wait_until(lambda: paper.printed, timeout=2, what="the retry 50 ms later, not an hour later")
    queue.close()


def test_only_paid_sales_can_be_reprinted_and_reprint_last_needs_a_sale(storage, ledger):
    queue = make_queue(storage, Paper())
    assert queue.reprint_last() is None
    unpaid = add_sale(ledger, paid=False)
    with pytest.raises(KioskError, match="not paid"):
        queue.reprint(unpaid.id)
    queue.close()


def test_without_a_printer_the_status_says_so(storage, ledger):
    queue = make_queue(storage, NoPrinter())
    queue.enqueue_sale(add_sale(ledger).id, merchant_copy=False)
    wait_until(lambda: queue.status().state is PrinterHealth.NOT_CONFIGURED, what="status")
    assert "No receipt printer" in queue.status().message
    queue.close()


def test_backoff_doubles_up_to_its_limit():
    assert [Backoff(0.5, 15).delay_ms(n) for n in (1, 2, 3, 6, 9)] == [500, 1000, 2000, 15000, 15000]


class OutOfPaper(Paper):
    def print_receipt(self, receipt: Receipt) -> PrinterHealth:
        raise PrinterError("The printer is out of paper", "Load paper")


def test_listeners_hear_the_waiting_count_as_soon_as_a_receipt_is_queued(storage, ledger):
    queue = PrintQueue(
        ledger, storage.print_jobs, OutOfPaper(), ShopConfig(), clock, Backoff(60, 60)
    )  # no retry soon
    heard: list[int] = []
    queue.subscribe(lambda status: heard.append(status.waiting_jobs))
    first, second = add_sale(ledger), add_sale(ledger)
    queue.enqueue_sale(first.id, merchant_copy=False)
    wait_until(lambda: heard and heard[-1] == 1, what="one waiting")
    queue.enqueue_sale(second.id, merchant_copy=False)
    assert heard[-1] == 2  # told at once, not at the next retry a minute later
    queue.reprint(first.id)
    assert heard[-1] == 3
    queue.close()
