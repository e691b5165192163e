"""Power cuts: the kiosk is killed (SIGKILL) at every sale state, restarted, and checked.

    .venv/bin/python -m benchmarks.reliability --parts powercut [--random-kills N]

Each row runs the real services in a child process against a real LNbits, a
real ledger file and a network printer on a real socket; drives one sale to a
state; kills the child; maybe lets the customer pay while it is dead; starts
it again (Checkout.recover runs) and checks against LNbits' own records that
every paid sale is in the ledger exactly once, with one receipt on paper (a
copy marked "DUPLICATE?" may follow one cut off mid-print) or one waiting in
the queue, and that nothing unpaid was printed. Exits 1 if anything is lost.
"""

from __future__ import annotations

import random
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass

from benchmarks.reliability import refund_cuts
from benchmarks.reliability.rig import KioskProcess, Rig, SaleRecord, Stuck
from tests.hardware.fake_printer import cut_bytes
from tests.support.lnbits import LnbitsServer

PAID_STATES = ("paid", "paid_late", "receipt_printed")
SETTLE_S = 20.0
WS_SETTLE_S = 0.3  # LNbits registers the kiosk's WebSocket just after the QR is shown


@dataclass
class Row:
    name: str
    at_kill: str = ""
    found: str = ""
    receipts: str = ""
    lost: list[str] | None = None

    @property
    def ok(self) -> bool:
        return self.lost == []


@dataclass(frozen=True)
class Scenario:
    name: str
    drive: Callable[[Rig, KioskProcess], None]  # up to the kill, and what happens while the kiosk is dead
    pay_after_restart: bool = False
    after_restart: Callable[[Rig, KioskProcess], list[str]] | None = None  # more steps; what they lost


def _awaiting(kiosk: KioskProcess, expiry_s: int | None = None) -> dict:
    kiosk.charge(1_000 + len(kiosk.events), expiry_s)
    sale = kiosk.sale("awaiting_payment")
    time.sleep(WS_SETTLE_S)
    return sale


def _pay(rig: Rig, sale: dict) -> None:
    rig.lnbits.pay(sale["bolt11"])


def creating_invoice(rig: Rig, kiosk: KioskProcess) -> None:
    rig.proxy.stall()  # the node call hangs
    kiosk.charge(1_000)
    kiosk.sale("creating_invoice")
    time.sleep(0.3)
    kiosk.kill()
    rig.proxy.resume()


def awaiting(rig: Rig, kiosk: KioskProcess) -> None:
    _awaiting(kiosk)
    kiosk.kill()


def awaiting_paid_while_dead(rig: Rig, kiosk: KioskProcess) -> None:
    sale = _awaiting(kiosk)
    kiosk.kill()
    _pay(rig, sale)


def paid_not_committed(rig: Rig, kiosk: KioskProcess) -> None:
    sale = _awaiting(kiosk)
    rig.proxy.stall()  # the node's notification and the confirming lookup are held
    _pay(rig, sale)
    time.sleep(0.3)
    kiosk.kill()
    rig.proxy.resume()


def paid_printer_off(rig: Rig, kiosk: KioskProcess) -> None:
    rig.printer.stop()
    sale = _awaiting(kiosk)
    _pay(rig, sale)
    kiosk.sale("paid")
    time.sleep(0.5)  # the print queue finds the printer off; the job waits
    kiosk.kill()
    rig.printer.start()


def _printing(rig: Rig, kiosk: KioskProcess, hold: Callable[[bytes], bool]) -> None:
    rig.printer.hold_at = hold
    sale = _awaiting(kiosk)
    _pay(rig, sale)
    deadline = time.monotonic() + SETTLE_S
    while rig.printer.held == 0:
        if time.monotonic() > deadline:
            raise Stuck("the printer was never reached")
        time.sleep(0.005)
    kiosk.kill()
    rig.printer.release()


def printing_half_sent(rig: Rig, kiosk: KioskProcess) -> None:
    _printing(rig, kiosk, lambda data: len(data) >= 2_000)


def printing_all_bytes_sent(rig: Rig, kiosk: KioskProcess) -> None:
    cut = cut_bytes()
    _printing(rig, kiosk, lambda data: data.endswith(cut))


def after_print(rig: Rig, kiosk: KioskProcess) -> None:
    sale = _awaiting(kiosk)
    _pay(rig, sale)
    kiosk.sale("receipt_printed")
    kiosk.kill()


def expired(rig: Rig, kiosk: KioskProcess) -> None:
    _awaiting(kiosk, expiry_s=2)
    kiosk.sale("expired", timeout_s=10)
    kiosk.kill()


def cancelled(rig: Rig, kiosk: KioskProcess) -> None:
    sale = _awaiting(kiosk)
    kiosk.send("cancel", id=sale["id"])
    kiosk.sale("cancelled")
    kiosk.kill()


def cancelled_paid_while_dead(rig: Rig, kiosk: KioskProcess) -> None:
    sale = _awaiting(kiosk)
    kiosk.send("cancel", id=sale["id"])
    kiosk.sale("cancelled")
    kiosk.kill()
    _pay(rig, sale)


def expired_paid_while_dead(rig: Rig, kiosk: KioskProcess) -> None:
    sale = _awaiting(kiosk, expiry_s=2)
    kiosk.sale("expired", timeout_s=10)
    kiosk.kill()
    _pay(rig, sale)


def random_instant(rng: random.Random) -> Callable[[Rig, KioskProcess], None]:
    def drive(rig: Rig, kiosk: KioskProcess) -> None:
        sale = _awaiting(kiosk)
        _pay(rig, sale)
        time.sleep(rng.uniform(0, 0.08))
        kiosk.kill()

    return drive


SCENARIOS = (
    Scenario("creating invoice (node call held)", creating_invoice),
    Scenario("awaiting payment; paid after restart", awaiting, pay_after_restart=True),
    Scenario("awaiting payment; paid while dead", awaiting_paid_while_dead),
    Scenario("paid at the node, PAID not committed", paid_not_committed),
    Scenario("PAID, receipt waiting (printer off)", paid_printer_off),
    Scenario("printing, receipt half sent", printing_half_sent),
    Scenario("printing, all bytes sent, not marked", printing_all_bytes_sent),
    Scenario("after the receipt printed", after_print),
    Scenario("expired", expired),
    Scenario("cancelled", cancelled),
    Scenario("cancelled; paid while dead (late)", cancelled_paid_while_dead),
    Scenario("expired; customer pays while dead", expired_paid_while_dead),
    Scenario(
        "refund: voucher made, answer lost",
        refund_cuts.voucher_answer_lost,
        after_restart=refund_cuts.retry_and_check,
    ),
    Scenario(
        "refund: cash back, slip printing",
        refund_cuts.slip_printing,
        after_restart=refund_cuts.retry_and_check,
    ),
)


def describe(record: SaleRecord | None) -> str:
    if record is None:
        return "no sale in the ledger"
    jobs = ", ".join(f"job {state}" for _copy, state, _reprint in record.jobs)
    return f"{record.state}" + (f" ({jobs})" if jobs else "")


def run(lnbits: LnbitsServer, scenario: Scenario) -> Row:
    row = Row(scenario.name)
    rig = Rig(lnbits)
    try:
        kiosk = rig.start_kiosk()
        scenario.drive(rig, kiosk)
        before = rig.sales()
        row.at_kill = "; ".join(describe(r) for r in before.values()) or "no sale in the ledger"
        charged = [e.data for e in kiosk.events if e.kind == "sale"]
        hashes = {e["id"]: e["payment_hash"] for e in charged if e["payment_hash"]}
        restarted = rig.start_kiosk()
        if scenario.pay_after_restart:
            for sale_id in hashes:
                bolt11 = next(e["bolt11"] for e in charged if e["id"] == sale_id and e["bolt11"])
                rig.lnbits.pay(bolt11)
        paid = {sale_id: rig.paid_at_node(h) for sale_id, h in hashes.items()}
        _settle(rig, paid)
        more = scenario.after_restart(rig, restarted) if scenario.after_restart else []
        restarted.stop()
        row.lost, row.found, row.receipts = check(rig, {e["id"] for e in charged}, paid, before)
        row.lost += more
    except Stuck as exc:
        row.lost = [f"harness step failed: {exc}"]
        print(f"{scenario.name}: {exc}; the kiosk's log ends:\n{rig.log_tail()}", file=sys.stderr)
    finally:
        rig.close()
    return row


def _settle(rig: Rig, paid: dict[int, bool]) -> None:
    """Wait until every sale paid at the node has its receipt done or waiting, and a bit longer."""
    deadline = time.monotonic() + SETTLE_S
    while time.monotonic() < deadline:
        sales = rig.sales()
        if all(sales[i].state == "receipt_printed" for i, p in paid.items() if p and i in sales):
            break
        time.sleep(0.05)
    time.sleep(0.5)  # a duplicate would show up now


def check(
    rig: Rig, charged: set[int], paid: dict[int, bool], before: dict[int, SaleRecord]
) -> tuple[list[str], str, str]:
    """What is lost (empty: nothing), what the restart found, and what is on paper."""
    sales = rig.sales()
    lost, found, paper = [], [], []
    for sale_id in sorted(charged):
        record = sales.get(sale_id)
        if record is None:
            lost.append(f"sale {sale_id} is not in the ledger")
            continue
        was = before[sale_id].state if sale_id in before else "?"
        node = "paid" if paid.get(sale_id) else "not paid"
        found.append(
            (f"{was} -> {record.state}" if was != record.state else f"{record.state}, kept")
            + f" (node: {node})"
        )
        whole, marked, pieces = rig.receipts_for(sale_id)
        waiting = sum(state != "printed" for copy, state, _ in record.jobs if copy == "customer")
        paper.append(
            f"{whole - marked} receipt(s)"
            + (f" + {marked} DUPLICATE?" if marked else "")
            + (f", {pieces} cut off" if pieces else "")
            + (f", {waiting} waiting" if waiting else "")
        )
        if paid.get(sale_id):
            if record.paid_transitions != 1:
                lost.append(
                    f"sale {sale_id}: paid at the node, {record.paid_transitions} times in the ledger"
                )
            if whole == 0 and not waiting:
                lost.append(f"sale {sale_id}: no receipt printed and none waiting")
            if whole - marked > 1:
                lost.append(f"sale {sale_id}: {whole - marked} receipts without a DUPLICATE? mark")
        else:
            if record.state in PAID_STATES:
                lost.append(f"sale {sale_id}: paid in the ledger, not at the node")
            if whole or waiting:
                lost.append(f"sale {sale_id}: a receipt for an unpaid sale")
    return lost, "; ".join(found), "; ".join(paper)


def run_all(lnbits: LnbitsServer, random_kills: int, seed: int = 8) -> list[Row]:
    rng = random.Random(seed)
    scenarios = [
        *SCENARIOS,
        *(Scenario(f"pay, then kill {n + 1} at 0-80 ms", random_instant(rng)) for n in range(random_kills)),
    ]
    rows = []
    for scenario in scenarios:
        rows.append(run(lnbits, scenario))
        print(f"  {scenario.name}: {'ok' if rows[-1].ok else rows[-1].lost}", file=sys.stderr, flush=True)
    return rows
