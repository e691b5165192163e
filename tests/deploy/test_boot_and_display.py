"""The shell functions install.sh and uninstall.sh use on the Pi's firmware files and DRM cards."""

from __future__ import annotations

import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LIB = ROOT / "deploy" / "lib"
CMDLINE = (
    "console=serial0,115200 console=tty1 root=PARTUUID=1234-02 rootfstype=ext4 fsck.repair=yes rootwait\n"
)
CONFIG_TXT = "dtparam=audio=on\n[cm4]\notg_mode=1\n"


def bash(script: str, *args: str) -> str:
    """Run SCRIPT with deploy/lib sourced; its stdout."""
    source = f". {LIB}/common.sh; . {LIB}/boot.sh; . {LIB}/display.sh; "
    result = subprocess.run(
        ["bash", "-euo", "pipefail", "-c", source + script, "bash", *args],
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout


def test_config_block_is_added_once_under_all_and_removed_cleanly(tmp_path):
    config = tmp_path / "config.txt"
    config.write_text(CONFIG_TXT)
    add = 'config_block "$1" enable_uart=1 "[pi5]" dtparam=uart0=on'
    assert bash(add, str(config)).strip() == "changed"
    once = config.read_text()
    assert bash(add, str(config)).strip() == "unchanged"
    assert config.read_text() == once
    # After [cm4] our lines would apply to a CM4 only: the block opens with [all].
    assert once.startswith(CONFIG_TXT)
    assert once[len(CONFIG_TXT) :].splitlines() == [
        "# >>> lightning-kiosk",
        "[all]",
        "enable_uart=1",
        "[pi5]",
        "dtparam=uart0=on",
        "[all]",
        "# <<< lightning-kiosk",
    ]
    assert bash('config_block "$1"', str(config)).strip() == "changed"
    assert config.read_text() == CONFIG_TXT


def test_serial_console_goes_blanking_off_and_both_come_back(tmp_path):
    cmdline = tmp_path / "cmdline.txt"
    cmdline.write_text(CMDLINE)
    out = bash('cmdline_edit "$1" consoleblank=0 "$SERIAL_CONSOLE_RE"', str(cmdline)).split()
    assert out == ["console=serial0,115200", "changed"]
    assert cmdline.read_text() == (
        "console=tty1 root=PARTUUID=1234-02 rootfstype=ext4 fsck.repair=yes rootwait consoleblank=0\n"
    )
    assert bash('cmdline_edit "$1" consoleblank=0 "$SERIAL_CONSOLE_RE"', str(cmdline)).split() == [
        "unchanged"
    ]
    bash(
        'cmdline_edit "$1" "" "^consoleblank=0$" >/dev/null; cmdline_prepend "$1" console=serial0,115200',
        str(cmdline),
    )
    assert cmdline.read_text() == CMDLINE


def test_the_dsi_card_is_found_by_its_stable_name(tmp_path):
    by_path = tmp_path / "by-path"
    by_path.mkdir()
    for card in ("card0", "card1", "card2"):
        (tmp_path / card).touch()
    (by_path / "platform-gpu-card").symlink_to("../card1")
    assert bash('dsi_card_index "$1"', str(by_path)) == ""
    (by_path / "platform-1f00130000.dsi-card").symlink_to("../card2")
    assert bash('dsi_card_index "$1"', str(by_path)).strip() == "2"
    assert bash('dsi_card_index "$1"', str(tmp_path / "missing")) == ""
