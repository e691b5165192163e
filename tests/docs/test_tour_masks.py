"""What the tour's descriptions hide: what changes from run to run, and nothing a reader would see change."""

from __future__ import annotations

import pytest

from kiosk.ui.boot import configure_kivy

configure_kivy(False, 800, 480)  # before tools.tour opens Kivy's window
from tools.tour.structure import mask  # noqa: E402


@pytest.mark.parametrize(
    ("shown", "described"),
    [
        ("#6  12-03 14:05  Demo Café", "#6  <date> <time>  Demo Café"),  # a history row
        ("2026-12-03 14:05", "<date> <time>"),
        ("2026年12月3日", "<date>"),
        ("Table 12-14 closed", "Table 12-14 closed"),  # a month-day only before a time
        ("Expires in 45 s", "Expires in <seconds>"),
        ("10秒后开始下一单", "<seconds>后开始下一单"),  # no space or word break after 秒
        ("Take 3 sugars", "Take 3 sugars"),
    ],
)
def test_run_to_run_changes_are_masked_and_nothing_else(shown, described):
    assert mask(shown) == described
