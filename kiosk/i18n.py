"""The language the kiosk speaks: gettext catalogs, switchable while it runs.

Text that reaches a person (screen, receipt, error message) goes through `_()`
when it is shown, not when a module is imported, so a language switch applies
to everything made after it.
"""

from __future__ import annotations

import gettext
from pathlib import Path

LOCALE_DIR = Path(__file__).with_name("locale")
DOMAIN = "kiosk"
DEFAULT_LANGUAGE = "en"

_translations: gettext.NullTranslations = gettext.NullTranslations()
_language = DEFAULT_LANGUAGE


def set_language(code: str) -> None:
    """Use the catalog for `code` (e.g. "zh_CN"); English when there is none."""
    global _translations, _language
    _translations = gettext.translation(DOMAIN, LOCALE_DIR, languages=[code], fallback=True)
    _language = code


def language() -> str:
    return _language


def _(message: str) -> str:
    return _translations.gettext(message)


def N_(message: str) -> str:
    """Marks text for the catalog without translating it yet (it is translated where shown)."""
    return message
