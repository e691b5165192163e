"""Power cuts mid-refund: a refund is never paid twice, however the kiosk is killed.

Each row pays a sale for real (LNbits), starts a refund, kills the kiosk at a
point where the money may have moved but the kiosk may not know, restarts it,
retries the refund with the same key as the sale detail does, then asks for
more than is left. The ledger's refunds and the voucher node's own links are
compared with what the sale took.
"""

from __future__ import annotations

import time
from decimal import Decimal

from benchmarks.reliability.rig import KioskProcess, Rig, Stuck, read_refunds

SETTLE_S = 20.0
NOTES = [
    "The refund rows kill the kiosk mid-refund (the voucher made at LNbits' withdraw extension, a double,",
    "with its answer held back; or a cash refund's slip held mid-print), then retry with the same key and",
    "refund the rest: *lost* also counts more refunded than paid, a key recorded twice, or more vouchers",
    "at the node than refunds in the ledger (paid twice).",
]


def _paid_sale(rig: Rig, kiosk: KioskProcess) -> dict:
    kiosk.charge(1_000 + len(kiosk.events))
    sale = kiosk.sale("awaiting_payment")
    time.sleep(0.3)  # LNbits registers the kiosk's WebSocket just after the QR is shown
    rig.lnbits.pay(sale["bolt11"])
    kiosk.sale("receipt_printed", timeout_s=SETTLE_S)
    return sale


def voucher_answer_lost(rig: Rig, kiosk: KioskProcess) -> None:
    """The node made the voucher; its answer is held back; the kiosk dies before it hears."""
    sale = _paid_sale(rig, kiosk)
    rig.withdraw.hold_posts = True
    kiosk.send("refund", sale=sale["id"], key="refund-1", amount="600")
    if not rig.withdraw.held.wait(SETTLE_S):
        raise Stuck("the refund never reached the voucher node")
    kiosk.kill()
    rig.withdraw.release()


def slip_printing(rig: Rig, kiosk: KioskProcess) -> None:
    """Cash back recorded, the kiosk dies while the refund slip prints."""
    sale = _paid_sale(rig, kiosk)
    rig.printer.hold_at = lambda data: b"REFUND" in data
    kiosk.send("refund", sale=sale["id"], key="refund-1", amount="600", cash=True)
    deadline = time.monotonic() + SETTLE_S
    while rig.printer.held == 0:
        if time.monotonic() > deadline:
            raise Stuck("the refund slip never reached the printer")
        time.sleep(0.005)
    kiosk.kill()
    rig.printer.hold_at = None
    rig.printer.release()


def retry_and_check(rig: Rig, kiosk: KioskProcess) -> list[str]:
    """After the restart: the same refund again, then one for all that is left, then one too many."""
    sale_id = _paid_sale_id(rig)
    mark = len(kiosk.events)
    kiosk.send("refund", sale=sale_id, key="refund-1", amount="600")
    kiosk.wait_for(
        lambda e: e.kind == "refund" and e.data["key"] == "refund-1", "the retried refund", SETTLE_S, mark
    )
    kiosk.send("refund", sale=sale_id, key="refund-2")  # all that is left
    kiosk.wait_for(
        lambda e: e.kind == "refund" and e.data["key"] == "refund-2", "the second refund", SETTLE_S, mark
    )
    kiosk.send("refund", sale=sale_id, key="refund-3", amount="1")
    kiosk.wait_for(
        lambda e: e.kind == "error" and "at most" in e.data["message"], "the refusal", SETTLE_S, mark
    )
    return lost(rig, sale_id)


def _paid_sale_id(rig: Rig) -> int:
    paid = [s for s in rig.sales().values() if s.state == "receipt_printed"]
    if len(paid) != 1:
        raise Stuck(f"expected one paid sale, found {len(paid)}")
    return paid[0].id


def lost(rig: Rig, sale_id: int) -> list[str]:
    """What went wrong: refunded more than paid, a key twice, or more vouchers at the node than refunds."""
    refunds = [r for r in read_refunds(rig.ledger) if r[0] == sale_id]
    amount = Decimal(rig.sales()[sale_id].amount_msat) / 1000
    found = []
    counted = sum((Decimal(r[2]) for r in refunds if r[3] != "failed"), Decimal(0))
    if counted != amount:
        found.append(f"sale {sale_id}: {counted} refunded of {amount}")
    keys = [r[1] for r in refunds]
    if sorted(keys) != ["refund-1", "refund-2"]:
        found.append(f"sale {sale_id}: refunds under keys {keys}")
    if any(r[3] != "done" for r in refunds):
        found.append(f"sale {sale_id}: refunds left {[r[3] for r in refunds]}")
    vouchers = {r[4] for r in refunds if r[4]}
    links = rig.withdraw.links
    if len(links) > len(vouchers) or any(link["id"] not in vouchers for link in links):
        found.append(f"{len(links)} vouchers at the node for {len(vouchers)} refunds: paid twice")
    at_node = sum(link["max_withdrawable"] for link in links)
    if at_node > amount:
        found.append(f"{at_node} sats in vouchers for a sale of {amount}")
    return found
