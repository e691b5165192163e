"""Every screen at 800×480: nothing a person reads under 18 px, no touch target under 60 px tall.

18 px on the 7" display (about 2.7 mm) reads at arm's length; 60 px is about 9 mm, a fingertip.
Each screen is shown in turn in the real app and its widgets walked: visible labels with text
and every button (anything that takes a tap).
"""

from __future__ import annotations

import pytest

from kiosk.config import DEMO_CATALOG, CatalogConfig
from kiosk.ui import routing
from tests.ui.conftest import headless_kiosk, scratch_config

pytestmark = pytest.mark.ui
MIN_TEXT_PX = 18
MIN_TARGET_PX = 60
SCREENS = [
    value
    for name, value in vars(routing).items()
    if name.isupper() and isinstance(value, str) and value != routing.SETUP
]


def _shown(widget) -> bool:
    node = widget
    while node is not None and node is not node.parent:
        if node.opacity <= 0 or (node.disabled and node.opacity < 1):
            return False
        node = node.parent
    return widget.width > 1 and widget.height > 1


def test_no_small_text_and_no_small_touch_target_on_any_screen(tmp_path):
    from kivy.uix.behaviors import ButtonBehavior
    from kivy.uix.label import Label

    small_text, small_targets = [], []
    with headless_kiosk(scratch_config(tmp_path, catalog=CatalogConfig(DEMO_CATALOG))) as d:
        for name in SCREENS:
            if not d.app.root.has_screen(name):
                continue
            d.app.root.current = name
            d.frames(3)
            for widget in d.app.root.current_screen.walk(restrict=True):
                if not _shown(widget):
                    continue
                if isinstance(widget, Label) and widget.text.strip() and widget.font_size < MIN_TEXT_PX:
                    small_text.append(f"{name}: {widget.text[:30]!r} {widget.font_size:.0f} px")
                if isinstance(widget, ButtonBehavior) and widget.height < MIN_TARGET_PX:
                    label = getattr(widget, "text", "") or type(widget).__name__
                    small_targets.append(f"{name}: {label[:30]!r} {widget.height:.0f} px tall")
    assert not small_text + small_targets, "\n".join(["too small:", *small_text, *small_targets])
