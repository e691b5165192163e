"""The real app in a headless window, driven by taps on its real widgets.

Kivy opens one window per process, so one app serves the whole module; each
test starts from a fresh keypad.
"""

from __future__ import annotations

import dataclasses
from decimal import Decimal

import bolt11
import pytest
from PIL import Image

from kiosk.config import DEMO_CATALOG, CatalogConfig
from kiosk.domain.money import currency
from kiosk.domain.sale import SaleState
from kiosk.services.print_jobs import JobState
from kiosk.services.qr import payment_uri, qr_matrix
from kiosk.services.rates import DemoRate, RateStatus
from kiosk.ui import routing, strings
from kiosk.wiring import configured_printer
from tests.ui.conftest import headless_kiosk, scratch_config
from tools.tour.parts import NODE_ADDRESS, NODE_DELAY_S, TourNode, TourPrinter

pytestmark = pytest.mark.ui


class SwitchableNode(TourNode):
    """The demo node, quick, that a test can make unreachable or crash (a bug: not a KioskError)."""

    def __init__(self) -> None:
        super().__init__(delay_s=0)
        self.crashes = False

    def create_invoice(self, amount_msat: int, memo: str, expiry_s: int, *, sale_id: int | None = None):
        if self.crashes:
            raise RuntimeError("disk I/O error")
        return super().create_invoice(amount_msat, memo, expiry_s, sale_id=sale_id)


class GoesStale:
    """A rate source whose rate expires while the customer thinks about the tip."""

    def __init__(self, real) -> None:
        self.real = real
        self.stale = False

    def current(self):
        return None if self.stale else self.real.current()

    def status(self):
        if self.stale:
            return RateStatus(False, "No fresh exchange rate (last 6 min ago): fiat charging is off", 360)
        return self.real.status()

    def close(self) -> None:
        self.real.close()


@pytest.fixture(scope="module")
def kiosk(tmp_path_factory):
    """One app for the module, built with the stand-ins its tests switch: node, printer, rate."""
    folder = tmp_path_factory.mktemp("kiosk")
    config = scratch_config(folder, catalog=CatalogConfig(DEMO_CATALOG))
    parts = {
        "backend": SwitchableNode(),
        "printer": TourPrinter(configured_printer(config)),
        "rates": GoesStale(DemoRate(config.demo.btc_price, currency("USD"))),
    }
    with headless_kiosk(config, **parts) as driver:
        yield driver


@pytest.fixture
def d(kiosk):
    kiosk.app.controller.new_sale()
    kiosk.app.controller.show_keypad()
    kiosk.wait_for_screen(routing.KEYPAD)
    return kiosk


@pytest.fixture
def tips(d, monkeypatch):
    """The shop asks for tips (the default presets 10, 15, 20 %, and a typed amount)."""
    # Whether to ask is a device setting ([tips] enabled is its default): on for these tests.
    admin = d.services.admin
    monkeypatch.setattr(admin, "settings", dataclasses.replace(admin.settings, tips=True))
    return d


def keys(d, *pressed: str) -> None:
    keypad = d.app.root.get_screen(routing.KEYPAD)
    for key in pressed:
        d.tap(keypad.keys[key])


def text(d, screen: str, widget_id: str) -> str:
    return d.get(screen, widget_id).text


def charge_to_invoice(d, *pressed: str):
    keys(d, *pressed)
    d.tap(d.get(routing.KEYPAD, "charge"))
    d.wait_for_screen(routing.INVOICE)
    return d.app.controller.followed


def test_keypad_shows_amount_equivalent_and_enables_charge(d):
    assert d.screen == routing.KEYPAD
    assert not d.get(routing.KEYPAD, "printer").view.visible
    # "Reprint last" only once a sale is paid (the module's ledger starts empty).
    paid = any(sale.state.is_paid for sale in d.services.ledger.sales())
    assert d.get(routing.KEYPAD, "reprint_last").disabled is not paid
    assert text(d, routing.KEYPAD, "amount") == "$0.00"
    assert d.get(routing.KEYPAD, "charge").disabled
    keys(d, "1", "2", "5", "0")
    assert text(d, routing.KEYPAD, "amount") == "$12.50"
    assert text(d, routing.KEYPAD, "equivalent") == "≈ 13,157 sats"
    assert text(d, routing.KEYPAD, "rate_note") == "1 BTC = $95,000.00 · Demo rate: not a market price"
    assert not d.get(routing.KEYPAD, "charge").disabled
    keys(d, "back", "00")
    assert text(d, routing.KEYPAD, "amount") == "$125.00"
    d.tap(d.get(routing.KEYPAD, "clear"))
    assert text(d, routing.KEYPAD, "amount") == "$0.00"


def test_keys_are_big_enough_to_hit(d):
    keypad = d.app.root.get_screen(routing.KEYPAD)
    for button in [*keypad.keys.values(), d.get(routing.KEYPAD, "charge"), d.get(routing.KEYPAD, "clear")]:
        assert min(button.size) >= 64, button.text


def test_currency_toggle_switches_to_sats(d):
    d.tap(d.get(routing.KEYPAD, "sats_toggle"))
    keys(d, "2", "1", "0", "0", "0")
    assert text(d, routing.KEYPAD, "amount") == "21,000 sats"
    assert text(d, routing.KEYPAD, "equivalent") == "≈ $19.95"
    d.tap(d.get(routing.KEYPAD, "fiat_toggle"))
    assert text(d, routing.KEYPAD, "amount") == "$0.00"


def test_over_the_limit_is_explained_on_the_keypad(d):
    keys(d, "9", "9", "9", "0", "0")
    assert "limit of 1,000,000 sats" in text(d, routing.KEYPAD, "problem")
    assert d.get(routing.KEYPAD, "charge").disabled


def test_invoice_shows_amounts_a_crisp_qr_and_a_running_countdown(d, tmp_path):
    sale = charge_to_invoice(d, "1", "2", "5", "0")
    assert text(d, routing.INVOICE, "headline") == "$12.50"
    assert text(d, routing.INVOICE, "second_line") == "13,157 sats"

    qr = d.get(routing.INVOICE, "qr")
    matrix = qr_matrix(payment_uri(sale.invoice.bolt11))
    n = len(matrix)
    assert tuple(qr.texture.size) == (n, n)
    assert qr.module_px >= 3
    x, y, side, _ = qr.drawn_rect
    assert side == n * qr.module_px and side <= min(qr.size)
    # Every module on screen is pure black or white and matches the code.
    shot = Image.open(d.screenshot(tmp_path / "invoice.png")).convert("L")
    top = shot.height - y - side
    for row in range(n):
        for col in range(n):
            px = shot.getpixel(
                (x + col * qr.module_px + qr.module_px // 2, top + row * qr.module_px + qr.module_px // 2)
            )
            assert px == (0 if matrix[row][col] else 255), (row, col, px)

    first = text(d, routing.INVOICE, "countdown")
    assert first.startswith("Expires in 0")
    d.wait_until(lambda: text(d, routing.INVOICE, "countdown") != first, "countdown ticks", timeout_s=3)


def test_simulated_payment_reaches_paid_and_receipt_printed(d):
    charge_to_invoice(d, "4", "2", "0")
    d.tap(d.get(routing.INVOICE, "simulate"))
    d.wait_for_screen(routing.PAID)
    assert text(d, routing.PAID, "headline") == "$4.20"
    d.wait_until(lambda: text(d, routing.PAID, "receipt") == strings.RECEIPT_PRINTED, "receipt printed")
    receipts = d.services.config.demo.receipts_dir
    assert any(receipts.glob(f"sale-{d.app.controller.followed.id:06d}*"))
    d.tap(d.get(routing.PAID, "new_sale"))
    d.wait_for_screen(routing.KEYPAD)
    assert text(d, routing.KEYPAD, "amount") == "$0.00"


def test_paid_screen_returns_to_the_keypad_by_itself(d):
    charge_to_invoice(d, "1", "0", "0")
    d.tap(d.get(routing.INVOICE, "simulate"))
    d.wait_for_screen(routing.PAID)
    paid = d.app.root.get_screen(routing.PAID)
    paid.seconds_left = 1  # skip the wait: the next tick is the last
    d.wait_for_screen(routing.KEYPAD, timeout_s=3)


def test_late_payment_raises_the_alarm_even_on_the_keypad(d):
    sale = charge_to_invoice(d, "3", "0", "0")
    d.hold(d.get(routing.INVOICE, "cancel"), 2.2)
    d.wait_for_screen(routing.CANCELLED)
    assert text(d, routing.CANCELLED, "title") == strings.CANCELLED_TITLE
    d.tap(d.get(routing.CANCELLED, "back"))
    d.wait_for_screen(routing.KEYPAD)

    d.services.backend.pay(sale.payment_hash)  # the customer pays anyway
    d.wait_for_screen(routing.PAID_LATE)
    assert f"Sale #{sale.id}" in text(d, routing.PAID_LATE, "body")
    assert "$3.00" in text(d, routing.PAID_LATE, "headline")
    d.tap(d.get(routing.PAID_LATE, "acknowledge"))
    d.wait_for_screen(routing.KEYPAD)
    d.frames(10)  # the late sale's receipt must not bring the alarm back
    assert d.screen == routing.KEYPAD


def test_node_failure_shows_message_and_next_step(d):
    node = d.services.backend
    node.unreachable, node.delay_s = True, NODE_DELAY_S  # a slow "no": the creating screen shows first
    try:
        keys(d, "5", "0", "0")
        d.tap(d.get(routing.KEYPAD, "charge"))
        assert d.screen == routing.CREATING
        d.wait_for_screen(routing.ERROR)
    finally:
        node.unreachable, node.delay_s = False, 0
    assert text(d, routing.ERROR, "title") == f"Cannot connect to {NODE_ADDRESS}"
    assert text(d, routing.ERROR, "body").startswith("Check that the node is running")
    d.tap(d.get(routing.ERROR, "back"))
    d.wait_for_screen(routing.KEYPAD)
    assert text(d, routing.KEYPAD, "amount") == "$5.00"  # kept, to try again


def test_a_crash_in_the_background_still_gives_the_cashier_a_way_out(d):
    node = d.services.backend
    node.crashes = True
    try:
        keys(d, "7", "0", "0")
        d.tap(d.get(routing.KEYPAD, "charge"))
        d.wait_for_screen(routing.ERROR)
    finally:
        node.crashes = False
    assert text(d, routing.ERROR, "title") == "Unexpected error while making the invoice (RuntimeError)"
    assert text(d, routing.ERROR, "body").startswith("Nothing was charged. Try again")
    d.tap(d.get(routing.ERROR, "back"))
    d.wait_for_screen(routing.KEYPAD)


@pytest.fixture
def paper_out(d):
    """The printer runs out of paper for the test: every receipt fails with PrinterError."""
    queue = d.services.checkout.print_queue
    printer = queue.printer
    printer.paper_out = True
    yield printer
    printer.paper_out = False
    queue.retry_now()
    d.wait_until(lambda: not d.get(routing.KEYPAD, "printer").view.visible, "printer back")


def strip(d, screen: str) -> tuple[str, str]:
    return text(d, screen, "printer.title"), text(d, screen, "printer.message")


def test_printer_out_of_paper_shows_why_and_the_receipt_prints_once_it_is_back(d, paper_out):
    queue = d.services.checkout.print_queue
    sale = charge_to_invoice(d, "6", "0", "0")
    d.tap(d.get(routing.INVOICE, "simulate"))
    d.wait_for_screen(routing.PAID)
    d.wait_until(lambda: d.get(routing.PAID, "printer").view.visible, "printer strip on the paid screen")
    title, message = strip(d, routing.PAID)
    assert title == "1 receipt waiting for the printer"
    assert message == queue.status().message
    assert message.startswith("The printer is out of paper. Put in a new roll")
    assert d.get(routing.PAID, "printer").height > 0
    d.wait_until(
        lambda: text(d, routing.PAID, "receipt") == "Receipt waiting: The printer is out of paper",
        "receipt line says why",
    )

    d.tap(d.get(routing.PAID, "new_sale"))
    d.wait_for_screen(routing.KEYPAD)
    assert strip(d, routing.KEYPAD) == (title, message)
    assert d.services.ledger.get(sale.id).state is SaleState.PAID

    paper_out.paper_out = False  # a new roll goes in; the cashier taps "Print now"
    d.tap(d.get(routing.KEYPAD, "printer.retry"))
    d.wait_until(lambda: not d.get(routing.KEYPAD, "printer").view.visible, "strip hidden")
    assert d.get(routing.KEYPAD, "printer").height == 0
    d.wait_until(lambda: d.services.ledger.get(sale.id).state is SaleState.RECEIPT_PRINTED, "printed")
    receipts = d.services.config.demo.receipts_dir
    assert (receipts / f"sale-{sale.id:06d}.txt").exists()


def test_reprint_on_a_failing_printer_adds_a_waiting_receipt(d, paper_out):
    sale = charge_to_invoice(d, "6", "5", "0")
    d.tap(d.get(routing.INVOICE, "simulate"))
    d.wait_for_screen(routing.PAID)
    d.wait_until(lambda: text(d, routing.PAID, "printer.title").startswith("1 receipt"), "one waiting")
    d.tap(d.get(routing.PAID, "reprint"))
    d.wait_until(lambda: text(d, routing.PAID, "printer.title").startswith("2 receipts"), "two waiting")
    jobs = d.services.checkout.print_queue.jobs(sale.id)
    assert [(job.reprint, job.state is JobState.PRINTED) for job in jobs] == [(False, False), (True, False)]


def test_reprint_on_the_paid_screen_prints_the_sale_again(d):
    queue = d.services.checkout.print_queue
    sale = charge_to_invoice(d, "2", "2", "0")
    d.tap(d.get(routing.INVOICE, "simulate"))
    d.wait_for_screen(routing.PAID)
    d.wait_until(lambda: text(d, routing.PAID, "receipt") == strings.RECEIPT_PRINTED, "first receipt")
    receipt = d.services.config.demo.receipts_dir / f"sale-{sale.id:06d}.txt"
    receipt.unlink()
    d.tap(d.get(routing.PAID, "reprint"))
    d.wait_until(receipt.exists, "reprinted receipt in the demo folder")
    d.wait_until(lambda: all(job.state is JobState.PRINTED for job in queue.jobs(sale.id)), "job done")
    assert [job.reprint for job in queue.jobs(sale.id)] == [False, True]
    assert text(d, routing.PAID, "receipt") == strings.RECEIPT_PRINTED


def test_reprint_last_on_the_keypad_prints_the_newest_paid_sale(d):
    queue = d.services.checkout.print_queue
    sale = charge_to_invoice(d, "3", "3", "0")
    d.tap(d.get(routing.INVOICE, "simulate"))
    d.wait_for_screen(routing.PAID)
    d.tap(d.get(routing.PAID, "new_sale"))
    d.wait_for_screen(routing.KEYPAD)
    button = d.get(routing.KEYPAD, "reprint_last")
    assert not button.disabled and button.opacity == 1
    d.tap(button)
    d.wait_until(lambda: any(job.reprint for job in queue.jobs(sale.id)), "reprint queued")
    d.wait_until(lambda: all(job.state is JobState.PRINTED for job in queue.jobs(sale.id)), "reprinted")


def test_late_payment_alarm_shows_the_printer_strip_too(d, paper_out, tmp_path):
    sale = charge_to_invoice(d, "4", "4", "0")
    d.hold(d.get(routing.INVOICE, "cancel"), 2.2)
    d.wait_for_screen(routing.CANCELLED)
    d.services.backend.pay(sale.payment_hash)
    d.wait_for_screen(routing.PAID_LATE)
    d.wait_until(lambda: d.get(routing.PAID_LATE, "printer").view.visible, "strip on the alarm")
    d.wait_until(
        lambda: text(d, routing.PAID_LATE, "receipt") == "Receipt waiting: The printer is out of paper",
        "receipt line says why",
    )
    # Everything fits on the 480 px screen: the button stays whole and below the strip.
    button = d.get(routing.PAID_LATE, "acknowledge")
    assert button.y >= 0 and button.top <= d.get(routing.PAID_LATE, "printer").y
    d.screenshot(tmp_path / "paid-late-waiting.png")
    d.tap(button)
    d.wait_for_screen(routing.KEYPAD)


def product(d, name: str):
    catalog = d.app.root.get_screen(routing.CATALOG)
    return catalog.tiles[next(p for p in catalog.products if p.name == name)]


def test_a_cart_from_the_catalog_is_charged_with_its_items(d):
    d.tap(d.get(routing.KEYPAD, "products"))
    d.wait_for_screen(routing.CATALOG)
    for name in ("Latte", "Latte", "Croissant", "Espresso"):
        d.tap(product(d, name))
    assert text(d, routing.CATALOG, "amount") == "$12.60"
    catalog = d.app.root.get_screen(routing.CATALOG)
    espresso_row = next(row for row in d.get(routing.CATALOG, "lines").children if "Espresso" in row.label)
    d.get(routing.CATALOG, "lines").parent.scroll_to(espresso_row, animate=False)  # two lines show
    d.frames(2)
    d.tap(espresso_row.ids.minus)  # the cashier changes their mind
    assert [row.label for row in reversed(d.get(routing.CATALOG, "lines").children)] == [
        "2× Latte",
        "1× Croissant",
    ]
    assert text(d, routing.CATALOG, "amount") == "$10.20"
    assert product(d, "Latte").in_cart == 2

    d.tap(d.get(routing.CATALOG, "charge"))
    d.wait_for_screen(routing.INVOICE)
    sale = d.services.ledger.get(d.app.controller.followed.id)
    assert sale.fiat_amount == Decimal("10.20") and sale.tip_msat == 0
    assert [(i.name, i.quantity, i.unit_price) for i in sale.items] == [
        ("Latte", 2, Decimal("3.50")),
        ("Croissant", 1, Decimal("3.20")),
    ]
    assert sale.memo == "Demo Café: 2× Latte, 1× Croissant"
    assert bolt11.decode(sale.invoice.bolt11).description == sale.memo
    d.tap(d.get(routing.INVOICE, "simulate"))
    d.wait_for_screen(routing.PAID)
    d.tap(d.get(routing.PAID, "new_sale"))
    d.wait_for_screen(routing.CATALOG)  # back where the cashier rings up, with an empty cart
    assert catalog.cart.is_empty and text(d, routing.CATALOG, "amount") == "$0.00"


def test_catalog_categories_filter_the_grid(d):
    d.tap(d.get(routing.KEYPAD, "products"))
    d.wait_for_screen(routing.CATALOG)
    catalog = d.app.root.get_screen(routing.CATALOG)
    bakery = catalog.tabs["Bakery"]
    bakery.parent.parent.scroll_to(bakery, padding=0, animate=False)  # the tab strip scrolls: swipe to it
    d.frames(3)
    d.tap(bakery)
    d.wait_until(lambda: catalog.category == "Bakery", "the Bakery tab chosen")
    shown = {tile.name for tile in d.get(routing.CATALOG, "products").children}
    assert shown == {p.name for p in catalog.products if p.category == "Bakery"}
    everything = catalog.tabs[strings.ALL_PRODUCTS]
    everything.parent.parent.scroll_to(everything, padding=0, animate=False)
    d.frames(3)
    d.tap(everything)
    d.wait_until(lambda: catalog.category == strings.ALL_PRODUCTS, "the All tab chosen")
    assert len(d.get(routing.CATALOG, "products").children) == len(catalog.products)
    d.tap(d.get(routing.CATALOG, "keypad"))
    d.wait_for_screen(routing.KEYPAD)


def test_a_preset_tip_is_charged_and_recorded_on_its_own(tips):
    d = tips
    keys(d, "1", "0", "0", "0")
    d.tap(d.get(routing.KEYPAD, "charge"))
    d.wait_for_screen(routing.TIP)
    screen = d.app.root.get_screen(routing.TIP)
    assert [(b.label, b.detail) for b in screen.choices] == [
        (strings.NO_TIP, "+ $0.00"),
        ("10%", "+ $1.00"),
        ("15%", "+ $1.50"),
        ("20%", "+ $2.00"),
    ]
    d.tap(screen.choices[2])
    d.wait_for_screen(routing.INVOICE)
    assert text(d, routing.INVOICE, "headline") == "$11.50"
    sale = d.services.ledger.get(d.app.controller.followed.id)
    assert (sale.fiat_amount, sale.tip_fiat) == (Decimal("11.50"), Decimal("1.50"))
    assert sale.tip_msat == 12_105_000 - 10_526_000  # $11.50 and $10.00 at 95,000, each rounded down
    assert bolt11.decode(sale.invoice.bolt11).amount_msat == sale.amount_msat == 12_105_000
    d.hold(d.get(routing.INVOICE, "cancel"), 2.2)
    d.wait_for_screen(routing.CANCELLED)


def test_a_typed_tip_and_the_way_back(tips):
    d = tips
    keys(d, "5", "0", "0")
    d.tap(d.get(routing.KEYPAD, "charge"))
    d.wait_for_screen(routing.TIP)
    d.tap(d.get(routing.TIP, "back"))
    d.wait_for_screen(routing.KEYPAD)
    assert text(d, routing.KEYPAD, "amount") == "$5.00"  # nothing lost on the way back
    d.tap(d.get(routing.KEYPAD, "charge"))
    d.wait_for_screen(routing.TIP)
    d.tap(d.get(routing.TIP, "other"))
    d.wait_for_screen(routing.TIP_AMOUNT)
    assert d.get(routing.TIP_AMOUNT, "add_tip").disabled
    tip_keys = d.app.root.get_screen(routing.TIP_AMOUNT).keys
    for k in ("9", "9", "9"):  # a tip above the amount itself is not taken: $9.99 > $5.00
        d.tap(tip_keys[k])
    assert text(d, routing.TIP_AMOUNT, "amount") == "$0.99"
    assert text(d, routing.TIP_AMOUNT, "summary") == "$5.00 + $0.99 tip = $5.99"
    d.tap(d.get(routing.TIP_AMOUNT, "add_tip"))
    d.wait_for_screen(routing.INVOICE)
    sale = d.services.ledger.get(d.app.controller.followed.id)
    assert (sale.fiat_amount, sale.tip_fiat) == (Decimal("5.99"), Decimal("0.99"))
    d.hold(d.get(routing.INVOICE, "cancel"), 2.2)
    d.wait_for_screen(routing.CANCELLED)


@pytest.fixture
def rates(d):
    """The module's rate source (GoesStale), fresh again after the test."""
    yield d.services.rates
    d.services.rates.stale = False


def test_a_rate_that_goes_stale_on_the_tip_screen_stops_the_sale_before_any_invoice(tips, rates):
    d = tips
    assert text(d, routing.KEYPAD, "rate_note") == "1 BTC = $95,000.00 · Demo rate: not a market price"
    keys(d, "2", "0", "0")
    d.tap(d.get(routing.KEYPAD, "charge"))
    d.wait_for_screen(routing.TIP)
    before = len(d.services.ledger.sales())
    rates.stale = True
    d.tap(d.app.root.get_screen(routing.TIP).choices[1])
    d.wait_for_screen(routing.ERROR)
    assert "No exchange rate for USD" in text(d, routing.ERROR, "title")
    assert text(d, routing.ERROR, "body") == strings.NOT_CHARGED
    assert len(d.services.ledger.sales()) == before  # no sale, no invoice
    d.tap(d.get(routing.ERROR, "back"))
    d.wait_for_screen(routing.KEYPAD)
    assert text(d, routing.KEYPAD, "amount") == "$2.00"
    d.wait_until(
        lambda: text(d, routing.KEYPAD, "rate_note").startswith("No fresh exchange rate"),
        "the keypad says why fiat is off",
        timeout_s=3,
    )
    assert d.get(routing.KEYPAD, "charge").disabled
