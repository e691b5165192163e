"""The Chinese error screen through the real widgets in portrait: the node-unreachable advice wraps at a
phrase, not between 已 and 连接 (zh/portrait/10-error), and nothing is cut."""

from __future__ import annotations

import pytest

from kiosk.config import UiConfig
from kiosk.ui import routing
from tests.i18n.test_linebreak import CLOSING, OPENING
from tests.ui.conftest import headless_kiosk, scratch_config
from tools.tour.parts import TourNode

pytestmark = pytest.mark.ui


def test_the_portrait_error_advice_keeps_already_with_connected(tmp_path):
    node = TourNode(delay_s=0)
    with headless_kiosk(scratch_config(tmp_path, ui=UiConfig(language="zh_CN")), backend=node) as d:
        d.resize(720, 1280)
        keypad = d.app.root.get_screen(routing.KEYPAD)
        for key in "2000":
            d.tap(keypad.keys[key])
        node.unreachable = True
        d.tap(d.get(routing.KEYPAD, "charge"))
        d.wait_for_screen(routing.ERROR)
        body = d.get(routing.ERROR, "body")
        d.wait_until(lambda: "已连接" in body.text, "the advice shown")
        d.settle()
        lines = ["".join(word.text for word in line.words) for line in body._label._cached_lines]
        assert len(lines) >= 2 and "".join(lines).replace(" ", "") == body.text.replace(" ", "")
        assert not any(line.endswith("已") for line in lines), lines
        assert not any(line[:1] in CLOSING or line[-1:] in OPENING for line in lines), lines
        assert all(line.w <= body.width for line in body._label._cached_lines)
        d.tap(d.get(routing.ERROR, "back"))
        d.wait_for_screen(routing.KEYPAD)
