"""The tour's steps: a whole shift's worth of sales, tapped through the real UI.

In the config's `ui.language`: every step taps real widgets and waits for the
screen the cashier would see, then saves it as DIR/NN-name.png. Any step that
does not reach its screen in time raises NotReached (the tour exits 1).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from kiosk.domain.money import format_sats
from kiosk.i18n import _
from kiosk.services.admin_pin import FREE_ATTEMPTS
from kiosk.services.tap_to_pay import TapNews, TapState
from kiosk.ui import routing, strings
from tools.tour.cashiers import cashiers
from tools.tour.discounts import discounts
from tools.tour.driving import Driver
from tools.tour.parts import NODE_DELAY_S, TourNode, TourPrinter
from tools.tour.refunds import refund
from tools.tour.shop_day import shop_day
from tools.tour.vat_receipt import vat_receipt


def tour(d: Driver, node: TourNode, printer: TourPrinter, out: Path) -> None:
    """From the keypad (after the setup page) to the admin area locked again, then a cashier signed in
    who gives a discount."""
    keypad = d.app.root.get_screen(routing.KEYPAD)

    def key(*keys: str) -> None:
        for k in keys:
            d.tap(keypad.keys[k])

    def shot(name: str) -> None:
        d.screenshot(out / f"{name}.png")

    def expect(screen: str, widget_id: str, text: str) -> None:
        d.wait_until(lambda: d.get(screen, widget_id).text == text, f"{screen}.{widget_id} == {text!r}")

    def charge() -> None:
        """Tap Charge; where the shop asks for tips, the customer says no tip."""
        d.tap(d.get(routing.KEYPAD, "charge"))
        if d.app.controller.tips_enabled:
            d.wait_for_screen(routing.TIP)
            d.tap(d.app.root.get_screen(routing.TIP).choices[0])

    d.wait_for_screen(routing.KEYPAD)
    shot("01-keypad")
    key("1", "2", "5", "0")
    expect(routing.KEYPAD, "amount", "$12.50")
    shot("02-amount")
    d.tap(d.get(routing.KEYPAD, "sats_toggle"))
    key("2", "1", "0", "0", "0")
    expect(routing.KEYPAD, "amount", format_sats(21_000_000))
    shot("03-amount-sats")
    d.tap(d.get(routing.KEYPAD, "fiat_toggle"))
    key("1", "2", "5", "0")

    # A sale, paid.
    charge()
    d.wait_for_screen(routing.CREATING)
    shot("04-creating")
    d.wait_for_screen(routing.INVOICE)
    d.wait_until(lambda: d.get(routing.INVOICE, "qr").module_px > 0, "QR drawn")
    shot("05-invoice")
    _tap_to_pay(d, shot)
    d.tap(d.get(routing.INVOICE, "simulate"))
    d.wait_for_screen(routing.PAID)
    expect(routing.PAID, "receipt", strings.RECEIPT_PRINTED)
    shot("06-paid")
    d.tap(d.get(routing.PAID, "new_sale"))
    d.wait_for_screen(routing.KEYPAD)

    # A sale cancelled, which the customer pays anyway.
    key("4", "5", "0")
    charge()
    d.wait_for_screen(routing.INVOICE, timeout_s=NODE_DELAY_S + 10)
    sale = d.app.controller.followed
    d.hold(d.get(routing.INVOICE, "cancel"), 2.2)
    d.wait_for_screen(routing.CANCELLED)
    shot("07-cancelled")
    assert sale is not None and sale.payment_hash
    node.pay(sale.payment_hash)
    d.wait_for_screen(routing.PAID_LATE)
    expect(routing.PAID_LATE, "receipt", strings.RECEIPT_PRINTED)
    shot("08-paid-late")
    d.tap(d.get(routing.PAID_LATE, "acknowledge"))
    d.wait_for_screen(routing.KEYPAD)

    # Amounts the kiosk refuses, and a node that does not answer.
    d.tap(d.get(routing.KEYPAD, "clear"))
    key("9", "9", "9", "0", "0")
    d.wait_until(lambda: bool(d.get(routing.KEYPAD, "problem").text), "over-limit message")
    shot("09-over-limit")
    d.tap(d.get(routing.KEYPAD, "clear"))
    key("2", "0", "0", "0")
    node.unreachable = True
    charge()
    d.wait_for_screen(routing.ERROR, timeout_s=NODE_DELAY_S + 10)
    shot("10-error")
    d.tap(d.get(routing.ERROR, "back"))
    d.wait_for_screen(routing.KEYPAD)

    # The node is back, but the printer runs out of paper: the receipts wait, and the cashier sees why.
    node.unreachable = False
    printer.paper_out = True
    d.tap(d.get(routing.KEYPAD, "clear"))
    key("8", "0", "0")
    charge()
    d.wait_for_screen(routing.INVOICE, timeout_s=NODE_DELAY_S + 10)
    d.tap(d.get(routing.INVOICE, "simulate"))
    d.wait_for_screen(routing.PAID)
    d.tap(d.get(routing.PAID, "reprint"))
    expect(routing.PAID, "receipt", strings.RECEIPT_WAITING.format(why=_("The printer is out of paper")))
    expect(routing.PAID, "printer.title", strings.PRINTER_WAITING_MANY.format(count=2))
    shot("11-printer-waiting")
    printer.paper_out = False
    d.tap(d.get(routing.PAID, "printer.retry"))
    expect(routing.PAID, "receipt", strings.RECEIPT_PRINTED)
    d.wait_until(lambda: not d.get(routing.PAID, "printer").view.visible, "printer strip hidden")
    d.tap(d.get(routing.PAID, "new_sale"))
    d.wait_for_screen(routing.KEYPAD)
    _catalog_and_tip(d, shot)
    d.tap(d.get(routing.CATALOG, "keypad"))
    d.wait_for_screen(routing.KEYPAD)
    shop_day(d, shot)
    _admin(d, shot)
    cashiers(d, shot)
    discounts(d, shot)


def _tap_to_pay(d: Driver, shot: Callable[[str], None]) -> None:
    """With a card reader ([nfc]): the prompt, then a card read and being paid.

    The tour has no reader: it hands the controller the news the tap service sends (as the
    bridge does), so the screens are the real ones; the tap itself is tested in tests/nfc.
    """
    controller = d.app.controller
    sale = controller.followed
    assert sale is not None
    controller.on_tap(TapNews(TapState.READY, reader_present=True))
    d.wait_until(lambda: d.get(routing.INVOICE, "prompt").text == strings.SCAN_OR_TAP, "tap prompt")
    shot("05b-tap-to-pay")
    controller.on_tap(TapNews(TapState.PAYING, True, sale.id, _("Card read, paying…")))
    d.wait_until(lambda: d.get(routing.INVOICE, "prompt").text == _("Card read, paying…"), "card read")
    shot("05c-card-read")


def _catalog_and_tip(d: Driver, shot: Callable[[str], None]) -> None:
    """A cart from the catalog, and a tip the customer types."""
    d.tap(d.get(routing.KEYPAD, "products"))
    d.wait_for_screen(routing.CATALOG)
    catalog = d.app.root.get_screen(routing.CATALOG)
    first, second, *_ = catalog.products
    for product in (first, first, second):
        d.tap(catalog.tiles[product])
    bakery = next((p for p in catalog.products if p.category != first.category), None)
    if bakery is not None:
        d.tap(catalog.tabs[bakery.category])
        d.tap(catalog.tiles[bakery])
    d.wait_until(lambda: catalog.can_charge, "a cart that can be charged")
    shot("12-catalog")
    d.tap(d.get(routing.CATALOG, "charge"))
    d.wait_for_screen(routing.TIP)
    shot("13-tip")
    d.tap(d.get(routing.TIP, "other"))
    d.wait_for_screen(routing.TIP_AMOUNT)
    tip_keys = d.app.root.get_screen(routing.TIP_AMOUNT).keys
    for k in ("1", "5", "0"):
        d.tap(tip_keys[k])
    shot("14-tip-amount")
    d.tap(d.get(routing.TIP_AMOUNT, "add_tip"))
    d.wait_for_screen(routing.INVOICE, timeout_s=NODE_DELAY_S + 10)
    d.wait_until(lambda: d.get(routing.INVOICE, "qr").module_px > 0, "QR drawn")
    shot("15-invoice-tip")
    d.tap(d.get(routing.INVOICE, "simulate"))
    d.wait_for_screen(routing.PAID)
    d.tap(d.get(routing.PAID, "new_sale"))
    d.wait_for_screen(routing.CATALOG)


TOUR_PIN = "2580"


def _admin(d: Driver, shot: Callable[[str], None]) -> None:
    """The end of the day: the admin area behind its PIN, the history, the Z-report, the CSV."""
    pad = d.app.root.get_screen(routing.ADMIN_PIN)

    def type_pin(pin: str) -> None:
        for digit in pin:
            d.tap(pad.keys[digit])
        d.tap(pad.keys["ok"])

    def open_pad() -> None:
        d.hold(d.get(routing.KEYPAD, "header").ids.title, 1.7)
        d.wait_for_screen(routing.ADMIN_PIN)

    # First use: the merchant chooses the PIN on the pad, typed twice.
    open_pad()
    for digit in TOUR_PIN[:3]:
        d.tap(pad.keys[digit])
    shot("16-admin-pin")
    d.tap(pad.keys[TOUR_PIN[3]])
    d.tap(pad.keys["ok"])
    type_pin(TOUR_PIN)
    d.wait_for_screen(routing.ADMIN_MENU)
    d.tap(d.get(routing.ADMIN_MENU, "lock"))
    d.wait_for_screen(routing.KEYPAD)

    # Someone tries to guess it: after five wrong PINs the pad locks and says how long.
    open_pad()
    for attempt in range(1, FREE_ATTEMPTS):
        type_pin("9999")
        told = strings.ADMIN_PIN_WRONG.format(left=FREE_ATTEMPTS - attempt)
        d.wait_until(lambda told=told: pad.notice == told, f"wrong PIN {attempt} answered")
    type_pin("9999")
    d.wait_until(lambda: pad.locked_for_s > 0, "the pad locks")
    shot("17-admin-locked")
    d.services.admin.pin.set_pin(TOUR_PIN)  # the owner resets it: python -m kiosk set-pin
    d.tap(d.get(routing.ADMIN_PIN, "cancel"))
    d.wait_for_screen(routing.KEYPAD)
    open_pad()
    type_pin(TOUR_PIN)
    d.wait_for_screen(routing.ADMIN_MENU)
    shot("18-admin-menu")

    # Every sale of the day, and one of them in full.
    d.tap(d.get(routing.ADMIN_MENU, "history"))
    history = d.app.root.get_screen(routing.ADMIN_HISTORY)
    d.wait_until(lambda: bool(history.rows), "the sales history")
    shot("19-history")
    late = next(sale for sale in d.services.ledger.search(limit=100) if sale.settled_late)
    d.app.controller.admin.open_sale(late.id)  # the tap on its row, wherever the row is
    d.wait_for_screen(routing.ADMIN_SALE)
    d.wait_until(lambda: d.get(routing.ADMIN_SALE, "body").text != "", "the sale's detail")
    shot("20-sale-detail")
    vat_receipt(d, shot)
    refund(d, shot)
    d.tap(d.get(routing.ADMIN_SALE, "back"))
    d.wait_for_screen(routing.ADMIN_HISTORY)
    d.tap(d.get(routing.ADMIN_HISTORY, "back"))

    # The Z-report, then the shift closed and its report printed.
    d.tap(d.get(routing.ADMIN_MENU, "report"))
    report = d.app.root.get_screen(routing.ADMIN_REPORT)
    d.wait_until(lambda: report.report is not None, "the shift report")
    shot("21-shift-report")
    d.hold(d.get(routing.ADMIN_REPORT, "close_shift"), 1.3)
    d.wait_until(lambda: report.notice == strings.SHIFT_CLOSED, "the shift closed and printed")
    shot("22-shift-closed")
    d.tap(d.get(routing.ADMIN_REPORT, "back"))

    d.tap(d.get(routing.ADMIN_MENU, "export"))
    menu = d.app.root.get_screen(routing.ADMIN_MENU)
    d.wait_until(lambda: menu.notice not in ("", strings.ADMIN_WORKING), "the export")
    shot("23-export-done")
    d.tap(d.get(routing.ADMIN_MENU, "node"))
    d.wait_until(lambda: d.get(routing.ADMIN_NODE, "body").text != "", "the node status")
    shot("24-node-status")
    d.tap(d.get(routing.ADMIN_NODE, "back"))
    d.tap(d.get(routing.ADMIN_MENU, "settings"))
    d.wait_for_screen(routing.ADMIN_SETTINGS)
    shot("25-settings")
    d.tap(d.get(routing.ADMIN_SETTINGS, "back"))
    d.tap(d.get(routing.ADMIN_MENU, "lock"))
    d.wait_for_screen(routing.KEYPAD)
