import dataclasses
import re
import typing
from decimal import Decimal
from pathlib import Path

import pytest

from kiosk import config as cfg
from kiosk import i18n, preflight
from kiosk.credentials import Secret, read_secret
from kiosk.errors import ConfigError

EXAMPLE = Path(__file__).resolve().parents[1] / "config" / "kiosk.example.toml"


def write(tmp_path, text: str) -> Path:
    path = tmp_path / "kiosk.toml"
    path.write_text(text)
    return path


def test_the_example_loads_as_the_demo():
    config = preflight.load(EXAMPLE)
    assert config.is_demo and config.shop.currency == "USD"
    assert config.payment.max_fiat == Decimal("1000")
    assert config.ledger.path == EXAMPLE.parent / "../var/ledger.sqlite3"


def test_the_example_documents_every_key():
    text = EXAMPLE.read_text()
    for section, cls in cfg.SECTIONS.items():
        assert f"[{section}]" in text
        body = text.split(f"[{section}]", 1)[1].split("\n[", 1)[0]
        for field in dataclasses.fields(cls):
            assert re.search(rf"^#? ?{field.name} = ", body, re.M), f"{section}.{field.name} undocumented"


def test_no_file_means_demo_defaults(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv(cfg.ENV_VAR, raising=False)
    assert cfg.resolve_path(None) is None
    demo = preflight.load(None)
    assert demo.is_demo
    assert demo.tips.enabled and demo.catalog.file == cfg.DEMO_CATALOG  # a newcomer sees every step


def test_a_real_config_starts_without_tips_or_catalog(tmp_path):
    config = preflight.load(write(tmp_path, "[shop]\nname = 'Bike shop'\n"))
    assert not config.tips.enabled and config.catalog.file is None


def test_cli_path_wins_over_environment(monkeypatch):
    monkeypatch.setenv(cfg.ENV_VAR, "/env.toml")
    assert cfg.resolve_path("/cli.toml") == Path("/cli.toml")
    assert cfg.resolve_path(None) == Path("/env.toml")


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("[shop]\nnmae = 'x'\n", ["shop.nmae", "Did you mean 'name'"]),
        ("[shopp]\n", ["[shopp]", "Did you mean 'shop'"]),
        ("[payment]\nmax_fiat = 12.5\n", ["payment.max_fiat", 'quoted decimal such as "12.50"']),
        ("[payment]\nmax_sats = '100'\n", ["payment.max_sats", "whole number"]),
        ("[node]\nbackend = 'lndd'\n", ["node.backend", "lnd"]),
        ("[node]\nbackend = 'lnd'\n", ["node.url is missing"]),
        ("[node]\nbackend = 'lnd'\nurl = 'https://x'\n", ["node.macaroon_file is missing"]),
        ("[shop]\ncurrency = 'XXX'\n", ["shop.currency", "USD"]),
        ("[shop]\ntimezone = 'Mars/Base'\n", ["shop.timezone", "Asia/Shanghai"]),
        ("[gpio]\nenabled = 1\n", ["gpio.enabled", "true or false"]),
        ("shop = 3\n", ["[shop] section"]),
        ("[shop\n", ["not valid TOML"]),
        ("[tips]\npresets = '10, lots'\n", ["tips.presets", "'lots' is not a percentage", '"10, 15, 20"']),
    ],
)
def test_errors_name_the_file_the_key_and_the_fix(tmp_path, text, names):
    path = write(tmp_path, text)
    with pytest.raises(ConfigError) as info:
        preflight.load(path)
    full = str(info.value)
    assert str(path) in full
    for name in names:
        assert name in full


ENGLISH = re.compile(r"\b(is not|missing|unknown|Did you mean|Known|Use one of|Write|Set|allowed|has no)\b")


@pytest.mark.parametrize(
    "text",
    [
        "[shopp]\n",
        "[shop]\nnmae = 'x'\n",
        "shop = 3\n",
        "[node]\nbackend = 'lndd'\n",
        "[node]\nbackend = 'lnd'\n",
        "[node]\nbackend = 'lnd'\nurl = 'https://x'\n",
        "[node]\nbackend = 'btcpay'\nurl = 'https://x'\napi_key_file = 'k'\n",
        "[payment]\nmax_fiat = 12.5\n",
        "[gpio]\nenabled = 1\n",
        "[shop]\ncurrency = 'XXX'\n",
        "[shop]\ntimezone = 'Mars/Base'\n",
        "[tips]\npresets = '10, lots'\n",
        "[ui]\nlanguage = 'xx'\n",
        "[printer]\nkind = 'file'\n",
        "[printer]\nkind = 'network'\n",
    ],
)
def test_a_chinese_kiosk_explains_a_config_error_in_chinese(tmp_path, text):
    path = write(tmp_path, text)
    i18n.set_language("zh_CN")
    try:
        with pytest.raises(ConfigError) as info:
            preflight.load(path)
    finally:
        i18n.set_language("en")
    error = info.value
    assert str(path) in error.message
    assert re.search("[\u4e00-\u9fff]", error.message) and re.search("[\u4e00-\u9fff]", error.hint)
    assert not ENGLISH.search(error.message + error.hint), error


def test_a_garbled_file_is_named_with_what_to_do(tmp_path):
    path = tmp_path / "kiosk.toml"
    path.write_bytes(b"[shop]\nname = 'Caf\xe9\xff\x00'\n")
    with pytest.raises(ConfigError) as info:
        preflight.load(path)
    assert str(path) in info.value.message and "not a text file" in info.value.message
    assert "kiosk.example.toml" in info.value.hint


def test_missing_file_says_what_to_do(tmp_path):
    with pytest.raises(ConfigError, match=r"kiosk\.example\.toml"):
        preflight.load(tmp_path / "nope.toml")


def test_config_is_frozen(tmp_path):
    config = preflight.load(write(tmp_path, "[shop]\nname = 'Bike Shop'\n"))
    assert config.shop.name == "Bike Shop"
    with pytest.raises(dataclasses.FrozenInstanceError):
        config.shop.name = "x"  # type: ignore[misc]


def test_every_section_field_has_a_supported_type():
    supported = {str, int, float, bool, Decimal, Path}
    for cls in cfg.SECTIONS.values():
        for hint in typing.get_type_hints(cls).values():
            args = set(typing.get_args(hint)) - {type(None)} or {hint}
            assert args <= supported, hint


def test_secrets_never_show_their_value(tmp_path):
    path = tmp_path / "invoice.macaroon"
    path.write_bytes(b"\x02\x01topsecret")
    secret = read_secret(path, "macaroon", binary=True)
    assert isinstance(secret, Secret) and secret.reveal() == b"\x02\x01topsecret"
    assert "topsecret" not in repr(secret) and "topsecret" not in str(secret)
    assert "topsecret" not in f"{secret}"


@pytest.mark.parametrize("content", [None, b"  \n"])
def test_missing_or_empty_secret_names_the_file_not_the_value(tmp_path, content):
    path = tmp_path / "rune"
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(ConfigError, match=re.escape(str(path))):
        read_secret(path, "rune")
