"""Keeps the kiosk in the app: Escape, the back key and a window close do nothing; an idle kiosk
goes back to the keypad.

Leaving the app is "Quit kiosk" in the admin area, behind the PIN. What the OS
must do (restart on a crash, no console, screen blanking off) is the systemd
unit's and the installer's job; here the app asks SDL not to blank the screen
(boot.configure_kivy) and never offers a way out.
"""

from __future__ import annotations

import signal
import time
from collections.abc import Callable

from kivy.base import stopTouchApp
from kivy.clock import Clock
from kivy.core.window import Window

ESCAPE = 27
ANDROID_BACK = 1001
CHECK_EVERY_S = 1.0


class Lockdown:
    def __init__(self, idle_seconds: int, on_idle: Callable[[], None]) -> None:
        self.idle_seconds = idle_seconds
        self.may_close = False  # set only by "Quit kiosk"
        self._on_idle = on_idle
        self._last_touch = time.monotonic()
        Window.bind(
            on_keyboard=self._key, on_request_close=self._close_requested, on_touch_down=self._touched
        )
        Clock.schedule_interval(self._check, CHECK_EVERY_S)
        # systemd stops the kiosk with SIGTERM. SDL would turn it into the same "quit" as a window
        # close (refused here); boot.configure_kivy tells SDL to leave signals alone, and this
        # handler stops the app cleanly instead.
        signal.signal(signal.SIGTERM, self._terminated)

    def idle_for_s(self) -> float:
        return time.monotonic() - self._last_touch

    def _key(self, _window: object, key: int, *_args: object) -> bool:
        return key in (ESCAPE, ANDROID_BACK)  # True: handled, Kivy does not close the window

    def _close_requested(self, *_args: object, **_kwargs: object) -> bool:
        return not self.may_close  # True keeps the window open

    def _terminated(self, _signum: int, _frame: object) -> None:
        self.may_close = True
        Clock.schedule_once(lambda _dt: stopTouchApp())

    def _touched(self, *_args: object) -> None:
        self._last_touch = time.monotonic()  # returns None: the touch goes on to the widgets

    def _check(self, _dt: float) -> None:
        if self.idle_for_s() >= self.idle_seconds:
            self._last_touch = time.monotonic()
            self._on_idle()
