"""ui.language: the start-up language, checked against the catalogs present."""

from __future__ import annotations

from pathlib import Path

import pytest

from kiosk import i18n, preflight
from kiosk.config import Config, LedgerConfig
from kiosk.errors import ConfigError


def test_start_up_language_comes_from_the_config(tmp_path: Path):
    path = tmp_path / "kiosk.toml"
    path.write_text('[ui]\nlanguage = "zh_CN"\n', encoding="utf-8")
    assert preflight.load(path).ui.language == "zh_CN"
    assert Config().ui.language == "en"


def test_a_language_without_a_catalog_is_explained(tmp_path: Path):
    path = tmp_path / "kiosk.toml"
    path.write_text('[ui]\nlanguage = "zh"\n', encoding="utf-8")
    with pytest.raises(ConfigError) as raised:
        preflight.load(path)
    assert "ui.language = 'zh'" in raised.value.message
    assert "en, zh_CN" in raised.value.hint


def test_building_the_services_sets_the_language(tmp_path: Path):
    import dataclasses

    from kiosk.wiring import build

    config = Config(ledger=LedgerConfig(tmp_path / "ledger.sqlite3"))
    services = build(dataclasses.replace(config, ui=dataclasses.replace(config.ui, language="zh_CN")))
    try:
        assert i18n.language() == "zh_CN"
    finally:
        services.close()
        i18n.set_language("en")
