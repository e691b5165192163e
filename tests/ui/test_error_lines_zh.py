"""The Chinese error advice through a real Kivy label in a portrait window: it wraps at a phrase,
not between 已 and 连接 (zh/portrait/10-error), and no line starts or ends on the wrong punctuation.

The label runs in its own headless process (tests/ui/label_lines.py): a window turned to portrait
inside this process would leave the earlier tests' apps laid out for the other shape.
"""

from __future__ import annotations

import pytest

from kiosk import i18n
from kiosk.errors import HINTS, ErrorKind
from tests.i18n.test_linebreak import CLOSING, OPENING
from tests.ui.test_text_layout import label_lines

pytestmark = pytest.mark.ui


def test_the_portrait_error_advice_keeps_already_with_connected():
    before = i18n.language()
    i18n.set_language("zh_CN")
    try:
        advice = i18n._(HINTS[ErrorKind.UNREACHABLE])
    finally:
        i18n.set_language(before)
    assert "已连接" in advice
    (shown,) = label_lines((720, 1280), advice)
    lines = shown["lines"]
    assert len(lines) >= 2 and "".join(lines).replace(" ", "") == advice.replace(" ", "")
    assert not any(line.endswith("已") for line in lines), lines
    assert not any(line[:1] in CLOSING or line[-1:] in OPENING for line in lines), lines
    assert all(width <= shown["room"] for width in shown["widths"])
