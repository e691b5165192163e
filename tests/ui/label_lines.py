"""Run as a script: real Kivy labels in a headless window of a given size; prints their lines as JSON.

    python tests/ui/label_lines.py WIDTH HEIGHT [--kivy-only] TEXT...

Each label is the app's body text (21 px at 480) across the window less a 16 px margin each side,
in the Chinese font. --kivy-only leaves Kivy's own wrapping in place (no kiosk.ui.text_layout).
"""

from __future__ import annotations

import json
import sys


def main(argv: list[str]) -> None:
    width, height = int(argv[0]), int(argv[1])
    kivy_only = argv[2] == "--kivy-only"
    texts = argv[3:] if kivy_only else argv[2:]
    from kiosk.ui.boot import configure_kivy

    configure_kivy(fullscreen=False, width=width, height=height)
    from kivy.core.window import Window
    from kivy.uix.label import Label

    from kiosk import i18n
    from kiosk.ui import fonts, text_layout

    if not kivy_only:
        text_layout.install()
    i18n.set_language("zh_CN")
    unit = min(Window.size) / 480
    room = Window.width - 2 * 16 * unit
    out = []
    for text in texts:
        markup = text.startswith("[b]")
        label = Label(text=text, font_name=fonts.text_font(), font_size=21 * unit, markup=markup)
        label.text_size = (room, None)
        label.texture_update()
        lines = label._label._cached_lines
        out.append(
            {
                "window": list(Window.size),
                "room": room,
                "font": fonts.text_font(),
                "lines": ["".join(word.text for word in line.words) for line in lines],
                "widths": [line.w for line in lines],
            }
        )
    print(json.dumps(out, ensure_ascii=False))


if __name__ == "__main__":
    main(sys.argv[1:])
