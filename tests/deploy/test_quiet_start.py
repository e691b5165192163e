"""A normal start prints no CRITICAL line and no traceback (Kivy's clipboard probe), yet a real
CRITICAL from Kivy still gets through."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# What main.py does (its logging, then Kivy's settings) before its window opens, then what the
# history search field does when it is first touched (Kivy picks its clipboard and cut buffer),
# then one real CRITICAL.
START = """
import logging
logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
from kiosk.ui.boot import configure_kivy
configure_kivy(fullscreen=False, width=320, height=240)
from kivy.core.window import Window
from kivy.core.clipboard import Clipboard, CutBuffer
from kivy.logger import Logger
print("clipboard:", type(Clipboard).__name__, "cut buffer:", CutBuffer, flush=True)
Logger.critical("Window: a real problem")
"""


def test_the_clipboard_probe_prints_no_critical_line_or_traceback(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("KIVY_")}
    # No xclip or xsel on the PATH, as on a fresh Debian or Raspberry Pi OS Lite.
    env |= {"SDL_VIDEODRIVER": "offscreen", "PATH": str(tmp_path), "HOME": str(tmp_path)}
    result = subprocess.run(
        [sys.executable, "-c", START], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert "clipboard: ClipboardSDL2 cut buffer: None" in result.stdout
    output = result.stdout + result.stderr
    assert "Traceback" not in output and "FileNotFoundError" not in output
    criticals = [line for line in output.splitlines() if "CRITICAL" in line]
    assert criticals == [next(line for line in criticals if "a real problem" in line)]
    assert "Cutbuffer: none (xclip and xsel are not installed; not needed)" in output
