"""Chinese screens through the real widgets at 800x480: nothing cut off at the edge, no word split for one
character. Chinese lines are taller than Latin ones in the same size, so a screen laid out in English
can run off the bottom in Chinese."""

from __future__ import annotations

import pytest
from kivy.uix.label import Label

from kiosk.config import UiConfig
from kiosk.ui import routing
from tests.ui.conftest import headless_kiosk, scratch_config

pytestmark = pytest.mark.ui


@pytest.fixture(scope="module")
def d(tmp_path_factory):
    config = scratch_config(tmp_path_factory.mktemp("kiosk"), ui=UiConfig(language="zh_CN"))
    with headless_kiosk(config) as driver:
        yield driver


def cut_off(screen) -> list[str]:
    """Texts whose lines (centred on their label, as these are) run past the window's bottom or top."""
    height = screen.get_root_window().height
    return [
        w.text
        for w in screen.walk()
        if isinstance(w, Label) and w.text and w.opacity
        if w.center_y - w.texture_size[1] / 2 < 0 or w.center_y + w.texture_size[1] / 2 > height
    ]


def test_the_paid_screen_keeps_its_countdown_on_the_screen(d):
    keypad = d.app.root.get_screen(routing.KEYPAD)
    for key in "450":
        d.tap(keypad.keys[key])
    d.tap(d.get(routing.KEYPAD, "charge"))
    d.wait_for_screen(routing.INVOICE)
    d.tap(d.get(routing.INVOICE, "simulate"))
    d.wait_for_screen(routing.PAID)
    d.settle()
    paid = d.app.root.get_screen(routing.PAID)
    assert "秒后开始下一单" in paid.ids.returns_in.text
    assert cut_off(paid) == []
    d.tap(d.get(routing.PAID, "new_sale"))
    d.wait_for_screen(routing.KEYPAD)


def test_the_keypad_rate_line_leaves_no_character_alone(d):
    d.settle()
    note = d.get(routing.KEYPAD, "rate_note")
    lines = ["".join(word.text for word in line.words) for line in note._label._cached_lines]
    assert "非市价" in "".join(lines)
    assert all(len(line.strip()) > 1 for line in lines), lines
