"""Files the config names are opened at load as the kiosk opens them; every failure is a clear ConfigError."""

import logging
import os
import sqlite3
import stat

import pytest
import trustme

from kiosk import config as cfg
from kiosk import preflight
from kiosk.credentials import exposed, read_secret
from kiosk.errors import ConfigError
from kiosk.preflight import findings
from kiosk.services.doctor import Status


def refused(path) -> ConfigError:
    with pytest.raises(ConfigError) as info:
        preflight.load(path)
    assert info.value.message and info.value.hint
    return info.value


def test_a_folder_given_as_the_config_is_named(tmp_path):
    error = refused(tmp_path)
    assert str(tmp_path) in error.message and "folder" in error.message


def test_a_folder_as_the_ledger_is_refused(write, tmp_path):
    (tmp_path / "ledger").mkdir()
    error = refused(write("", ledger="ledger"))
    assert "not a file" in error.message and "ledger.path" in error.hint


def test_a_ledger_that_is_not_sqlite_is_refused(write, tmp_path):
    (tmp_path / "notes.txt").write_text("shopping list\n")
    assert "not an SQLite database" in refused(write("", ledger="notes.txt")).message


def test_a_damaged_sqlite_ledger_is_refused(write, tmp_path):
    ledger = tmp_path / "ledger.sqlite3"
    ledger.write_bytes(b"SQLite format 3\x00" + b"\xff" * 200)
    assert "cannot be opened" in refused(write("")).message


def test_a_ledger_below_a_file_cannot_be_created(write, tmp_path):
    (tmp_path / "var").write_text("")
    error = refused(write("", ledger="var/ledger.sqlite3"))
    assert f"{tmp_path / 'var'} is a file, not a folder" in error.message


def test_a_new_ledger_in_new_folders_and_an_existing_one_load(write, tmp_path):
    assert (
        preflight.load(write("", ledger="a/b/ledger.sqlite3")).ledger.path == tmp_path / "a/b/ledger.sqlite3"
    )
    sqlite3.connect(tmp_path / "real.sqlite3").execute("CREATE TABLE t (x)").connection.close()
    assert preflight.load(write("", ledger="real.sqlite3"))
    assert not (tmp_path / "a").exists()  # checking creates nothing


@pytest.mark.skipif(os.geteuid() == 0, reason="root may write anywhere")
def test_a_ledger_in_a_read_only_folder_is_refused(write, tmp_path):
    locked = tmp_path / "locked"
    locked.mkdir(mode=0o500)
    assert "may not write" in refused(write("", ledger="locked/ledger.sqlite3")).message


def test_a_binary_catalog_is_a_clear_error(write, tmp_path):
    (tmp_path / "catalog.toml").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    error = refused(write('[catalog]\nfile = "catalog.toml"\n'))
    assert "catalog.toml: not a text file" in error.message


def test_a_folder_as_the_catalog_is_a_clear_error(write, tmp_path):
    (tmp_path / "catalog").mkdir()
    assert "is a folder, not a catalog file" in refused(write('[catalog]\nfile = "catalog"\n')).message


def test_a_file_where_a_folder_belongs_is_refused(write, tmp_path):
    (tmp_path / "exports").write_text("")
    error = refused(write('[admin]\nexport_path = "exports"\n'))
    assert "admin.export_path" in error.message and "not a folder" in error.message


def test_a_folder_as_the_printer_device_is_refused(write, tmp_path):
    (tmp_path / "lp0").mkdir()
    assert "is a folder, not a device" in refused(write('[printer]\nkind = "file"\npath = "lp0"\n')).message


def test_a_missing_printer_is_a_warning_not_a_refusal(write, tmp_path, caplog):
    with caplog.at_level(logging.WARNING):
        preflight.load(write('[printer]\nkind = "file"\npath = "lp0"\n'))
    assert "Plug the printer in" in caplog.text


def lnbits(write, tmp_path, key: bytes, mode: int = 0o600, cert: bytes | None = None):
    path = tmp_path / "lnbits.key"
    path.write_bytes(key)
    path.chmod(mode)
    extra = ""
    if cert is not None:
        (tmp_path / "node.pem").write_bytes(cert)
        extra = 'tls_cert_file = "node.pem"\n'
    node = '[node]\nbackend = "lnbits"\nurl = "https://127.0.0.1:5000"\ninvoice_key_file = "lnbits.key"\n'
    return write(node + extra)


KEY = b"4b1d5a3c8e0f49d7a2c6b8e1f0a3d5c7"


def test_a_key_file_is_one_secret_with_whitespace_stripped(tmp_path):
    path = tmp_path / "key"
    path.write_bytes(b"  " + KEY + b"\r\n\n")
    assert read_secret(path, "LNbits invoice key").reveal() == KEY


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (KEY + b"\n" + KEY + b"\n", "more than one line"),
        (KEY + b" admin\n", "more than one line"),
        (b"\x00\x01\x02" + KEY, "not text"),
        ("密钥".encode(), "not text"),
        (b"\n \n", "is empty"),
        (b"k" * 70_000, "too big"),
    ],
)
def test_a_key_file_with_anything_else_is_refused_with_the_reason(write, tmp_path, content, reason):
    error = refused(lnbits(write, tmp_path, content))
    assert str(tmp_path / "lnbits.key") in error.message and reason in error.message
    assert "network" not in error.message and KEY.decode() not in error.message + error.hint


def test_a_folder_as_the_key_file_is_refused(write, tmp_path):
    config = lnbits(write, tmp_path, KEY)
    (tmp_path / "lnbits.key").unlink()
    (tmp_path / "lnbits.key").mkdir()
    assert "is a folder, not a file" in refused(config).message


def test_a_macaroon_is_binary_or_its_hex(tmp_path):
    path = tmp_path / "invoice.macaroon"
    binary = b"\x02\x01\x03lnd\n\x00 \xff"
    path.write_bytes(binary)
    assert read_secret(path, "LND macaroon", binary=True).reveal() == binary  # nothing stripped
    path.write_text(binary.hex().upper() + "\n")
    assert read_secret(path, "LND macaroon", binary=True).reveal() == binary
    path.write_text("AgEDbG5k\n")  # base64: not what lnd writes
    with pytest.raises(ConfigError, match="neither a binary macaroon nor its hex"):
        read_secret(path, "LND macaroon", binary=True)


def test_a_key_file_others_can_read_gets_the_chmod_to_run(write, tmp_path, caplog):
    config = lnbits(write, tmp_path, KEY, mode=0o644)
    with caplog.at_level(logging.WARNING):
        preflight.load(config)  # a warning, not a refusal
    key = tmp_path / "lnbits.key"
    assert f"chmod 600 {key}" in caplog.text and KEY.decode() not in caplog.text
    warning = exposed(key, "LNbits invoice key")
    assert warning is not None and warning.hint == f"Run: chmod 600 {key}"
    key.chmod(stat.S_IRUSR | stat.S_IWUSR)
    assert exposed(key, "LNbits invoice key") is None


def test_a_garbage_certificate_is_refused_and_a_real_one_loads(write, tmp_path):
    assert "cannot be loaded" in refused(lnbits(write, tmp_path, KEY, cert=b"not a certificate\n")).message
    pem = trustme.CA().cert_pem.bytes()
    config = preflight.load(lnbits(write, tmp_path, KEY, cert=pem))
    found = {f.name: f.status for f in findings(config)}
    assert found["certificate"] is Status.OK and found["credential"] is Status.OK


def test_installer_loading_checks_values_but_opens_no_file(write):
    config = write(
        '[node]\nbackend = "lnd"\nurl = "https://10.0.0.5:8080"\nmacaroon_file = "later.macaroon"\n'
    )
    assert cfg.load(config).node.macaroon_file.name == "later.macaroon"
    assert "does not exist" in refused(config).message


def vouchers(write, key_file: str = "") -> object:
    line = f'voucher_key_file = "{key_file}"\n' if key_file else ""
    return write(f'[refunds]\nmode = "voucher"\nvoucher_url = "https://lnbits.example"\n{line}')


def test_refund_vouchers_need_a_readable_private_key_file_at_start(write, tmp_path, caplog):
    missing = refused(vouchers(write))
    assert "refunds.voucher_key_file" in missing.message and "record" in missing.hint
    unreadable = refused(vouchers(write, "withdraw.key"))
    assert "LNbits withdraw key" in unreadable.message and "does not exist" in unreadable.message
    assert unreadable.key == "refunds.voucher_key_file"  # the setup page names the setting
    key = tmp_path / "withdraw.key"
    key.write_text("ab" * 16 + "\n")
    key.chmod(0o644)
    with caplog.at_level(logging.WARNING):
        config = preflight.load(vouchers(write, "withdraw.key"))
    assert f"chmod 600 {key}" in caplog.text and "ab" * 16 not in caplog.text
    found = [(f.name, f.status) for f in findings(config)]
    assert ("credential", Status.OK) in found and ("credential", Status.WARN) in found
