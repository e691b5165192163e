"""A PIN pad's keys, dots and lockout countdown, shared by the admin PIN and the cashiers' sign-in."""

from __future__ import annotations

from kivy.clock import Clock
from kivy.factory import Factory
from kivy.properties import BooleanProperty, NumericProperty, StringProperty
from kivy.uix.widget import Widget

from kiosk.services.admin_pin import MAX_DIGITS, MIN_DIGITS, PinCheck
from kiosk.ui import admin_views, strings, theme

KEYS = ("1", "2", "3", "4", "5", "6", "7", "8", "9", "back", "0", "ok")


class PinPad:
    """Mixed into a screen with a `notice`: it calls `add_keys` once, and says what OK does (`submit`)."""

    dots = StringProperty("")
    locked_for_s = NumericProperty(0)
    can_ok = BooleanProperty(False)

    def add_keys(self, grid: Widget) -> None:
        self.typed = ""
        self.keys = {}
        for key in KEYS:
            text = {"back": strings.BACKSPACE, "ok": strings.OK}.get(key, key)
            button = Factory.AccentButton(text=text) if key == "ok" else Factory.KeyButton(text=text)
            if key == "back":
                button.font_name = theme.FONT_SYMBOLS
            button.bind(on_release=lambda _b, k=key: self.press(k))
            self.keys[key] = button
            grid.add_widget(button)
        self.bind(can_ok=lambda _s, can: setattr(self.keys["ok"], "disabled", not can))
        self._countdown = Clock.schedule_interval(self._tick, 1)
        self._countdown.cancel()

    def press(self, key: str) -> None:
        if self.locked_for_s:
            return
        if key == "back":
            self.set_typed(self.typed[:-1])
        elif key == "ok":
            pin = self.typed
            self.set_typed("")
            self.submit(pin)
        elif len(self.typed) < MAX_DIGITS:
            self.set_typed(self.typed + key)

    def submit(self, pin: str) -> None:
        raise NotImplementedError

    def refused_check(self, check: PinCheck) -> None:
        self.lock(check.locked_for_s)
        self.notice = admin_views.pin_answer(check)
        self.set_typed("")

    def refused(self, message: str, locked_for_s: int) -> None:
        self.lock(locked_for_s)
        self.notice = message
        self.set_typed("")

    def set_typed(self, typed: str) -> None:
        self.typed = typed
        self.dots = admin_views.pin_dots(typed)
        self.can_ok = len(typed) >= MIN_DIGITS and not self.locked_for_s

    def lock(self, seconds: int) -> None:
        """Locked for `seconds` (0: open again at once), counting down on the notice line."""
        self.locked_for_s = seconds
        if seconds:
            self.notice = admin_views.wait_text(seconds)
            self._countdown()
        else:
            self._countdown.cancel()
        self.set_typed(self.typed)

    def stop_countdown(self) -> None:
        self._countdown.cancel()
        self.set_typed("")

    def _tick(self, _dt: float) -> None:
        self.locked_for_s = max(0, self.locked_for_s - 1)
        if self.locked_for_s:
            self.notice = admin_views.wait_text(int(self.locked_for_s))
        else:
            self._countdown.cancel()
            self.notice = ""
            self.set_typed(self.typed)
