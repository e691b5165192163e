"""Colours and type for the counter display: one dark theme, one accent (bitcoin orange).

Plain data, no Kivy: the .kv files import it as `theme`.
"""

from __future__ import annotations


def rgba(hex_colour: str, alpha: float = 1.0) -> tuple[float, float, float, float]:
    h = hex_colour.lstrip("#")
    r, g, b = (int(h[i : i + 2], 16) / 255 for i in (0, 2, 4))
    return (r, g, b, alpha)


BACKGROUND = rgba("#0E1116")
SURFACE = rgba("#171B22")
KEY = rgba("#212731")
KEY_PRESSED = rgba("#313948")
LINE = rgba("#2C333F")
TEXT = rgba("#F4F5F7")
MUTED = rgba("#8D95A3")
ACCENT = rgba("#F7931A")
ACCENT_PRESSED = rgba("#D97B0C")
ON_ACCENT = rgba("#1A1206")
SUCCESS = rgba("#22C55E")
DANGER = rgba("#F05252")
ALARM = rgba("#F5A524")
ON_ALARM = rgba("#1A1206")
STOPPED_FILL = rgba("#3B171B")  # the printer strip while receipts wait
HEADS_UP_FILL = rgba("#3A2C10")  # ... and for a heads-up (paper low)

# Text is Kivy's default Roboto; these symbols (⌫, ⚡) are only in DejaVu Sans, also shipped with Kivy.
FONT_SYMBOLS = "data/fonts/DejaVuSans.ttf"

RADIUS = 14
BASE_HEIGHT = 480  # the 7" display's short side: sizes below are in px at that size
BASE_WIDTH = 800  # ... and its long side: a squarer screen (800x600, 1024x768) scales by this one
