"""The tour's shop-day steps: a cash sale with its change, and the Recent list asked about a sale."""

from __future__ import annotations

from collections.abc import Callable

from kiosk.ui import routing, strings
from tools.tour.driving import Driver


def shop_day(d: Driver, shot: Callable[[str], None]) -> None:
    """From the keypad, back to it: $4.50 paid with a $10 note, then the customer who says they paid."""
    keypad = d.app.root.get_screen(routing.KEYPAD)
    cash = d.app.root.get_screen(routing.CASH)
    d.tap(d.get(routing.KEYPAD, "clear"))
    for k in ("4", "5", "0"):
        d.tap(keypad.keys[k])
    d.tap(d.get(routing.KEYPAD, "cash"))
    d.wait_for_screen(routing.CASH)
    for k in ("1", "0", "0", "0"):
        d.tap(cash.keys[k])
    d.wait_until(lambda: cash.can_take, "the change")
    shot("26-cash-change")
    d.tap(d.get(routing.CASH, "take"))
    d.wait_for_screen(routing.PAID)
    d.wait_until(lambda: d.get(routing.PAID, "receipt").text == strings.RECEIPT_PRINTED, "the cash receipt")
    shot("27-paid-cash")
    d.tap(d.get(routing.PAID, "new_sale"))
    d.wait_for_screen(routing.KEYPAD)

    d.tap(d.get(routing.KEYPAD, "recent"))
    d.wait_for_screen(routing.RECENT)
    recent = d.app.root.get_screen(routing.RECENT)
    d.wait_until(lambda: bool(recent.rows), "the recent sales")
    lightning = next(
        row for row, sale in zip(recent.rows, d.services.ledger.sales(20), strict=False) if sale.payment_hash
    )
    d.tap(lightning)
    d.wait_until(lambda: strings.RECENT_ASKING not in recent.detail, "the node's answer")
    shot("28-recent")
    d.tap(d.get(routing.RECENT, "back"))
    d.wait_for_screen(routing.KEYPAD)
