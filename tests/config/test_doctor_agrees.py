"""`doctor` fails every config that `charge` refuses, with the same words; it passes what charge runs."""

import json
import sqlite3

import pytest

from kiosk import cli
from kiosk.cli_exits import EXIT_DOCTOR_FAILED, EXIT_USAGE

KEY = "4b1d5a3c8e0f49d7a2c6b8e1f0a3d5c7"
LNBITS = '[node]\nbackend = "lnbits"\nurl = "https://127.0.0.1:9"\ninvoice_key_file = "key"\n'


def prepare(tmp_path, name: str) -> str:
    """Lay out one broken case in tmp_path; returns the config text."""
    ledger = '[ledger]\npath = "ledger.sqlite3"\n'
    match name:
        case "nan timeout":
            return ledger + "[node]\ntimeout_seconds = nan\n"
        case "huge int":
            return ledger + "[payment]\nmax_sats = 99999999999999999999\n"
        case "demo price 0":
            return ledger + '[demo]\nbtc_price = "0"\n'
        case "bad url":
            return ledger + '[node]\nbackend = "cln"\nurl = "https://x:70000"\nrune_file = "rune"\n'
        case "ledger folder":
            (tmp_path / "ledger.sqlite3").mkdir()
            return ledger
        case "ledger not sqlite":
            (tmp_path / "ledger.sqlite3").write_text("a,b,c\n")
            return ledger
        case "binary catalog":
            (tmp_path / "catalog.toml").write_bytes(b"\xff\xfe\x00binary")
            return ledger + '[catalog]\nfile = "catalog.toml"\n'
        case "two-line key":
            (tmp_path / "key").write_text(f"{KEY}\n{KEY}\n")
            return ledger + LNBITS
        case "binary key":
            (tmp_path / "key").write_bytes(b"\x00\x9f\x92\x96")
            return ledger + LNBITS
        case "key folder":
            (tmp_path / "key").mkdir()
            return ledger + LNBITS
        case "missing key":
            return ledger + LNBITS
        case "garbage cert":
            (tmp_path / "key").write_text(KEY)
            (tmp_path / "key").chmod(0o600)
            (tmp_path / "cert.pem").write_text("-----BEGIN CERTIFICATE-----\nnope\n")
            return ledger + LNBITS + 'tls_cert_file = "cert.pem"\n'
        case "unknown printer profile":
            return ledger + '[printer]\nprofile = "TM-NOPE"\n'
        case "usb printer without ids":
            return ledger + '[printer]\nkind = "usb"\n'
        case "unknown rate provider":
            (tmp_path / "key").write_text(KEY)
            (tmp_path / "key").chmod(0o600)
            return ledger + LNBITS + '[rates]\nenabled = true\nproviders = "kraken, bitfinex"\n'
        case "printer folder":
            (tmp_path / "lp0").mkdir()
            return ledger + '[printer]\nkind = "file"\npath = "lp0"\n'
    raise AssertionError(name)


CASES = [
    "nan timeout",
    "huge int",
    "demo price 0",
    "bad url",
    "ledger folder",
    "ledger not sqlite",
    "binary catalog",
    "two-line key",
    "binary key",
    "key folder",
    "missing key",
    "garbage cert",
    "printer folder",
    "unknown printer profile",
    "usb printer without ids",
    "unknown rate provider",
]


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return code, out, err


@pytest.mark.parametrize("name", CASES)
def test_doctor_fails_what_charge_refuses_with_the_same_message(tmp_path, capsys, name):
    config = tmp_path / "kiosk.toml"
    config.write_text(prepare(tmp_path, name))

    code, _, err = run(capsys, "charge", "1", "--config", str(config))
    assert code == EXIT_USAGE
    message = err.splitlines()[0].removeprefix("error: ")
    assert message and "what to do:" in err

    code, out, _ = run(capsys, "doctor", "--json", "--config", str(config))
    assert code == EXIT_DOCTOR_FAILED
    failed = [c for c in map(json.loads, out.splitlines()) if c["status"] == "fail"]
    assert failed and failed[0]["message"] == message
    assert not any(c["check"].startswith("node") for c in map(json.loads, out.splitlines()))


def test_doctor_warns_about_a_readable_key_file_with_the_chmod(tmp_path, capsys):
    (tmp_path / "key").write_text(KEY + "\n")
    (tmp_path / "key").chmod(0o644)
    config = tmp_path / "kiosk.toml"
    config.write_text('[ledger]\npath = "ledger.sqlite3"\n' + LNBITS)
    _, out, _ = run(capsys, "doctor", "--config", str(config))
    assert f"[WARN] credential: The LNbits invoice key file {tmp_path / 'key'} can be read by other" in out
    assert f"what to do: Run: chmod 600 {tmp_path / 'key'}" in out
    assert KEY not in out


def test_sales_opens_only_the_ledger(tmp_path, capsys):
    """The accountant can read the sales while the node's key is being replaced."""
    config = tmp_path / "kiosk.toml"
    config.write_text(prepare(tmp_path, "missing key"))
    sqlite3.connect(tmp_path / "ledger.sqlite3").close()
    code, out, _ = run(capsys, "sales", "--config", str(config))
    assert code == 0 and "No sales yet" in out
