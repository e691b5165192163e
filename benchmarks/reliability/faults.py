"""The fault matrix: what the kiosk does, what the cashier sees, and that nothing is lost.

    .venv/bin/python -m benchmarks.reliability --parts faults

Each row is an automated check against real parts: the kiosk's services in a
child process (`child.py`), a real LNbits behind a loopback proxy that can go
down or stall, a network printer on a real socket that can be unplugged or run
out of paper, the ledger on a real filesystem that fills up (a 1 MiB tmpfs,
which needs root), a config file that is cut short or garbled, and a wall
clock that jumps (in this process: the checkout with a clock that is set
forward or back while real time runs on).
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from benchmarks.reliability.hostile import hostile_50_mb_answer
from benchmarks.reliability.rig import KioskProcess, Rig, Stuck
from benchmarks.reliability.rows import Failed, FaultRow, expect
from kiosk.backends.lnbits import LnbitsBackend
from kiosk.config import PaymentConfig, ShopConfig
from kiosk.credentials import Secret
from kiosk.domain.pricing import Quote
from kiosk.domain.sale import SaleState
from kiosk.hardware.printers import NoPrinter
from kiosk.services.checkout import Checkout
from kiosk.storage.store import Storage
from kiosk.wiring import make_checkout
from tests.hardware.fake_printer import ANSWER_OK, ANSWER_PAPER_OUT
from tests.support.clock import WallJump
from tests.support.disk import fill, small_filesystem
from tests.support.lnbits import ROOT, LnbitsServer

OUTAGE_S = 2.0
SETTLE_S = 20.0


def _awaiting(kiosk: KioskProcess, sats: int = 2_100, after: int = 0) -> dict:
    kiosk.charge(sats)
    sale = kiosk.sale("awaiting_payment", after=after)
    time.sleep(0.3)  # LNbits registers the kiosk's WebSocket
    return sale


def _receipt_once(rig: Rig, kiosk: KioskProcess, sale: dict, state: str = "receipt_printed") -> None:
    kiosk.sale(state, timeout_s=SETTLE_S)
    kiosk.stop()
    record = rig.sales()[sale["id"]]
    whole, _marked, _pieces = rig.receipts_for(sale["id"])
    expect(record.paid_transitions == 1, f"sale {sale['id']} recorded paid {record.paid_transitions} times")
    expect(whole == 1, f"sale {sale['id']}: {whole} receipts printed")


def _last_printer_message(kiosk: KioskProcess, state: str) -> str:
    event = kiosk.wait_for(lambda e: e.kind == "printer" and e.data["state"] == state, f"printer {state}")
    return f"{event.data['waiting']} receipt(s) waiting: {event.data['message']}"


def node_down_at_charge(rig: Rig, row: FaultRow) -> None:
    kiosk = rig.start_kiosk()
    rig.proxy.down()
    kiosk.charge(1_000)
    failed = kiosk.sale("failed", timeout_s=SETTLE_S)
    rig.proxy.up()
    expect(failed["bolt11"] is None, "an invoice was shown although the node was down")
    row.happens = "the sale ends FAILED before any invoice exists; the next charge works"
    row.cashier_sees = failed["error"].replace("\n", " / ")
    _awaiting(kiosk, after=len(kiosk.events))
    kiosk.stop()


def node_down_while_waiting(rig: Rig, row: FaultRow) -> None:
    kiosk = rig.start_kiosk()
    sale = _awaiting(kiosk)
    rig.proxy.down()
    rig.lnbits.pay(sale["bolt11"])  # the customer's wallet reaches the node another way
    time.sleep(OUTAGE_S)
    expect(rig.sales()[sale["id"]].state == "awaiting_payment", "the sale changed while the node was away")
    rig.proxy.up()
    row.happens = f"lookups fail for {OUTAGE_S:g} s; the push channel reconnects; PAID once the node is back"
    row.cashier_sees = "the QR and countdown stay up, then PAID"
    _receipt_once(rig, kiosk, sale)


def network_stall(rig: Rig, row: FaultRow) -> None:
    kiosk = rig.start_kiosk()
    sale = _awaiting(kiosk)
    rig.proxy.stall()
    rig.lnbits.pay(sale["bolt11"])
    time.sleep(OUTAGE_S)
    expect(rig.sales()[sale["id"]].state == "awaiting_payment", "the sale changed during the stall")
    rig.proxy.resume()
    row.happens = f"no byte moves for {OUTAGE_S:g} s (requests hang, then time out and retry); PAID after"
    row.cashier_sees = "the QR and countdown stay up, then PAID"
    _receipt_once(rig, kiosk, sale)


def printer_unplugged(rig: Rig, row: FaultRow) -> None:
    kiosk = rig.start_kiosk()
    rig.printer.stop()
    sale = _awaiting(kiosk)
    rig.lnbits.pay(sale["bolt11"])
    kiosk.sale("paid")
    row.cashier_sees = _last_printer_message(kiosk, "not_connected")
    time.sleep(OUTAGE_S)
    rig.printer.start()
    row.happens = "PAID at once; the receipt waits in the ledger and prints when the printer is back"
    _receipt_once(rig, kiosk, sale)


def paper_out(rig: Rig, row: FaultRow) -> None:
    kiosk = rig.start_kiosk()
    rig.printer.paper = ANSWER_PAPER_OUT
    sale = _awaiting(kiosk)
    rig.lnbits.pay(sale["bolt11"])
    kiosk.sale("paid")
    row.cashier_sees = _last_printer_message(kiosk, "paper_out")
    time.sleep(OUTAGE_S)
    rig.printer.paper = ANSWER_OK
    row.happens = "the printer's status says no paper: nothing is sent; it prints once paper is back"
    _receipt_once(rig, kiosk, sale)


def disk_full(lnbits: LnbitsServer, row: FaultRow) -> None:
    with small_filesystem() as folder:
        if folder is None:
            row.skipped = "needs root to mount a tmpfs"
            return
        rig = Rig(lnbits, ledger_folder=folder)
        try:
            kiosk = rig.start_kiosk()
            sale = _awaiting(kiosk)
            filler = fill(folder)
            rig.lnbits.pay(sale["bolt11"])
            kiosk.charge(3_000)  # the next sale cannot even be written down
            error = kiosk.wait_for(lambda e: e.kind == "error", "the charge to fail").data["message"]
            time.sleep(OUTAGE_S)
            expect(rig.sales()[sale["id"]].state == "awaiting_payment", "a write got through a full disk")
            filler.unlink()
            row.happens = (
                "the paid sale cannot be written: the watcher keeps the payment and retries each poll; "
                "a new charge fails before any invoice; with space again the payment is recorded and printed"
            )
            row.cashier_sees = (  # the charge's error, which the screen shows as it is
                "paid sale: the QR stays up until space is free (no word of the disk: a gap); "
                f"new charge: {error}"
            )
            _receipt_once(rig, kiosk, sale)
        finally:
            rig.close()


def corrupt_config(kind: str, content: bytes) -> Callable[[LnbitsServer, FaultRow], None]:
    def run(_lnbits: LnbitsServer, row: FaultRow) -> None:
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "kiosk.toml"
            path.write_bytes(content)
            started = subprocess.run(
                [sys.executable, "main.py", "--config", str(path)],
                cwd=ROOT,
                env={**os.environ, "SDL_VIDEODRIVER": "offscreen", "KIVY_NO_ARGS": "1"},
                capture_output=True,
                text=True,
                timeout=60,
            )
        said = started.stderr.strip()
        expect(started.returncode == 2, f"main.py exited {started.returncode}: {said[-300:]}")
        expect(
            str(path) in said and "To fix it:" in said, f"the message does not name the file and fix: {said}"
        )
        expect("Traceback" not in said, "a traceback instead of a message")
        row.happens = f"{kind}: the kiosk refuses to start (exit 2) before touching the ledger or the node"
        row.cashier_sees = said.replace(str(path), "kiosk.toml").replace("\n", " / ")

    return run


def clock_jump(offset_ms: int) -> Callable[[LnbitsServer, FaultRow], None]:
    """The wall clock is set forward or back while a customer is paying."""

    def run(lnbits: LnbitsServer, row: FaultRow) -> None:
        assert lnbits.kiosk is not None
        wall = WallJump()
        with tempfile.TemporaryDirectory() as folder:
            storage = Storage.open(Path(folder) / "ledger.sqlite3")
            backend = LnbitsBackend(lnbits.url, Secret(lnbits.kiosk.inkey.encode()))
            payment = PaymentConfig(poll_interval_seconds=0.2)
            checkout = make_checkout(backend, storage, NoPrinter(), payment, ShopConfig(), clock_ms=wall)
            try:
                _jump(lnbits, checkout, wall, offset_ms, row)
            finally:
                checkout.close()
                storage.close()

    return run


def _jump(lnbits: LnbitsServer, checkout: Checkout, wall: WallJump, offset_ms: int, row: FaultRow) -> None:
    expiry_s = 3
    sale = checkout.charge(Quote(amount_msat=1_500_000), "clock", expiry_s)
    expect(sale.invoice is not None, f"no invoice: {sale.error}")
    assert sale.invoice is not None
    began = time.monotonic()
    wall.offset_ms = offset_ms
    if offset_ms > 0:
        time.sleep(1.0)
        state = checkout.ledger.get(sale.id).state
        expect(state is SaleState.AWAITING_PAYMENT, f"expired by the jump: {state}")
        lnbits.pay(sale.invoice.bolt11)
        _wait(lambda: checkout.ledger.get(sale.id).state.is_paid, "the payment")
        expect(not checkout.ledger.get(sale.id).settled_late, "recorded as paid late")
        row.happens = "the invoice stays open for its real time; the payment is PAID, not paid-late"
    else:
        _wait(lambda: checkout.ledger.get(sale.id).state is SaleState.EXPIRED, "expiry", expiry_s + 5)
        took = time.monotonic() - began
        expect(took < expiry_s + 2, f"expired after {took:.1f} s")
        row.happens = (
            f"the invoice expires on time ({took:.1f} s for a {expiry_s} s invoice), not an hour late"
        )
    row.cashier_sees = (
        "the QR stays up and PAID shows as usual; the countdown is drawn from the wall clock, so it "
        + (
            "reads 00:00 until the payment (a display gap)"
            if offset_ms > 0
            else "reads an hour too long (a gap)"
        )
    )


def _wait(condition: Callable[[], bool], what: str, timeout_s: float = SETTLE_S) -> None:
    deadline = time.monotonic() + timeout_s
    while not condition():
        if time.monotonic() > deadline:
            raise Failed(f"{what} not reached within {timeout_s:g} s")
        time.sleep(0.05)


def with_rig(drive: Callable[[Rig, FaultRow], None]) -> Callable[[LnbitsServer, FaultRow], None]:
    def run(lnbits: LnbitsServer, row: FaultRow) -> None:
        rig = Rig(lnbits)
        try:
            drive(rig, row)
        finally:
            rig.close()

    return run


FAULTS: dict[str, Callable[[LnbitsServer, FaultRow], None]] = {
    "node down at the charge": with_rig(node_down_at_charge),
    "node down while the customer pays, then back": with_rig(node_down_while_waiting),
    "network stall while the customer pays": with_rig(network_stall),
    "printer unplugged, then back": with_rig(printer_unplugged),
    "printer out of paper, then a new roll": with_rig(paper_out),
    "disk full under the ledger (1 MiB tmpfs)": disk_full,
    "config cut short": corrupt_config("cut short", b'[shop]\nname = "Harness Caf'),
    "config garbled (not text)": corrupt_config("garbled", b"[shop]\nname = '\xe9\xff\x00\x01'\n"),
    "wall clock jumps 1 h forward": clock_jump(3_600_000),
    "wall clock jumps 1 h back": clock_jump(-3_600_000),
    "hostile 50 MB answer from the node": hostile_50_mb_answer,
}


def run(lnbits: LnbitsServer, name: str) -> FaultRow:
    row = FaultRow(name)
    try:
        FAULTS[name](lnbits, row)
    except (Failed, Stuck) as exc:
        row.lost.append(str(exc))
    return row


def run_all(lnbits: LnbitsServer) -> list[FaultRow]:
    rows = []
    for name in FAULTS:
        rows.append(run(lnbits, name))
        verdict = "skipped" if rows[-1].skipped else "ok" if rows[-1].ok else rows[-1].lost
        print(f"  {name}: {verdict}", file=sys.stderr, flush=True)
    return rows


NOTES = [
    "Node down: the proxy between the kiosk and LNbits drops every connection and closes new ones",
    "(LNbits itself keeps running, so it remembers the invoice; a real LNbits restart is covered by",
    "`tests/backends/test_lnbits.py::test_node_killed_mid_wait_and_restarted`). Disk full: the ledger",
    "lives on a 1 MiB tmpfs filled to the last byte (a real ENOSPC, not `PRAGMA max_page_count`).",
    "Clock jumps run in this process with the checkout's wall clock set 1 h off while its monotonic",
    "clock runs on (no libfaketime here).",
]
