"""What a tour screenshot shows, as data: each visible text's words, box and type size.

The tour writes it beside each PNG (NN-name.json) with the PNG's SHA-256, and
tests/docs/test_docs_current.py renders the tour again and compares: a screen whose
words, layout or type changed since its screenshot was committed fails the test. Pixels
are not compared: they differ between Mesa and FreeType versions of the same screen.
What changes from run to run (clock times, dates, hashes, the invoice in the QR) is
masked here, before it is written.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterator
from pathlib import Path

from kivy.core.window import Window
from kivy.uix.label import Label
from kivy.uix.scrollview import ScrollView
from kivy.uix.textinput import TextInput
from kivy.uix.widget import Widget

from kiosk.ui.widgets import QrView

MASKS = (
    (re.compile(r"/\S*?kiosk-tour-[a-z0-9_]+"), "<scratch>"),  # the tour's temporary folder
    (re.compile(r"\d{8}-\d{6}"), "<stamp>"),  # an export's file name
    (re.compile(r"\d{4}-\d{2}-\d{2}"), "<date>"),
    (re.compile(r"\d{4}年\d{1,2}月\d{1,2}日"), "<date>"),
    (re.compile(r"\b\d{2}-\d{2}(?= \d{1,2}:\d{2}\b)"), "<date>"),  # a history row's month-day
    (re.compile(r"\b\d{1,2}:\d{2}(:\d{2})?\b"), "<time>"),
    (re.compile(r"\b[0-9a-f]{12,}\b"), "<hex>"),
    (re.compile(r"…[0-9a-f]{4,}\b"), "…<hex>"),  # a payment hash's tail
    (re.compile(r"\b(lnbcrt|lnbc|lntb)[0-9a-z]{20,}", re.IGNORECASE), "<invoice>"),
    (re.compile(r"(?<![\d.])\d+ ?(s\b|秒)"), "<seconds>"),  # 秒 runs on into the next word: "9秒后"
)


def mask(text: str) -> str:
    for pattern, stand_in in MASKS:
        text = pattern.sub(stand_in, text)
    return text


def _shown(widget: Widget) -> bool:
    node: Widget | None = widget
    while node is not None and node is not node.parent:
        if node.opacity <= 0:
            return False
        node = node.parent
    return widget.width > 0 and widget.height > 0


def _box(widget: Widget) -> list[int]:
    """Its place in the window; inside a scroll view, the part the view shows (it scrolls the rest)."""
    x, y = widget.to_window(widget.x, widget.y)
    right, top = x + widget.width, y + widget.height
    view = next((node for node in ancestors(widget) if isinstance(node, ScrollView)), None)
    if view is not None:
        vx, vy = view.to_window(view.x, view.y)
        x, y, right, top = max(x, vx), max(y, vy), min(right, vx + view.width), min(top, vy + view.height)
    return [round(x), round(y), round(right - x), round(top - y)]


def ancestors(widget: Widget) -> Iterator[Widget]:
    parent = widget.parent
    while parent is not None and parent is not parent.parent:
        yield parent
        parent = parent.parent


def describe() -> list[dict[str, object]]:
    """Every text and QR code in the window, in drawing order."""
    found: list[dict[str, object]] = []
    for top in reversed(Window.children):
        for widget in top.walk(restrict=True):
            if not _shown(widget):
                continue
            if isinstance(widget, QrView):
                found.append({"qr": True, "box": _box(widget)})
            elif isinstance(widget, TextInput):
                found.append({"input": mask(widget.text or widget.hint_text), "box": _box(widget)})
            elif isinstance(widget, Label) and widget.text.strip():
                size = round(float(widget.font_size), 1)
                found.append({"text": mask(widget.text), "box": _box(widget), "font_size": size})
    return found


def read(path: Path) -> tuple[str, list[dict[str, object]]]:
    """A written description: (its PNG's SHA-256, what it shows)."""
    data = json.loads(path.read_text(encoding="utf-8"))
    return data["png_sha256"], data["shows"]


def write(png: Path) -> Path:
    """NN-name.json beside `png`: what it shows, one line a text, and the PNG's SHA-256 (they go together)."""
    path = png.with_suffix(".json")
    digest = hashlib.sha256(png.read_bytes()).hexdigest()
    rows = ",\n".join(f"  {json.dumps(row, ensure_ascii=False)}" for row in describe())
    path.write_text(f'{{"png_sha256": "{digest}",\n "shows": [\n{rows}\n]}}\n', encoding="utf-8")
    return path
