"""The language the kiosk speaks: gettext catalogs, switchable while it runs.

Text that reaches a person (screen, receipt, error message) goes through `_()`
when it is shown, not when a module is imported, so a language switch applies
to everything made after it.

Catalogs are the translators' own .po files (`locale/<code>/LC_MESSAGES/kiosk.po`),
read with Babel when a language is first used: there is no compiled .mo file to
forget, and a new language is just a new .po file. Babel is imported only then (and for a
language's name): an English kiosk never holds its locale data.
"""

from __future__ import annotations

import functools
import gettext
import io
from pathlib import Path

LOCALE_DIR = Path(__file__).with_name("locale")
DOMAIN = "kiosk"
DEFAULT_LANGUAGE = "en"  # the language the source texts are written in

_translations: gettext.NullTranslations = gettext.NullTranslations()
_language = DEFAULT_LANGUAGE


def catalog_path(code: str) -> Path:
    return LOCALE_DIR / code / "LC_MESSAGES" / f"{DOMAIN}.po"


def available_languages() -> list[str]:
    """English, then every language that has a catalog, e.g. ["en", "zh_CN"]."""
    found = sorted(p.parents[1].name for p in LOCALE_DIR.glob(f"*/LC_MESSAGES/{DOMAIN}.po"))
    return [DEFAULT_LANGUAGE, *found]


def language_name(code: str) -> str:
    """The language's name in itself, for a language picker: "English", "简体中文".

    A script's own name comes first where the language has one ("简体中文", not "中文 (简体, 中国)").
    """
    from babel import Locale, UnknownLocaleError

    try:
        locale = Locale.parse(code)
    except (ValueError, UnknownLocaleError):
        return code
    scripted = locale.languages.get(f"{locale.language}_{locale.script}") if locale.script else None
    return scripted or locale.get_display_name(locale) or code


def set_language(code: str) -> None:
    """Speak `code` (one of `available_languages()`) from now on."""
    global _translations, _language
    if code not in available_languages():
        known = ", ".join(available_languages())
        raise ValueError(f"No catalog for language {code!r}; known: {known}")
    _translations = gettext.NullTranslations() if code == DEFAULT_LANGUAGE else _catalog(code)
    _language = code


def language() -> str:
    return _language


def _(message: str) -> str:
    return _translations.gettext(message)


def list_separator() -> str:
    """What goes between the items of a list: ", " in English, "、" in Chinese."""
    # TRANSLATORS: between the items of a list ("2× Latte, 1× Croissant"); Chinese uses 、 with no space
    return _(", ")


def N_(message: str) -> str:
    """Marks text for the catalog without translating it yet (it is translated where shown)."""
    return message


@functools.cache
def _catalog(code: str) -> gettext.GNUTranslations:
    """The .po file as gettext reads it; fuzzy (unchecked) translations are left out, so English shows."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    with catalog_path(code).open("rb") as po:
        catalog = read_po(po, locale=code, domain=DOMAIN)
    mo = io.BytesIO()
    write_mo(mo, catalog, use_fuzzy=False)
    mo.seek(0)
    return gettext.GNUTranslations(mo)
