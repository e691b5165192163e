"""Kivy settings that must be in place before Kivy is first imported and opens its window."""

from __future__ import annotations

import logging
import os

_NO_CUT_BUFFER = "Cutbuffer: Unable to find any valuable Cutbuffer provider"


class _CutBufferIsOptional(logging.Filter):
    """Kivy looks for xclip or xsel to offer X11's middle-click paste (its "cut buffer") and, when
    neither is installed, logs CRITICAL with a traceback per tool, though nothing is wrong: the
    kiosk runs without X (KMSDRM) and never pastes that way. That one record becomes a one-line
    INFO; every other record, CRITICAL or not, passes unchanged.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno == logging.CRITICAL and str(record.msg).startswith(_NO_CUT_BUFFER):
            record.levelno, record.levelname = logging.INFO, logging.getLevelName(logging.INFO)
            record.msg, record.args = "Cutbuffer: none (xclip and xsel are not installed; not needed)", ()
            record.exc_info = None
        return True


_CUT_BUFFER_FILTER = _CutBufferIsOptional()


def configure_kivy(fullscreen: bool, width: int, height: int) -> None:
    """Logs to stdout (journald on the Pi), no log files, no Kivy command-line parsing; locked down:
    Escape does not quit and the screen does not blank (see kiosk.ui.lockdown for the rest).
    """
    os.environ.setdefault("KIVY_NO_ARGS", "1")
    os.environ.setdefault("KIVY_NO_FILELOG", "1")
    os.environ.setdefault("KIVY_LOG_MODE", "PYTHON")
    os.environ.setdefault("KIVY_NO_CONFIG", "1")
    os.environ.setdefault("SDL_NO_SIGNAL_HANDLERS", "1")  # SIGTERM is the app's (kiosk.ui.lockdown)
    # News from a worker (the invoice made) wakes the loop at once, not at the next 1/60 s frame.
    os.environ.setdefault("KIVY_CLOCK", "interrupt")
    # Mesa's software renderer (llvmpipe: a PC without a GPU, the tour, CI) draws in the calling
    # thread: with its own threads, a label or QR uploaded mid-frame waited for them, up to
    # 0.5 s on a busy 2-core machine. GPU drivers (the Pi's V3D) ignore it.
    os.environ.setdefault("LP_NUM_THREADS", "0")
    # The clipboard (the history search field's copy and paste) is SDL's; without this Kivy first
    # runs `xclip -version` and `xsel --version` to look for X11 tools the kiosk does not have.
    os.environ.setdefault("KIVY_CLIPBOARD", "sdl2,dummy")
    logging.getLogger("kivy").addFilter(_CUT_BUFFER_FILTER)  # adds it once, however often called
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
