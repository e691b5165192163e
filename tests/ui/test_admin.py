"""The admin area through the real widgets, headless: PIN, lockout, history, Z-report, export, settings."""

from __future__ import annotations

import csv
import dataclasses
from types import SimpleNamespace

import pytest
from kivy.lang import global_idmap

from kiosk.config import AdminConfig
from kiosk.domain.sale import SaleState
from kiosk.services.admin_pin import FREE_ATTEMPTS
from kiosk.ui import routing, strings
from tests.ui.conftest import headless_kiosk, scratch_config

pytestmark = pytest.mark.ui
PIN = "2580"


@pytest.fixture(scope="module")
def kiosk(tmp_path_factory):
    folder = tmp_path_factory.mktemp("kiosk")
    (folder / "media").mkdir()
    admin = AdminConfig(usb_mount_root=folder / "media", export_path=folder / "exports")
    with headless_kiosk(scratch_config(folder, admin=admin)) as driver:
        yield driver


@pytest.fixture
def d(kiosk):
    kiosk.app.controller.admin.lock()
    kiosk.wait_for_screen(routing.KEYPAD)
    return kiosk


def open_pad(d) -> None:
    d.settle()  # a note that just appeared (sync, rate) moves the layout: press where the title is now
    d.hold(d.get(routing.KEYPAD, "header").ids.title, 1.7)
    d.wait_for_screen(routing.ADMIN_PIN)


def type_pin(d, pin: str) -> None:
    pad = d.app.root.get_screen(routing.ADMIN_PIN)
    for digit in pin:
        d.tap(pad.keys[digit])
    d.tap(pad.keys["ok"])


def ensure_pin(d) -> None:
    pins = d.services.admin.pin
    if not pins.is_set():
        pins.set_pin(PIN)  # as `python -m kiosk set-pin` would (tests may run alone)


def unlock(d) -> None:
    ensure_pin(d)
    open_pad(d)
    type_pin(d, PIN)
    d.wait_for_screen(routing.ADMIN_MENU)


def sell(d, *keys: str, pay: bool = True):
    keypad = d.app.root.get_screen(routing.KEYPAD)
    for key in keys:
        d.tap(keypad.keys[key])
    d.tap(d.get(routing.KEYPAD, "charge"))
    d.wait_for_screen(routing.INVOICE)
    sale = d.app.controller.followed
    if pay:
        d.tap(d.get(routing.INVOICE, "simulate"))
        d.wait_for_screen(routing.PAID)
        d.tap(d.get(routing.PAID, "new_sale"))
        d.wait_for_screen(routing.KEYPAD)
    return sale


def test_a_tap_on_the_shop_name_does_nothing_a_hold_asks_for_a_new_pin_first(d):
    with d.services.storage.database.transaction() as conn:
        conn.execute("DELETE FROM admin_pin")  # a kiosk whose PIN was never set
    d.tap(d.get(routing.KEYPAD, "header").ids.title)
    d.frames(5)
    assert d.screen == routing.KEYPAD
    open_pad(d)
    pad = d.app.root.get_screen(routing.ADMIN_PIN)
    assert d.get(routing.ADMIN_PIN, "prompt").text == strings.ADMIN_PIN_CHOOSE
    type_pin(d, "1234")
    assert "too easy" in d.get(routing.ADMIN_PIN, "notice").text
    type_pin(d, PIN)
    assert d.get(routing.ADMIN_PIN, "prompt").text == strings.ADMIN_PIN_CONFIRM
    type_pin(d, "2581")
    assert d.get(routing.ADMIN_PIN, "notice").text == strings.ADMIN_PIN_MISMATCH
    type_pin(d, PIN)
    type_pin(d, PIN)
    d.wait_for_screen(routing.ADMIN_MENU)
    assert d.services.admin.pin.verify(PIN).ok
    assert pad.dots == ""


def test_the_shop_name_opens_the_pad_even_when_kivy_holds_on_to_an_earlier_app(d):
    """kv's `app` is the first App Kivy met until that app stops; a CI run once kept a stopped one.

    The hold then ran the stopped app's controller, whose workers were gone: no PIN pad, no error.
    """
    proxy = global_idmap["app"]
    earlier = object.__getattribute__(proxy, "_obj")
    stale = SimpleNamespace(unit=d.app.unit, landscape=d.app.landscape, controller=None)
    object.__setattr__(proxy, "_obj", stale)
    try:
        open_pad(d)
    finally:
        object.__setattr__(proxy, "_obj", earlier)


def test_wrong_pins_lock_the_pad_and_it_says_how_long(d):
    ensure_pin(d)
    open_pad(d)
    assert d.get(routing.ADMIN_PIN, "prompt").text == strings.ADMIN_PIN_TITLE
    for attempt in range(1, FREE_ATTEMPTS):
        type_pin(d, "9999")
        d.wait_until(
            lambda a=attempt: (
                d.get(routing.ADMIN_PIN, "notice").text
                == strings.ADMIN_PIN_WRONG.format(left=FREE_ATTEMPTS - a)
            ),
            "wrong PIN counted",
        )
    type_pin(d, "9999")
    d.wait_until(lambda: "Try again in 0:30" in d.get(routing.ADMIN_PIN, "notice").text, "locked")
    assert d.get(routing.ADMIN_PIN, "grid").disabled
    d.wait_until(lambda: "0:29" in d.get(routing.ADMIN_PIN, "notice").text, "counts down", timeout_s=3)
    d.services.admin.pin.set_pin(PIN)  # the owner resets it from the shell
    d.tap(d.get(routing.ADMIN_PIN, "cancel"))
    d.wait_for_screen(routing.KEYPAD)
    unlock(d)


def test_history_search_and_detail(d):
    paid = sell(d, "4", "5", "0")
    unpaid = sell(d, "7", "7", "0", pay=False)
    d.hold(d.get(routing.INVOICE, "cancel"), 2.2)
    d.wait_for_screen(routing.CANCELLED)
    d.tap(d.get(routing.CANCELLED, "back"))
    unlock(d)
    d.tap(d.get(routing.ADMIN_MENU, "history"))
    d.wait_for_screen(routing.ADMIN_HISTORY)
    history = d.app.root.get_screen(routing.ADMIN_HISTORY)
    d.wait_until(lambda: history.rows and history.rows[0].text.startswith(f"#{unpaid.id}"), "newest first")
    assert history.rows[0].status == strings.STATE_CANCELLED and history.rows[0].amount == "$7.70"

    search = d.get(routing.ADMIN_HISTORY, "search")
    search.text = "4.50"
    search.dispatch("on_text_validate")
    d.wait_until(lambda: [row.text.split()[0] for row in history.rows] == [f"#{paid.id}"], "found by amount")
    d.tap(history.rows[0])
    d.wait_for_screen(routing.ADMIN_SALE)
    body = d.get(routing.ADMIN_SALE, "body").text
    assert "$4.50" in body and strings.EVENT_AWAITING in body and strings.EVENT_PRINTED in body
    assert d.app.root.get_screen(routing.ADMIN_SALE).has_receipt  # and Reprint there: test_receipt_view.py


def test_history_pages_older_and_newer(d):
    for _ in range(6):
        sell(d, "1", "0", "0")
    unlock(d)
    d.tap(d.get(routing.ADMIN_MENU, "history"))
    history = d.app.root.get_screen(routing.ADMIN_HISTORY)
    d.wait_until(lambda: len(history.rows) == 5, "a page of five")
    first = [row.text for row in history.rows]
    d.tap(d.get(routing.ADMIN_HISTORY, "older"))
    d.wait_until(lambda: [row.text for row in history.rows] != first, "next page")
    assert d.get(routing.ADMIN_HISTORY, "count").text.startswith("6–")
    d.tap(d.get(routing.ADMIN_HISTORY, "newer"))
    d.wait_until(lambda: [row.text for row in history.rows] == first, "back to the first page")
    assert d.get(routing.ADMIN_HISTORY, "newer").disabled


def test_z_report_closes_the_shift_and_prints(d):
    sale = sell(d, "3", "2", "0")
    unlock(d)
    d.tap(d.get(routing.ADMIN_MENU, "report"))
    d.wait_for_screen(routing.ADMIN_REPORT)
    report = d.app.root.get_screen(routing.ADMIN_REPORT)
    d.wait_until(lambda: report.report is not None and report.report.shift.is_open, "preview")
    assert any(s.id == sale.id for s in report.report.paid)
    d.hold(d.get(routing.ADMIN_REPORT, "close_shift"), 1.3)
    d.wait_until(lambda: report.notice == strings.SHIFT_CLOSED, "closed and printed")
    closed = report.report.shift
    assert not closed.is_open and d.get(routing.ADMIN_REPORT, "paper").texture is not None
    receipts = d.services.config.demo.receipts_dir
    assert (receipts / f"z-report-{closed.id:05d}.txt").exists()
    d.tap(d.get(routing.ADMIN_REPORT, "current"))
    d.wait_until(lambda: report.report.shift.is_open and report.report.count == 0, "a new, empty shift")
    d.tap(d.get(routing.ADMIN_REPORT, "earlier"))
    d.wait_until(lambda: report.report.shift.id == closed.id, "the closed shift again")
    d.tap(d.get(routing.ADMIN_REPORT, "print_again"))
    d.wait_until(lambda: report.notice == strings.REPORT_PRINTED, "printed again")


def test_export_test_page_and_node_status(d):
    unlock(d)
    d.tap(d.get(routing.ADMIN_MENU, "export"))
    menu = d.app.root.get_screen(routing.ADMIN_MENU)
    d.wait_until(lambda: menu.notice.startswith(tuple("0123456789")), "exported")
    exports = list(d.services.config.admin.export_path.glob("*.csv"))
    assert len(exports) == 1
    rows = list(csv.DictReader(exports[0].read_text(encoding="utf-8-sig").splitlines()))
    assert len(rows) == d.services.ledger.count_matching("")
    assert menu.notice.startswith(f"{len(rows)} sales exported to {exports[0].name}")

    d.tap(d.get(routing.ADMIN_MENU, "test_page"))
    d.wait_until(lambda: menu.notice == strings.TEST_PAGE_PRINTED, "test page")
    assert (d.services.config.demo.receipts_dir / "test-page.txt").exists()

    d.tap(d.get(routing.ADMIN_MENU, "node"))
    d.wait_for_screen(routing.ADMIN_NODE)
    d.wait_until(lambda: "Demo node" in d.get(routing.ADMIN_NODE, "body").text, "node status")
    assert "regtest" in d.get(routing.ADMIN_NODE, "body").text


def test_settings_are_applied_and_kept(d):
    unlock(d)
    d.tap(d.get(routing.ADMIN_MENU, "settings"))
    d.wait_for_screen(routing.ADMIN_SETTINGS)
    screen = d.app.root.get_screen(routing.ADMIN_SETTINGS)
    d.tap(screen.choices["merchant_copy=True"])
    d.wait_until(lambda: d.services.checkout.merchant_copy, "merchant copy on")
    d.tap(screen.choices["idle_timeout_seconds=120"])
    d.wait_until(lambda: d.app.controller.lockdown.idle_seconds == 120, "idle timeout applied")
    assert d.services.admin.settings.idle_timeout_seconds == 120
    d.tap(screen.choices["merchant_copy=False"])
    d.wait_until(lambda: not d.services.checkout.merchant_copy, "merchant copy off")
    assert not d.app.controller.tips_enabled  # the config's [tips] is off in this kiosk
    d.tap(screen.choices["tips=True"])
    d.wait_until(lambda: d.app.controller.tips_enabled, "tips on")
    d.tap(d.get(routing.ADMIN_SETTINGS, "back"))
    d.tap(d.get(routing.ADMIN_MENU, "lock"))
    d.wait_for_screen(routing.KEYPAD)
    keypad = d.app.root.get_screen(routing.KEYPAD)
    d.tap(d.get(routing.KEYPAD, "clear"))
    d.tap(keypad.keys["5"])
    d.tap(d.get(routing.KEYPAD, "charge"))
    d.wait_for_screen(routing.TIP)  # the customer is asked for a tip now
    d.tap(d.app.root.get_screen(routing.TIP).choices[0])
    d.wait_for_screen(routing.INVOICE)
    d.hold(d.get(routing.INVOICE, "cancel"), 2.2)
    d.wait_for_screen(routing.CANCELLED)
    d.tap(d.get(routing.CANCELLED, "back"))
    d.services.admin.change_settings(dataclasses.replace(d.services.admin.settings, tips=False))


def test_the_admin_area_locks_when_idle_but_an_open_invoice_stays(d):
    unlock(d)
    lockdown = d.app.controller.lockdown
    lockdown.idle_seconds = 1
    try:
        d.wait_for_screen(routing.KEYPAD, timeout_s=4)
        assert not d.app.controller.admin.unlocked
        sale = sell(d, "2", "0", "0", pay=False)
        d.frames(5)
        lockdown._last_touch -= 5  # long idle in front of the QR code
        d.wait_until(lambda: lockdown.idle_for_s() < 1, "the idle check ran")
        assert d.screen == routing.INVOICE
    finally:
        lockdown.idle_seconds = 60
    # The idle limit is back to normal first: at 1 s it could leave the Cancelled screen before it is seen.
    d.hold(d.get(routing.INVOICE, "cancel"), 2.2)
    d.wait_for_screen(routing.CANCELLED)
    assert d.services.ledger.get(sale.id).state is SaleState.CANCELLED
    d.tap(d.get(routing.CANCELLED, "back"))


def test_a_tap_on_cancel_only_explains_and_escape_does_not_quit(d):
    from kivy.core.window import Window

    sell(d, "2", "2", "0", pay=False)
    d.tap(d.get(routing.INVOICE, "cancel"))
    assert d.screen == routing.INVOICE
    assert d.get(routing.INVOICE, "prompt").text == strings.HOLD_TO_CANCEL
    assert Window.dispatch("on_keyboard", 27, 41, None, []) is True
    assert Window.dispatch("on_request_close") is True
    d.frames(3)
    assert d.screen == routing.INVOICE
    d.hold(d.get(routing.INVOICE, "cancel"), 2.2)
    d.wait_for_screen(routing.CANCELLED)
    d.tap(d.get(routing.CANCELLED, "back"))


def test_switching_the_language_in_the_settings_rebuilds_the_screens_and_is_kept(d):
    unlock(d)
    d.tap(d.get(routing.ADMIN_MENU, "settings"))
    d.wait_for_screen(routing.ADMIN_SETTINGS)
    try:
        d.tap(d.app.root.get_screen(routing.ADMIN_SETTINGS).choices["language=zh_CN"])
        d.wait_until(lambda: d.get(routing.ADMIN_SETTINGS, "back").text == "返回", "settings in Chinese")
        assert d.screen == routing.ADMIN_SETTINGS and d.app.controller.admin.unlocked
        assert d.services.admin.settings.language == "zh_CN"
        d.tap(d.get(routing.ADMIN_SETTINGS, "back"))
        d.wait_for_screen(routing.ADMIN_MENU)
        assert d.get(routing.ADMIN_MENU, "history").text == "交易记录"
        d.tap(d.get(routing.ADMIN_MENU, "settings"))
        d.wait_for_screen(routing.ADMIN_SETTINGS)
    finally:
        d.tap(d.app.root.get_screen(routing.ADMIN_SETTINGS).choices["language=en"])
        d.wait_until(lambda: d.get(routing.ADMIN_SETTINGS, "back").text == "Back", "back in English")
