"""Shifts and the Z-report from a real ledger file; printed through the print queue to a Dummy printer."""

from __future__ import annotations

from decimal import Decimal

import pytest
from escpos.printer import Dummy

from kiosk.config import ShopConfig
from kiosk.domain.sale import SaleState
from kiosk.hardware.printers import EscposReceiptPrinter
from kiosk.hardware.rendering import PrintFormat
from kiosk.services.print_queue import PrintQueue
from kiosk.services.receipts import Line, PaperGeometry
from kiosk.services.shifts import Shifts, report_layout
from tests.admin.conftest import DAY_START_MS, HOUR_MS, record
from tests.support.clock import Clock

S = SaleState


class FixedClock(Clock):
    def __init__(self, at_ms: int) -> None:
        super().__init__()
        self.at_ms = at_ms

    def __call__(self) -> int:
        return self.at_ms


@pytest.fixture
def clock():
    return FixedClock(DAY_START_MS)


@pytest.fixture
def shifts(storage, clock):
    return Shifts(storage.shifts, storage.sales, ShopConfig(timezone="Asia/Shanghai"), clock)


def lines(report, columns=48) -> list[str]:
    return [block.text for block in report_layout(report, columns) if isinstance(block, Line)]


def test_a_day_closed_with_its_z_report(ledger, shifts, clock):
    first = shifts.current()
    assert first.opened_at_ms == DAY_START_MS and first.is_open
    record(ledger, DAY_START_MS + 60_000, 4_736, fiat="4.50", memo="Flat white")
    record(ledger, DAY_START_MS + 120_000, 10_000, fiat="9.50", end=S.PAID, tip_sats=1_000, tip_fiat="0.95")
    record(ledger, DAY_START_MS + HOUR_MS + 60_000, 2_100)  # sats only, the next hour
    late = record(ledger, DAY_START_MS + HOUR_MS + 90_000, 3_000, fiat="2.85", end=S.PAID_LATE)
    failed = record(ledger, DAY_START_MS + HOUR_MS + 100_000, 999, end=S.FAILED)
    expired = record(ledger, DAY_START_MS + HOUR_MS + 110_000, 5_000, end=S.EXPIRED)
    cancelled = record(ledger, DAY_START_MS + HOUR_MS + 120_000, 6_000, end=S.CANCELLED)
    over = record(ledger, DAY_START_MS + 2 * HOUR_MS, 1_000, received_msat=1_500_000)  # overpaid

    clock.at_ms = DAY_START_MS + 3 * HOUR_MS
    report = shifts.close()
    assert report.shift.closed_at_ms == clock.at_ms
    assert report.count == 5
    assert report.received_msat == (4_736 + 10_000 + 2_100 + 3_000 + 1_500) * 1000
    assert report.fiat_totals == {"USD": Decimal("16.85")}
    assert report.tips_msat == 1_000_000 and report.tips_fiat == {"USD": Decimal("0.95")}
    assert report.paid_late == (late,)
    assert set(report.unpaid) == {failed, expired, cancelled}
    assert [(h.hour.hour, h.count) for h in report.by_hour()] == [(17, 2), (18, 2), (19, 1)]  # Shanghai
    assert report.by_hour()[2].received_msat == 1_500_000 and over.id in {s.id for s in report.paid}

    text = "\n".join(lines(report))
    assert "Z-REPORT" in text and f"Shift #{first.id}" in text
    assert "Paid sales" in text and "21,336 sats" in text
    assert "Total USD" in text and "$16.85" in text
    assert "Tips (included)" in text and "1,000 sats" in text and "$0.95" in text
    assert f"#{late.id}" in text and f"#{failed.id}" in text and "Failed" in text and "Expired" in text

    assert all(len(line) <= 32 for line in lines(report, 32))  # fits 58 mm paper, headings wrapped

    nxt = shifts.current()
    assert nxt.id != first.id and nxt.opened_at_ms == report.shift.closed_at_ms
    assert shifts.report(nxt).count == 0
    assert [s.id for s in shifts.closed()] == [first.id]
    assert lines(shifts.report(shifts.get(first.id))) == lines(report)  # the reprint is the same report


def test_money_counts_in_the_shift_it_arrived_in(ledger, shifts, clock):
    shifts.current()
    cancelled_yesterday = record(ledger, DAY_START_MS + 1_000, 7_000, end=S.CANCELLED)
    clock.at_ms = DAY_START_MS + HOUR_MS
    first = shifts.close()
    assert first.count == 0 and first.unpaid == (cancelled_yesterday,)

    # The customer pays the cancelled invoice during the next shift.
    late = record(ledger, DAY_START_MS + 2_000, 8_000, end=S.PAID_LATE, paid_at_ms=DAY_START_MS + 2 * HOUR_MS)
    clock.at_ms = DAY_START_MS + 3 * HOUR_MS
    second = shifts.close()
    assert second.paid == (late,) and second.paid_late == (late,)
    assert late not in first.paid


def test_the_first_shift_opens_with_the_oldest_sale(ledger, clock, shifts):
    record(ledger, DAY_START_MS - 5 * HOUR_MS, 1_000)
    assert shifts.current().opened_at_ms == DAY_START_MS - 5 * HOUR_MS


def test_the_open_shift_previews_without_closing(ledger, shifts, clock):
    record(ledger, DAY_START_MS + 1_000, 1_000)
    clock.at_ms = DAY_START_MS + 10_000
    preview = shifts.report(shifts.current())
    assert preview.count == 1 and preview.shift.is_open
    assert "not closed" in "\n".join(lines(preview))
    assert shifts.closed() == []


def test_the_z_report_prints_through_the_queue(storage, ledger, shifts, clock):
    record(ledger, DAY_START_MS + 1_000, 4_736, fiat="4.50", memo="Flat white")
    clock.at_ms = DAY_START_MS + HOUR_MS
    report = shifts.close()
    paper = Dummy()
    printer = EscposReceiptPrinter(lambda: paper, PrintFormat(PaperGeometry.of_width(58)), "dummy", None)
    queue = PrintQueue(ledger, storage.print_jobs, printer, ShopConfig(), clock)
    try:
        queue.print_document(report_layout(report, 32), "z-report").result(timeout=10)
    finally:
        queue.close()
    printed = paper.output
    assert b"Z-REPORT" in printed and b"$4.50" in printed
    assert printed.startswith(b"\x1b@") and printed.endswith(_cut())  # initialised, then cut


def _cut() -> bytes:
    paper = Dummy()
    paper.cut()
    return paper.output


def test_with_fleet_the_z_report_says_whether_the_shift_reached_the_central_books(storage, ledger, clock):
    shop = ShopConfig(timezone="Asia/Shanghai")
    fleet = Shifts(storage.shifts, storage.sales, shop, clock, unsent=storage.outbox.unsent_between)
    fleet.current()
    record(ledger, DAY_START_MS + 60_000, 4_736, fiat="4.50")  # 4 state changes: 4 events
    clock.at_ms = DAY_START_MS + HOUR_MS
    closed = fleet.close()  # and the close: 5
    assert "Not yet sent: 5 events" in lines(closed)
    close_seq = storage.outbox.status().last_seq
    record(ledger, DAY_START_MS + HOUR_MS + 60_000, 1_000)  # the next shift's, still waiting
    storage.outbox.mark_sent(close_seq, clock.at_ms + 61_000)
    sent = lines(fleet.report(closed.shift))
    assert "Sent to central books" in sent and not any("Not yet sent" in line for line in sent)
    clock.at_ms = DAY_START_MS + 2 * HOUR_MS
    assert "Not yet sent: 4 events" in lines(fleet.report(fleet.current()))
    # Without [fleet], the report says nothing about central books.
    plain = lines(Shifts(storage.shifts, storage.sales, shop, clock).report(closed.shift))
    assert not any("sent" in line.lower() for line in plain)
