"""The PIN pad in front of the admin area; on first use it asks for a new PIN, twice."""

from __future__ import annotations

from kivy.clock import Clock
from kivy.factory import Factory
from kivy.properties import BooleanProperty, NumericProperty, StringProperty

from kiosk.errors import KioskError
from kiosk.services.admin_pin import MAX_DIGITS, MIN_DIGITS, PinCheck, check_strength
from kiosk.ui import admin_views, strings, theme
from kiosk.ui.screens.admin_base import AdminScreen
from kiosk.ui.screens.base import kv_file

KV = kv_file(__file__)
KEYS = ("1", "2", "3", "4", "5", "6", "7", "8", "9", "back", "0", "ok")


class AdminPinScreen(AdminScreen):
    prompt = StringProperty("")
    dots = StringProperty("")
    locked_for_s = NumericProperty(0)
    can_ok = BooleanProperty(False)

    def __init__(self, controller: object, **kwargs: object) -> None:
        super().__init__(controller, **kwargs)
        self.typed = ""
        self.mode = "enter"  # or "choose", then "confirm" on first use
        self._chosen = ""
        self.keys = {}
        for key in KEYS:
            text = {"back": strings.BACKSPACE, "ok": strings.OK}.get(key, key)
            button = Factory.AccentButton(text=text) if key == "ok" else Factory.KeyButton(text=text)
            if key == "back":
                button.font_name = theme.FONT_SYMBOLS
            button.bind(on_release=lambda _b, k=key: self.press(k))
            self.keys[key] = button
            self.ids.grid.add_widget(button)
        self.bind(can_ok=lambda _s, can: setattr(self.keys["ok"], "disabled", not can))
        self._countdown = Clock.schedule_interval(self._tick, 1)
        self._countdown.cancel()

    def start(self, is_set: bool, locked_for_s: int) -> None:
        self.mode = "enter" if is_set else "choose"
        self._chosen = ""
        self.notice = ""
        self.prompt = strings.ADMIN_PIN_TITLE if is_set else strings.ADMIN_PIN_CHOOSE
        self._lock(locked_for_s)
        self._set("")

    def press(self, key: str) -> None:
        if self.locked_for_s:
            return
        if key == "back":
            self._set(self.typed[:-1])
        elif key == "ok":
            self._submit()
        elif len(self.typed) < MAX_DIGITS:
            self._set(self.typed + key)

    def refused_check(self, check: PinCheck) -> None:
        self._lock(check.locked_for_s)
        self.notice = admin_views.pin_answer(check)
        self._set("")

    def refused(self, message: str, locked_for_s: int) -> None:
        self._lock(locked_for_s)
        self.notice = message
        self._set("")

    def weak(self, message: str) -> None:
        self.mode = "choose"
        self.prompt = strings.ADMIN_PIN_CHOOSE
        self.notice = message
        self._set("")

    def on_leave(self, *_: object) -> None:
        self._countdown.cancel()
        self._set("")

    def _submit(self) -> None:
        pin, self.typed = self.typed, ""
        if self.mode == "enter":
            self.controller.admin.check_pin(pin)
        elif self.mode == "choose":
            try:
                check_strength(pin)
            except KioskError as exc:
                self.weak(str(exc))
                return
            self._chosen, self.mode = pin, "confirm"
            self.prompt, self.notice = strings.ADMIN_PIN_CONFIRM, ""
        elif pin == self._chosen:
            self.controller.admin.choose_pin(pin)
        else:
            self.weak(strings.ADMIN_PIN_MISMATCH)
        self._set("")

    def _set(self, typed: str) -> None:
        self.typed = typed
        self.dots = admin_views.pin_dots(typed)
        self.can_ok = len(typed) >= MIN_DIGITS and not self.locked_for_s

    def _lock(self, seconds: int) -> None:
        self.locked_for_s = seconds
        if seconds:
            self.notice = admin_views.wait_text(seconds)
            self._countdown()
        self._set(self.typed)

    def _tick(self, _dt: float) -> None:
        self.locked_for_s = max(0, self.locked_for_s - 1)
        if self.locked_for_s:
            self.notice = admin_views.wait_text(int(self.locked_for_s))
        else:
            self._countdown.cancel()
            self.notice = ""
            self._set(self.typed)
