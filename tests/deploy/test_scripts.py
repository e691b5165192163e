"""Static checks of the deploy files (shellcheck, systemd-analyze) and install.sh's view of a config."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
UNIT = DEPLOY / "lightning-kiosk.service"
SYSTEM_UNITS = Path("/usr/lib/systemd/system")


@pytest.mark.skipif(
    not shutil.which("shellcheck"), reason="shellcheck is not installed: apt-get install shellcheck"
)
def test_shell_scripts_are_shellcheck_clean():
    scripts = sorted(DEPLOY.glob("*.sh")) + sorted(DEPLOY.glob("lib/*.sh"))
    result = subprocess.run(
        ["shellcheck", "-x", *map(str, scripts)], cwd=ROOT, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout


@pytest.mark.skipif(
    not shutil.which("systemd-analyze") or not SYSTEM_UNITS.is_dir(),
    reason="systemd-analyze or systemd's units are missing: apt-get install systemd",
)
def test_unit_passes_systemd_analyze_verify(tmp_path):
    """Checked in a scratch root holding systemd's units, our unit and an executable ExecStart."""
    shutil.copytree(SYSTEM_UNITS, tmp_path / "usr/lib/systemd/system", symlinks=True)
    (tmp_path / "etc/systemd/system").mkdir(parents=True)
    shutil.copy(UNIT, tmp_path / "etc/systemd/system")
    start = tmp_path / "opt/lightning-kiosk/app/deploy/kiosk-start.sh"
    start.parent.mkdir(parents=True)
    shutil.copy(DEPLOY / "kiosk-start.sh", start)
    result = subprocess.run(
        ["systemd-analyze", "verify", "--man=no", f"--root={tmp_path}", UNIT.name],
        capture_output=True,
        text=True,
    )
    # verify exits 0 on unknown keys and bad values too: any message is a failure.
    assert (result.returncode, result.stdout + result.stderr) == (0, "")


def config_facts(config: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, str(DEPLOY / "config_facts.py"), str(config)],
        env=env,
        capture_output=True,
        text=True,
    )


def test_config_facts_resolve_paths_against_the_config_file(tmp_path):
    config = tmp_path / "etc" / "kiosk.toml"
    config.parent.mkdir()
    config.write_text(
        '[node]\nbackend = "lnd"\nurl = "https://10.0.0.5:8080"\nmacaroon_file = "secrets/invoice.macaroon"\n'
        'tls_cert_file = "secrets/tls.cert"\n'
        '[printer]\nkind = "usb"\nusb_vendor_id = 0x0416\nusb_product_id = 0x5011\n'
        '[ledger]\npath = "../data/ledger.sqlite3"\n'
    )
    result = config_facts(config)
    assert result.returncode == 0, result.stderr
    facts = dict(line.split("=", 1) for line in result.stdout.splitlines())
    assert facts["cfg_backend"] == "lnd"
    assert facts["cfg_secret_files"] == str(tmp_path / "etc/secrets/invoice.macaroon")
    assert facts["cfg_cert_files"] == str(tmp_path / "etc/secrets/tls.cert")
    assert (facts["cfg_printer_kind"], facts["cfg_usb_vendor"], facts["cfg_usb_product"]) == (
        "usb",
        "0416",
        "5011",
    )
    assert facts["cfg_ledger"] == str(tmp_path / "data/ledger.sqlite3")
    assert facts["cfg_nfc"] == "no"


def test_config_facts_say_when_tap_to_pay_is_on(tmp_path):
    config = tmp_path / "kiosk.toml"
    config.write_text('[nfc]\nenabled = true\nreader = "ACR122U"\n')
    result = config_facts(config)
    assert result.returncode == 0, result.stderr
    assert "cfg_nfc=yes" in result.stdout.splitlines()


def test_config_facts_name_the_phoenixd_password_as_a_secret(tmp_path):
    config = tmp_path / "kiosk.toml"
    config.write_text(
        '[node]\nbackend = "phoenixd"\nurl = "http://127.0.0.1:9740"\n'
        'password_file = "secrets/phoenixd-limited.password"\n'
    )
    result = config_facts(config)
    assert result.returncode == 0, result.stderr
    facts = dict(line.split("=", 1) for line in result.stdout.splitlines())
    assert facts["cfg_secret_files"] == str(tmp_path / "secrets/phoenixd-limited.password")


def test_config_facts_name_the_nwc_uri_as_a_secret(tmp_path):
    config = tmp_path / "kiosk.toml"
    config.write_text('[node]\nbackend = "nwc"\nnwc_uri_file = "secrets/nwc.uri"\n')
    result = config_facts(config)
    assert result.returncode == 0, result.stderr
    facts = dict(line.split("=", 1) for line in result.stdout.splitlines())
    assert facts["cfg_secret_files"] == str(tmp_path / "secrets/nwc.uri")


def test_config_facts_refuse_a_wrong_config_with_the_fix(tmp_path):
    config = tmp_path / "kiosk.toml"
    config.write_text('[printer]\nkind = "usbb"\n')
    result = config_facts(config)
    assert result.returncode == 2
    assert "printer.kind = 'usbb' is not allowed" in result.stderr
    assert "To fix it: Use one of:" in result.stderr


def test_quit_kiosk_is_not_restarted_but_every_other_exit_is():
    from kiosk.ui.app import QUIT_EXIT_CODE  # Kivy imports lazily: no window is opened

    lines = [line for line in UNIT.read_text().splitlines() if "=" in line and not line.startswith("#")]
    settings = dict(line.split("=", 1) for line in lines)
    assert settings["Restart"] == "always"
    assert settings["RestartPreventExitStatus"].split() == [str(QUIT_EXIT_CODE)]
