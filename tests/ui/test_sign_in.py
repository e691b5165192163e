"""Cashiers sign in on the till through the real widgets, headless: name, PIN pad, lockout, sign-out."""

from __future__ import annotations

import pytest

from kiosk.clock import now_ms
from kiosk.services.admin_pin import FREE_ATTEMPTS, PinRecord
from kiosk.services.staff import Role, Staff
from kiosk.storage.store import Storage
from kiosk.ui import routing, strings
from kiosk.ui.shop_views import header_name
from tests.ui.conftest import headless_kiosk, scratch_config

pytestmark = pytest.mark.ui
ANN_PIN, BOB_PIN = "4826", "7315"


@pytest.fixture(scope="module")
def kiosk(tmp_path_factory):
    folder = tmp_path_factory.mktemp("staffed")
    config = scratch_config(folder)
    storage = Storage.open(config.ledger.path)  # as `python -m kiosk staff add` would, before the start
    try:
        staff = Staff(storage.staff, now_ms)
        staff.add("Ann", Role.CASHIER, ANN_PIN)
        staff.add("Bob", Role.MANAGER, BOB_PIN)
    finally:
        storage.close()
    with headless_kiosk(config) as driver:
        yield driver


@pytest.fixture
def d(kiosk):
    signin = kiosk.app.controller.signin
    if signin.member is not None:
        signin.sign_out()
    kiosk.app.controller.new_sale()
    kiosk.wait_for_screen(routing.KEYPAD)
    kiosk.wait_until(lambda: header(kiosk).text == strings.SIGN_IN, "header says Sign in")
    return kiosk


def header(d):
    return d.get(routing.KEYPAD, "cashier")


def member(d, name: str):
    return next(m for m in d.services.staff.members() if m.name == name)


def choose(d, name: str) -> None:
    screen = d.app.root.get_screen(routing.SIGN_IN)
    d.wait_until(lambda: member(d, name).id in screen.names, f"{name} listed")
    d.tap(screen.names[member(d, name).id])
    prompt = strings.SIGN_IN_PIN.format(name=name)
    d.wait_until(lambda: d.get(routing.SIGN_IN, "prompt").text == prompt, f"{name}'s pad")


def type_pin(d, pin: str) -> None:
    pad = d.app.root.get_screen(routing.SIGN_IN)
    for digit in pin:
        d.tap(pad.keys[digit])
    d.tap(pad.keys["ok"])


def sign_in(d, name: str, pin: str) -> None:
    d.tap(header(d))
    d.wait_for_screen(routing.SIGN_IN)
    choose(d, name)
    type_pin(d, pin)
    d.wait_for_screen(routing.KEYPAD)
    d.wait_until(lambda: header(d).text == name, f"header says {name}")


def test_charge_asks_to_sign_in_first_then_the_sale_carries_the_cashier(d):
    assert header(d).width > 0 and header(d).opacity == 1
    d.enter_amount("450")
    d.tap(d.get(routing.KEYPAD, "charge"))
    d.wait_for_screen(routing.SIGN_IN)
    assert d.get(routing.SIGN_IN, "notice").text == strings.SIGN_IN_FIRST
    assert d.get(routing.SIGN_IN, "grid").disabled  # no name chosen yet
    choose(d, "Ann")
    type_pin(d, "9999")
    d.wait_until(
        lambda: (
            d.get(routing.SIGN_IN, "notice").text == strings.ADMIN_PIN_WRONG.format(left=FREE_ATTEMPTS - 1)
        ),
        "wrong PIN counted",
    )
    assert d.screen == routing.SIGN_IN and d.app.controller.signin.member is None
    type_pin(d, ANN_PIN)
    d.wait_for_screen(routing.KEYPAD)
    assert header(d).text == "Ann" and d.get(routing.KEYPAD, "amount").text == "$4.50"  # kept

    d.tap(d.get(routing.KEYPAD, "charge"))
    d.wait_for_screen(routing.INVOICE)
    sale = d.app.controller.followed
    d.tap(d.get(routing.INVOICE, "simulate"))
    d.wait_for_screen(routing.PAID)
    assert d.services.ledger.get(sale.id).cashier_id == member(d, "Ann").id
    d.tap(d.get(routing.PAID, "new_sale"))
    d.wait_for_screen(routing.KEYPAD)
    assert header(d).text == "Ann"  # still signed in for the next customer


def test_sign_out_leaves_the_pad_for_the_next_cashier_and_their_sales(d):
    sign_in(d, "Ann", ANN_PIN)
    d.tap(header(d))
    d.wait_for_screen(routing.SIGN_IN)
    assert d.get(routing.SIGN_IN, "signed_in").text == strings.SIGNED_IN_AS.format(name="Ann")
    d.tap(d.get(routing.SIGN_IN, "sign_out"))
    d.wait_until(lambda: d.app.controller.signin.member is None, "signed out")
    assert d.screen == routing.SIGN_IN and d.get(routing.SIGN_IN, "signed_in").text == ""
    assert d.services.checkout.cashier_id is None
    choose(d, "Bob")
    type_pin(d, BOB_PIN)
    d.wait_for_screen(routing.KEYPAD)
    d.enter_amount("300")
    d.tap(d.get(routing.KEYPAD, "cash"))
    d.wait_for_screen(routing.CASH)
    assert d.services.checkout.cashier_id == member(d, "Bob").id


def test_wrong_pins_lock_only_that_members_pad(d):
    d.tap(header(d))
    d.wait_for_screen(routing.SIGN_IN)
    choose(d, "Bob")
    for attempt in range(1, FREE_ATTEMPTS):
        type_pin(d, "9999")
        wrong = strings.ADMIN_PIN_WRONG.format(left=FREE_ATTEMPTS - attempt)
        d.wait_until(lambda w=wrong: d.get(routing.SIGN_IN, "notice").text == w, "wrong PIN counted")
    type_pin(d, "9999")
    d.wait_until(lambda: "Try again in 0:30" in d.get(routing.SIGN_IN, "notice").text, "locked")
    assert d.get(routing.SIGN_IN, "grid").disabled
    choose(d, "Ann")  # another member's pad is open
    assert not d.get(routing.SIGN_IN, "grid").disabled
    choose(d, "Bob")  # and Bob's is still locked, read from the ledger
    d.wait_until(lambda: d.get(routing.SIGN_IN, "grid").disabled, "Bob still locked")
    d.tap(d.get(routing.SIGN_IN, "back"))
    d.wait_for_screen(routing.KEYPAD)
    bob, store = member(d, "Bob").id, d.services.storage.staff
    store.write_pin(bob, PinRecord(store.pin_record(bob).hash_record), 0)  # as if 30 s had passed


def test_a_member_removed_while_signed_in_is_signed_out_when_the_keypad_shows_again(d):
    sign_in(d, "Ann", ANN_PIN)
    ann = member(d, "Ann")
    d.services.staff.remove(ann.id)  # `python -m kiosk staff remove`, from the shell
    try:
        d.app.controller.show_recent()
        d.wait_for_screen(routing.RECENT)
        d.app.controller.show_keypad()
        d.wait_until(lambda: header(d).text == strings.SIGN_IN, "Ann signed out")
        assert d.services.checkout.cashier_id is None
        d.tap(header(d))
        d.wait_for_screen(routing.SIGN_IN)
        screen = d.app.root.get_screen(routing.SIGN_IN)
        assert ann.id not in screen.names and member(d, "Bob").id in screen.names
    finally:
        with d.services.storage.database.transaction() as conn:
            conn.execute("UPDATE staff SET active = 1 WHERE id = ?", (ann.id,))


def test_a_shop_without_staff_sees_no_sign_in_and_sells_as_before(tmp_path):
    with headless_kiosk(scratch_config(tmp_path)) as d:
        d.wait_for_screen(routing.KEYPAD)
        d.frames(5)
        assert header(d).text == "" and header(d).width == 0 and header(d).opacity == 0
        d.enter_amount("250")
        d.tap(d.get(routing.KEYPAD, "charge"))
        d.wait_for_screen(routing.INVOICE)
        assert d.services.ledger.get(d.app.controller.followed.id).cashier_id is None


def test_a_long_name_is_cut_for_the_header_so_the_shop_name_keeps_room():
    assert header_name("Ann") == "Ann"
    assert header_name("Maximilian Alexander") == "Maximilian…"
    assert header_name("王小明") == "王小明"


ADMIN_PIN = "2580"


def open_admin(d, pin: str) -> None:
    if not d.services.admin.pin.is_set():
        d.services.admin.pin.set_pin(ADMIN_PIN)  # as `python -m kiosk set-pin` would
    d.settle()
    d.hold(d.get(routing.KEYPAD, "header").ids.title, 1.7)
    d.wait_for_screen(routing.ADMIN_PIN)
    pad = d.app.root.get_screen(routing.ADMIN_PIN)
    for digit in pin:
        d.tap(pad.keys[digit])
    d.tap(pad.keys["ok"])


def hold_close_shift(d):
    """From the admin menu: the open shift's report, and Close shift held; the screen and the shift's id."""
    report = d.app.root.get_screen(routing.ADMIN_REPORT)
    shown = report.report  # from an earlier test, maybe
    d.tap(d.get(routing.ADMIN_MENU, "report"))
    d.wait_until(lambda: report.report not in (None, shown), "the shift report")
    d.settle()
    shift = report.report.shift.id
    d.hold(d.get(routing.ADMIN_REPORT, "close_shift"), 1.3)
    return report, shift


def test_a_cashier_opens_the_admin_area_with_their_pin_but_may_not_close_the_shift_or_export(d):
    sign_in(d, "Ann", ANN_PIN)
    open_admin(d, ANN_PIN)
    assert d.get(routing.ADMIN_PIN, "prompt").text == strings.ADMIN_PIN_OR_OWN.format(name="Ann")
    d.wait_for_screen(routing.ADMIN_MENU)
    admin = d.app.controller.admin
    assert admin.signed_in == member(d, "Ann")
    menu = d.app.root.get_screen(routing.ADMIN_MENU)
    for refused in ("export", "settings"):
        menu.notice = ""
        d.tap(d.get(routing.ADMIN_MENU, refused))
        d.wait_until(lambda: "Ann may not do this" in menu.notice, f"{refused} refused")
        assert d.screen == routing.ADMIN_MENU
    report, shift = hold_close_shift(d)
    d.wait_until(lambda: "Ann may not do this" in report.notice, "closing refused")
    assert d.services.admin.shifts.current().id == shift  # still open
    admin.lock()


def test_a_manager_closes_the_shift_under_their_name_and_the_admin_pin_still_is_the_owners(d):
    sign_in(d, "Bob", BOB_PIN)
    open_admin(d, "1111")  # neither Bob's PIN nor the admin PIN: counted on the admin pad
    told = strings.ADMIN_PIN_WRONG.format(left=FREE_ATTEMPTS - 1)
    d.wait_until(lambda: d.get(routing.ADMIN_PIN, "notice").text == told, "wrong PIN counted")
    pad = d.app.root.get_screen(routing.ADMIN_PIN)
    for digit in BOB_PIN:
        d.tap(pad.keys[digit])
    d.tap(pad.keys["ok"])
    d.wait_for_screen(routing.ADMIN_MENU)
    admin = d.app.controller.admin
    assert admin.signed_in == member(d, "Bob")
    report, shift = hold_close_shift(d)
    d.wait_until(lambda: report.notice == strings.SHIFT_CLOSED, "the shift closed")
    assert d.services.admin.shifts.get(shift).closed_by == member(d, "Bob").id
    admin.lock()
    d.wait_for_screen(routing.KEYPAD)
    open_admin(d, ADMIN_PIN)  # the owner, with Bob still signed in on the till
    d.wait_for_screen(routing.ADMIN_MENU)
    assert admin.signed_in is None
    admin.lock()
