"""Kivy settings that must be in place before Kivy is first imported and opens its window."""

from __future__ import annotations

import os


def configure_kivy(fullscreen: bool, width: int, height: int) -> None:
    """Logs to stdout (journald on the Pi), no log files, no Kivy command-line parsing; locked down:
    Escape does not quit and the screen does not blank (see kiosk.ui.lockdown for the rest).
    """
    os.environ.setdefault("KIVY_NO_ARGS", "1")
    os.environ.setdefault("KIVY_NO_FILELOG", "1")
    os.environ.setdefault("KIVY_LOG_MODE", "PYTHON")
    os.environ.setdefault("KIVY_NO_CONFIG", "1")
    os.environ.setdefault("SDL_NO_SIGNAL_HANDLERS", "1")  # SIGTERM is the app's (kiosk.ui.lockdown)
    from kivy.config import Config

    Config.set("graphics", "fullscreen", "auto" if fullscreen else "0")
    Config.set("graphics", "borderless", "1" if fullscreen else "0")
    Config.set("graphics", "show_cursor", "0" if fullscreen else "1")
    Config.set("graphics", "width", str(width))
    Config.set("graphics", "height", str(height))
    Config.set("graphics", "resizable", "0" if fullscreen else "1")
    # No red multitouch dots on a right click; the mouse gives way while a touchscreen is used,
    # so one finger is never read twice (SDL's mouse plus Kivy's own touch provider).
    Config.set("input", "mouse", "mouse,multitouch_on_demand,disable_on_activity")
    Config.set("kivy", "exit_on_escape", "0")
    Config.set("graphics", "allow_screensaver", "0")  # SDL keeps the display awake while the app runs
    # The history search on a touchscreen with no keyboard: an on-screen keyboard docks at the bottom.
    Config.set("kivy", "keyboard_mode", "systemanddock")
