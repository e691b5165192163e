"""The tour's cashier steps, last (so no earlier screen changes): staff sign in on the till.

Numbered 32-34: the refund steps (another branch) take 29-31.
"""

from __future__ import annotations

from collections.abc import Callable

from kiosk.services.admin_pin import FREE_ATTEMPTS
from kiosk.services.staff import Role
from kiosk.ui import routing, strings
from tools.tour.driving import Driver

STAFF = (("Ann", Role.CASHIER, "4826"), ("Chen Wei", Role.CASHIER, "3917"), ("Bob", Role.MANAGER, "7315"))


def cashiers(d: Driver, shot: Callable[[str], None]) -> None:
    """Staff added (as `python -m kiosk staff add` does): Charge asks who sells, a wrong PIN, then Ann."""
    staff = d.services.staff
    for name, role, pin in STAFF:
        staff.add(name, role, pin)
    controller = d.app.controller
    controller.signin.refresh()  # as the keypad does each time it shows
    keypad = d.app.root.get_screen(routing.KEYPAD)
    d.wait_until(lambda: keypad.cashier == strings.SIGN_IN, "the header's Sign in")
    d.tap(d.get(routing.KEYPAD, "clear"))
    d.enter_amount("350")
    d.tap(d.get(routing.KEYPAD, "charge"))
    d.wait_for_screen(routing.SIGN_IN)
    screen = d.app.root.get_screen(routing.SIGN_IN)
    d.wait_until(lambda: len(screen.names) == len(STAFF), "the names")
    shot("32-sign-in")

    ann = next(m for m in staff.members() if m.name == "Ann")
    d.tap(screen.names[ann.id])
    d.wait_until(lambda: screen.chosen_id == ann.id, "Ann's PIN pad")
    for digit in "9999":
        d.tap(screen.keys[digit])
    d.tap(screen.keys["ok"])
    told = strings.ADMIN_PIN_WRONG.format(left=FREE_ATTEMPTS - 1)
    d.wait_until(lambda: screen.notice == told, "the wrong PIN answered")
    for digit in "482":
        d.tap(screen.keys[digit])
    shot("33-sign-in-pin")
    d.tap(screen.keys["6"])
    d.tap(screen.keys["ok"])
    d.wait_for_screen(routing.KEYPAD)
    d.wait_until(lambda: keypad.cashier == "Ann", "Ann signed in")
    shot("34-signed-in")
