"""main.py as a merchant starts it: the tour end to end, start-up figures, config errors."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
TOUR = [
    "00-setup-problem",
    "01-keypad",
    "02-amount",
    "03-amount-sats",
    "04-creating",
    "05-invoice",
    "05b-tap-to-pay",
    "05c-card-read",
    "06-paid",
    "07-cancelled",
    "08-paid-late",
    "09-over-limit",
    "10-error",
    "11-printer-waiting",
    "12-catalog",
    "13-tip",
    "14-tip-amount",
    "15-invoice-tip",
    "16-admin-pin",
    "17-admin-locked",
    "18-admin-menu",
    "19-history",
    "20-sale-detail",
    "21-shift-report",
    "22-shift-closed",
    "23-export-done",
    "24-node-status",
    "25-settings",
    "26-cash-change",
    "27-paid-cash",
    "28-recent",
    "29-refund",
    "30-refund-voucher",
    "31-sale-refunded",
    "32-sign-in",
    "33-sign-in-pin",
    "34-signed-in",
    "35-discount",
    "36-cart-discounted",
    "37-receipt-vat",
]


def run_main(*args: str, cwd: Path = ROOT, timeout: float = 120) -> subprocess.CompletedProcess:
    env = {**os.environ, "SDL_VIDEODRIVER": "offscreen"}
    env.pop("KIOSK_CONFIG", None)
    return subprocess.run(
        [sys.executable, str(ROOT / "main.py"), *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


@pytest.mark.ui
@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("en", "The screenshot tour is not part of the installed kiosk"),
        ("zh_CN", "截图导览不随收银机一起安装"),
    ],
)
def test_the_tour_on_an_installed_kiosk_without_tools_says_it_needs_a_checkout(tmp_path, language, words):
    app = tmp_path / "app"  # as deploy/install.sh lays it out: main.py and kiosk/, no tools/
    app.mkdir()
    (app / "main.py").write_bytes((ROOT / "main.py").read_bytes())
    (app / "kiosk").symlink_to(ROOT / "kiosk")
    config = tmp_path / "kiosk.toml"
    config.write_text(f'[ui]\nlanguage = "{language}"\n')
    env = {**os.environ, "SDL_VIDEODRIVER": "offscreen"}
    env.pop("PYTHONPATH", None)
    result = subprocess.run(
        [sys.executable, str(app / "main.py"), "--config", str(config), "--tour", str(tmp_path / "out")],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert words in result.stderr and "Traceback" not in result.stderr, result.stderr
    assert not (tmp_path / "out").exists()


@pytest.mark.ui
def test_measure_startup_prints_time_and_memory(tmp_path):
    result = run_main("--demo", "--measure-startup", cwd=tmp_path)
    assert result.returncode == 0, result.stderr[-3000:]
    match = re.search(r"startup: keypad ready in ([\d.]+) s; peak RSS ([\d.]+) MiB", result.stdout)
    assert match, result.stdout
    assert 0 < float(match[1]) < 60 and float(match[2]) > 10


def test_config_error_is_explained_with_exit_code_2(tmp_path):
    bad = tmp_path / "kiosk.toml"
    bad.write_text('[ui]\nfullscreen = "maybe"\n')
    result = run_main("--config", str(bad), cwd=tmp_path)
    assert result.returncode == 2
    assert "ui.fullscreen = 'maybe' is not allowed" in result.stderr
    assert "To fix it: Use one of: auto, yes, no" in result.stderr
    assert "Traceback" not in result.stderr
