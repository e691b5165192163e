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
    screens.current = "b"
    assert made == ["b"] and screens.current_screen.name == "b"
    assert screens.get_screen("b") is screens.current_screen and made == ["b"]
    screens.add_later("c", make)
    screens.clear_widgets()  # a language switch builds every screen anew
    assert not screens.has_screen("c") and not screens.has_screen("b")
