"""Every number finite and in its range, every address a URL: refused at load, naming file, key and fix."""

import dataclasses
import typing
from decimal import Decimal

import pytest

from kiosk import config as cfg
from kiosk import preflight
from kiosk.config_schema import CHOICES, LIMITS
from kiosk.errors import ConfigError


def refused(write, text: str) -> ConfigError:
    path = write(text)
    with pytest.raises(ConfigError) as info:
        preflight.load(path)
    assert str(path) in info.value.message
    assert info.value.hint
    return info.value


def numeric_fields():
    for section, cls in cfg.SECTIONS.items():
        for field in dataclasses.fields(cls):
            hint = typing.get_type_hints(cls)[field.name]
            types = set(typing.get_args(hint)) - {type(None)} or {hint}
            if types & {int, float, Decimal} and (section, field.name) not in CHOICES:
                yield section, field.name, types.pop()


def test_every_number_in_the_config_has_a_range():
    missing = [f"{s}.{k}" for s, k, _ in numeric_fields() if (s, k) not in LIMITS]
    assert missing == []


def test_every_range_fits_sqlite_and_the_defaults_are_inside():
    for (section, key), limit in LIMITS.items():
        assert -(2**63) <= limit.low < limit.high < 2**63 // 1000, (section, key)  # msat fits int64
        default = getattr(cfg.SECTIONS[section](), key)
        if default is not None:
            assert (default > limit.low if limit.above else default >= limit.low) and default <= limit.high


def toml_number(kind: type, value: str) -> str:
    return f'"{value}"' if kind is Decimal else value


@pytest.mark.parametrize(("section", "key", "kind"), list(numeric_fields()))
@pytest.mark.parametrize("where", ["below", "above"])
def test_each_number_out_of_range_is_refused_with_its_range(write, section, key, kind, where):
    limit = LIMITS[(section, key)]
    value = limit.low - (0 if limit.above else 1) if where == "below" else limit.high + 1
    error = refused(write, f"[{section}]\n{key} = {toml_number(kind, str(value))}\n")
    assert f"{section}.{key} = " in error.message and "out of range" in error.message
    assert str(limit.high) in error.hint


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("[node]\ntimeout_seconds = nan\n", "node.timeout_seconds"),
        ("[payment]\npoll_interval_seconds = inf\n", "payment.poll_interval_seconds"),
        ("[printer]\ntimeout_seconds = -inf\n", "printer.timeout_seconds"),
        ('[payment]\nmax_fiat = "NaN"\n', "payment.max_fiat"),
        ('[demo]\nbtc_price = "Infinity"\n', "demo.btc_price"),
        ('[rates]\noutlier_percent = "-sNaN"\n', "rates.outlier_percent"),
    ],
)
def test_nan_and_infinity_are_not_numbers(write, text, key):
    error = refused(write, text)
    assert key in error.message and "not a finite number" in error.message


@pytest.mark.parametrize(
    "text",
    [
        "[payment]\nmax_sats = 9223372036854775807\n",  # fits int64, but not as msat
        "[printer]\nport = 9223372036854775807\n",
        "[ui]\nwidth = -9223372036854775808\n",
        '[demo]\nbtc_price = "0"\n',
        "[node]\ntimeout_seconds = -1\n",
        "[node]\ntimeout_seconds = 0\n",
        "[printer]\nport = 0\n",
        "[printer]\nport = 65536\n",
        "[gpio]\nled_pin = 99\n",
    ],
)
def test_huge_negative_and_zero_values_are_refused(write, text):
    assert "out of range" in refused(write, text).message


@pytest.mark.parametrize(
    "url",
    [
        "10.0.0.5:8080",  # no scheme
        "ftp://10.0.0.5",
        "https://",
        "https://10.0.0.5:99999",
        "https://10.0.0.5:0",
        "https://10.0.0.5:port",
        "https://[::1",
        " https://10.0.0.5",
    ],
)
def test_a_malformed_node_address_is_refused(write, url):
    error = refused(write, f'[node]\nbackend = "lnd"\nurl = "{url}"\nmacaroon_file = "m"\n')
    assert "node.url" in error.message and "https://" in error.hint


def test_a_malformed_rate_provider_address_is_refused(write):
    assert "rates.kraken_url" in refused(write, '[rates]\nkraken_url = "kraken.com"\n').message


@pytest.mark.parametrize("host", ["http://192.168.1.50", "192.168.1.50:9100", "a printer"])
def test_a_network_printer_needs_a_bare_host(write, host):
    error = refused(write, f'[printer]\nkind = "network"\nhost = "{host}"\n')
    assert "printer.host" in error.message and "printer.port" in error.hint


def test_a_wrong_node_pubkey_is_refused(write):
    assert "node.pubkey" in refused(write, '[node]\npubkey = "02abc"\n').message


def test_a_path_with_a_nul_is_refused(write):
    assert "catalog.file" in refused(write, '[catalog]\nfile = "a\\u0000b"\n').message


def test_values_inside_their_ranges_load(write):
    config = preflight.load(
        write(
            "[node]\ntimeout_seconds = 0.5\n[payment]\nmax_sats = 2100000000000000\n"
            '[printer]\nport = 65535\nkind = "network"\nhost = "printer.local"\n'
            '[rates]\nkraken_url = "http://127.0.0.1:8080/mirror"\n'
        )
    )
    assert config.payment.max_sats * 1000 < 2**63 and config.printer.port == 65535


def test_a_home_folder_of_no_such_user_is_refused(write):
    """Found by the fuzz run (benchmarks/fuzz.py): Path.expanduser raised RuntimeError."""
    assert "names no user" in refused(write, '[shop]\nlogo = "~no-such-user-here/logo.png"\n').message
