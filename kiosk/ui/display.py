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


# SDL drivers that draw where nobody sees: the tests, the tour, a check run over ssh.
UNSEEN_DRIVERS = frozenset({"offscreen", "dummy"})
# A setup problem nobody can see on a screen (or whose page was closed): as for a bad config in the CLI.
SETUP_EXIT_CODE = 2


def can_show_window(env: Mapping[str, str]) -> bool:
    """Whether a page on the screen can reach a person; if not, a setup problem exits at once."""
    return env.get("SDL_VIDEODRIVER", "") not in UNSEEN_DRIVERS
