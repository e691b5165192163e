"""The catalogs: up to date with the sources, complete, and faithful to every placeholder."""

from __future__ import annotations

import string

import pytest
from babel.messages.pofile import read_po

from kiosk import i18n, i18n_catalogs

TRANSLATED = i18n.available_languages()[1:]
UPDATE = "run scripts/update-translations.sh and translate what it adds"


def catalog(code: str):
    with i18n.catalog_path(code).open("rb") as po:
        return read_po(po, locale=code, domain=i18n.DOMAIN)


def placeholders(text: str) -> list[str]:
    return sorted(field for _, field, _, _ in string.Formatter().parse(text) if field is not None)


def test_chinese_is_one_of_the_languages():
    assert TRANSLATED == ["zh_CN"]
    assert i18n.language_name("zh_CN") == "简体中文"
    assert i18n.language_name("en") == "English"


def test_the_template_holds_exactly_what_the_sources_say():
    with i18n_catalogs.TEMPLATE.open("rb") as pot:
        on_disk = read_po(pot)
    fresh = i18n_catalogs.template()
    assert i18n_catalogs.messages_text(on_disk) == i18n_catalogs.messages_text(fresh), UPDATE


def test_extraction_finds_screen_texts_and_messages_but_not_symbols():
    ids = {message.id for message in i18n_catalogs.template() if message.id}
    assert "Charge" in ids  # a plain constant in kiosk/ui/strings.py
    assert "⌫" not in ids
    assert len(ids) > 30


@pytest.mark.parametrize("code", TRANSLATED)
def test_every_message_is_translated_and_checked(code):
    messages = [m for m in catalog(code) if m.id]
    template_ids = {m.id for m in i18n_catalogs.template() if m.id}
    assert {m.id for m in messages} == template_ids, UPDATE
    untranslated = [m.id for m in messages if not m.string]
    fuzzy = [m.id for m in messages if m.fuzzy]
    assert untranslated == [], f"{code}: no translation for these"
    assert fuzzy == [], f"{code}: marked fuzzy (check the translation, then remove the flag)"


@pytest.mark.parametrize("code", TRANSLATED)
def test_translations_keep_every_placeholder(code):
    wrong = {m.id: m.string for m in catalog(code) if m.id and placeholders(m.id) != placeholders(m.string)}
    assert wrong == {}


def test_set_language_switches_what_underscore_returns():
    try:
        i18n.set_language("zh_CN")
        assert i18n._("Charge") == "收款"
        assert i18n._("not in any catalog") == "not in any catalog"
        i18n.set_language("en")
        assert i18n._("Charge") == "Charge"
    finally:
        i18n.set_language("en")


def test_an_unknown_language_is_refused():
    with pytest.raises(ValueError, match="zh_CN"):
        i18n.set_language("xx")
    assert i18n.language() == "en"


def test_strings_are_read_in_the_current_language():
    from kiosk.ui import strings

    try:
        i18n.set_language("zh_CN")
        assert strings.PAID_TITLE == "已付款"
        assert strings.SALE_NUMBER.format(sale_id=7) == "单号：7"
        assert strings.BACKSPACE == "⌫"
    finally:
        i18n.set_language("en")
    assert strings.PAID_TITLE == "Paid"
