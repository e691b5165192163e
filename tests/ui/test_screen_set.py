"""Screens made on first use (the admin area's): made once when first shown; forgotten on a rebuild."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.ui


def test_a_later_screen_is_made_once_when_first_shown():
    from kiosk.ui.boot import configure_kivy

    configure_kivy(False, 800, 480)
    from kivy.uix.screenmanager import NoTransition, Screen

    from kiosk.ui.screen_set import ScreenSet

    made = []

    def make() -> Screen:
        made.append("b")
        return Screen(name="b")

    screens = ScreenSet(transition=NoTransition())
    screens.add_widget(Screen(name="a"))
    screens.add_later("b", make)
    assert screens.has_screen("b") and made == [] and screens.screen_names == ["a"]
    assert screens.made("b") is None and made == []  # asking whether it exists does not make it
    screens.current = "b"
    assert made == ["b"] and screens.current_screen.name == "b"
    assert screens.get_screen("b") is screens.current_screen and made == ["b"]
    assert screens.made("b") is screens.current_screen
    screens.add_later("c", make)
    screens.clear_widgets()  # a language switch builds every screen anew
    assert not screens.has_screen("c") and not screens.has_screen("b")


def test_a_screen_made_on_first_use_shows_the_printer_news_that_came_before(tmp_path):
    from kiosk.ui import routing
    from kiosk.wiring import configured_printer
    from tests.ui.conftest import headless_kiosk, scratch_config
    from tests.ui.test_app import charge_to_invoice
    from tools.tour.parts import TourPrinter

    config = scratch_config(tmp_path)
    with headless_kiosk(config, printer=TourPrinter(configured_printer(config))) as d:
        d.wait_for_screen(routing.KEYPAD)
        d.services.checkout.print_queue.printer.paper_out = True
        charge_to_invoice(d, "5")
        d.tap(d.get(routing.INVOICE, "simulate"))
        d.wait_until(lambda: d.get(routing.PAID, "printer").view.visible, "the paper-out strip")
        assert d.app.root.made(routing.PAID_LATE) is None  # no late payment yet: the alarm was never made
        late = d.app.root.get_screen(routing.PAID_LATE)
        assert late.printer_view.visible and late.printer_status == d.services.checkout.print_queue.status()
