"""Switching the language while the kiosk runs: the real widgets show the new words at once."""

from __future__ import annotations

import pytest
from babel.messages.pofile import read_po
from kivy.uix.label import Label

from kiosk import i18n
from kiosk.services.receipt_image import CJK_FONTS, find_font
from kiosk.ui import fontfaces, routing
from tests.ui.conftest import headless_kiosk, scratch_config

pytestmark = pytest.mark.ui


@pytest.fixture(scope="module")
def kiosk(tmp_path_factory):
    with headless_kiosk(scratch_config(tmp_path_factory.mktemp("kiosk"))) as driver:
        yield driver
    i18n.set_language("en")


@pytest.fixture
def d(kiosk):
    kiosk.app.controller.set_language("en")
    kiosk.app.controller.new_sale()
    kiosk.wait_for_screen(routing.KEYPAD)
    return kiosk


@pytest.fixture(scope="module")
def english_only():
    """English texts whose Chinese differs: none of them may stay on a Chinese screen."""
    with i18n.catalog_path("zh_CN").open("rb") as po:
        return {m.id for m in read_po(po) if m.id and m.string != m.id}


def labels(d):
    for screen in d.app.root.screens:
        for widget in screen.walk():
            if isinstance(widget, Label):
                yield screen.name, widget


def test_switching_to_chinese_rebuilds_every_screen_in_chinese(d, english_only):
    assert d.get(routing.KEYPAD, "charge").text == "Charge"
    old_keypad = d.app.root.get_screen(routing.KEYPAD)
    d.app.controller.set_language("zh_CN")
    assert d.screen == routing.KEYPAD
    assert d.app.root.get_screen(routing.KEYPAD) is not old_keypad
    assert d.get(routing.KEYPAD, "charge").text == "收款"
    assert d.get(routing.KEYPAD, "sats_toggle").text == "聪"
    assert d.get(routing.KEYPAD, "equivalent").text == "请输入金额"
    left_over = {(name, w.text) for name, w in labels(d) if w.text in english_only}
    assert left_over == set()
    d.app.controller.set_language("en")
    assert d.get(routing.KEYPAD, "charge").text == "Charge"


def test_chinese_uses_a_cjk_font_and_english_keeps_roboto(d):
    d.app.controller.set_language("zh_CN")
    from kivy.core.text import LabelBase

    cjk = {name for name, w in labels(d) if w.font_name == "KioskCJK"}
    assert routing.KEYPAD in cjk and routing.PAID in cjk
    faces = fontfaces.installed_faces()
    regular = faces.get("Regular") or find_font(CJK_FONTS, ":lang=zh-cn")
    assert LabelBase._fonts["KioskCJK"][0] == str(regular)
    if "Bold" in faces:  # set-up saved Noto Sans CJK SC Bold: titles and amounts keep their weight
        assert LabelBase._fonts["KioskCJK"][2] == str(faces["Bold"])
    back = d.app.root.get_screen(routing.KEYPAD).keys["back"]
    assert back.font_name.endswith("DejaVuSans.ttf")  # the symbol font stays for ⌫
    d.app.controller.set_language("en")
    assert {w.font_name for _, w in labels(d) if w.text.isascii()} <= {"Roboto", back.font_name}


def test_a_sale_on_screen_stays_there_in_the_new_language(d):
    keypad = d.app.root.get_screen(routing.KEYPAD)
    for key in ("4", "5", "0"):
        d.tap(keypad.keys[key])
    d.tap(d.get(routing.KEYPAD, "charge"))
    d.wait_for_screen(routing.INVOICE)
    sale = d.app.controller.followed
    d.app.controller.set_language("zh_CN")
    assert d.screen == routing.INVOICE
    assert d.get(routing.INVOICE, "cancel").text == "取消"
    assert d.app.root.get_screen(routing.INVOICE).sale_number == f"单号：{sale.id}"
    d.wait_until(lambda: d.get(routing.INVOICE, "countdown").text.startswith("剩余 "), "countdown in Chinese")
    assert d.get(routing.INVOICE, "headline").text == "$4.50"
    d.hold(d.get(routing.INVOICE, "cancel"), 2.2)
    d.wait_for_screen(routing.CANCELLED)
    assert d.get(routing.CANCELLED, "title").text == "订单已取消"
    assert d.get(routing.CANCELLED, "back").text == "返回键盘"


def test_reprint_last_survives_the_switch(d):
    keypad = d.app.root.get_screen(routing.KEYPAD)
    d.tap(keypad.keys["7"])
    d.tap(d.get(routing.KEYPAD, "charge"))
    d.wait_for_screen(routing.INVOICE)
    d.tap(d.get(routing.INVOICE, "simulate"))
    d.wait_for_screen(routing.PAID)
    d.app.controller.set_language("zh_CN")
    assert d.screen == routing.PAID
    assert d.get(routing.PAID, "title").text == "已付款"
    d.tap(d.get(routing.PAID, "new_sale"))
    d.wait_for_screen(routing.KEYPAD)
    assert not d.get(routing.KEYPAD, "reprint_last").disabled
    assert d.get(routing.KEYPAD, "reprint_last").text == "补打上一单"


def test_every_chinese_label_on_every_screen_breaks_only_where_chinese_may(d):
    """Each wrapping label with Chinese text, laid out at a range of widths (kiosk/ui/text_layout.py)."""
    from kiosk.services.linebreak import has_wide
    from tests.ui.test_text_layout import bad_breaks

    d.app.controller.set_language("zh_CN")
    d.frames(3)
    checked, found = 0, []
    for name, widget in labels(d):
        if not has_wide(widget.text) or widget.text_size[0] is None:
            continue  # one line: nothing to break
        size, step = widget.text_size, max(1, int(widget.font_size) // 2)
        for width in range(int(3 * widget.font_size), int(3 * widget.font_size) + 24 * step, step):
            widget.text_size = (width, None)
            widget.texture_update()
            lines = ["".join(word.text for word in line.words) for line in widget._label._cached_lines]
            checked += 1
            found += [(name, widget.text, width, lines)] if bad_breaks(lines) else []
        widget.text_size = size
    d.frames(2)  # the labels' own re-layout, while the app still runs
    assert checked >= 200 and found == []
