"""The typeface for the current language.

Kivy has no font fallback: a label draws every character with its one font.
Latin languages keep Kivy's Roboto (its digits suit the amounts); Chinese,
Japanese and Korean get a font that has their characters and Latin too:
Noto Sans CJK SC, regular and bold, saved by set-up (kiosk/ui/fontfaces.py), or
else WenQuanYi Micro Hei (no bold: titles and amounts lose their weight). The
.kv rule for every Label asks `text_font()`, so a widget built after a
language switch gets the new language's font.
"""

from __future__ import annotations

import functools
import logging

from kivy.core.text import DEFAULT_FONT, LabelBase

from kiosk import i18n
from kiosk.services.receipt_image import CJK_FONTS, find_font
from kiosk.ui import fontfaces

log = logging.getLogger(__name__)
CJK = "KioskCJK"
CJK_LANGUAGES = ("zh", "ja", "ko")


def text_font(language: str | None = None) -> str:
    """The registered font name for `language` (default: the kiosk's current one)."""
    code = language or i18n.language()
    if code.split("_")[0] in CJK_LANGUAGES and _cjk_registered():
        return CJK
    return DEFAULT_FONT


@functools.cache
def _cjk_registered() -> bool:
    faces = fontfaces.installed_faces()
    if "Regular" in faces:
        bold = faces.get("Bold", faces["Regular"])
        LabelBase.register(CJK, str(faces["Regular"]), fn_bold=str(bold))
        return True
    path = find_font(CJK_FONTS, ":lang=zh-cn")
    if path is None:
        log.warning("No CJK font found: Chinese text shows as boxes. Run scripts/bootstrap.sh")
        return False
    log.warning("Noto Sans CJK SC not set up (run scripts/bootstrap.sh): Chinese text has no bold")
    LabelBase.register(CJK, str(path))
    return True
