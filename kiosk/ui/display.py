"""Fullscreen or a window: decided before Kivy opens its window."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

PI_MODEL_FILE = Path("/proc/device-tree/model")


def is_raspberry_pi(model_file: Path = PI_MODEL_FILE) -> bool:
    try:
        return "Raspberry Pi" in model_file.read_text(errors="replace")
    except OSError:
        return False


def wants_fullscreen(setting: str, windowed: bool, env: Mapping[str, str], on_pi: bool) -> bool:
    """ui.fullscreen: yes | no | auto (a Pi, or no desktop at all, i.e. KMSDRM on the console)."""
    if windowed or setting == "no":
        return False
    if setting == "yes":
        return True
    no_desktop = not env.get("DISPLAY") and not env.get("WAYLAND_DISPLAY")
    return on_pi or no_desktop
