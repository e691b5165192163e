"""Chinese line breaking in every Kivy label.

Kivy wraps a line only at ASCII spaces: text with no spaces is cut wherever the
width runs out (a lone "。" starts a line, "U" and "盘" part), and a zero-width
space U+2060/U+200B is drawn as nothing but is no break opportunity either (tried:
tests/ui/test_text_layout.py). So before Kivy lays out text that holds CJK
characters, the text is broken here into lines at the opportunities of
kiosk.services.linebreak, measured with the label's own font, and handed to
Kivy with a newline at each break: every line then fits and Kivy breaks no
further. Text without CJK characters is left to Kivy as before.

The hook wraps Kivy's one layout function, as both its plain and its markup
labels call it, so every label, button and markup run in every screen gets the
rules without a label class of its own.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import kivy.core.text
import kivy.core.text.markup

from kiosk.services.linebreak import has_wide, wrap

_kivy_layout_text: Callable[..., Any] = kivy.core.text.layout_text


def layout_text(
    text: str,
    lines: list[Any],
    size: tuple[int, int],
    text_size: tuple[float | None, float | None],
    options: dict[str, Any],
    get_extents: Callable[[str], tuple[int, int]],
    append_down: bool,
    complete: bool,
) -> tuple[int, int, bool]:
    """Kivy's `layout_text`, given CJK text already broken where Chinese may break."""
    width = text_size[0]
    if width is not None and isinstance(text, str) and has_wide(text):
        padding = options["padding"]
        room = max(0, width - padding[0] - padding[2])
        used = lines[-1].w if append_down and lines else 0  # a markup run goes on the line so far
        text = "\n".join(wrap(text, room, lambda part: get_extents(part)[0], used))
    return _kivy_layout_text(text, lines, size, text_size, options, get_extents, append_down, complete)


def install() -> None:
    """Route every Kivy label's layout through `layout_text` (idempotent)."""
    kivy.core.text.layout_text = layout_text
    kivy.core.text.markup.layout_text = layout_text
