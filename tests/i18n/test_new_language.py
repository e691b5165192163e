"""A translator's path: a new language is a new .po file, found without touching code."""

from __future__ import annotations

import shutil

from kiosk import i18n, i18n_catalogs


def test_a_new_catalog_is_started_offered_and_used(tmp_path, monkeypatch):
    locale = tmp_path / "locale"
    shutil.copytree(i18n.LOCALE_DIR, locale)
    monkeypatch.setattr(i18n, "LOCALE_DIR", locale)
    monkeypatch.setattr(i18n_catalogs, "TEMPLATE", locale / "kiosk.pot")
    path = i18n_catalogs.new_language("de")
    assert path == locale / "de" / "LC_MESSAGES" / "kiosk.po"
    assert i18n.available_languages() == ["en", "de", "zh_CN"]
    assert i18n.language_name("de") == "Deutsch"
    text = path.read_text(encoding="utf-8")
    assert 'msgid "Charge"\nmsgstr ""' in text
    path.write_text(text.replace('msgid "Charge"\nmsgstr ""', 'msgid "Charge"\nmsgstr "Kassieren"'), "utf-8")
    try:
        i18n.set_language("de")
        assert i18n._("Charge") == "Kassieren"
        assert i18n._("Clear") == "Clear"  # not translated yet: English
    finally:
        i18n.set_language("en")
