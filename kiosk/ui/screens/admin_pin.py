"""The PIN pad in front of the admin area; on first use it asks for a new PIN, twice."""

from __future__ import annotations

from kivy.properties import StringProperty

from kiosk.errors import KioskError
from kiosk.services.admin_pin import check_strength
from kiosk.ui import strings
from kiosk.ui.screens.admin_base import AdminScreen
from kiosk.ui.screens.base import kv_file
from kiosk.ui.screens.pin_pad import PinPad

KV = kv_file(__file__)


class AdminPinScreen(PinPad, AdminScreen):
    prompt = StringProperty("")

    def __init__(self, controller: object, **kwargs: object) -> None:
        super().__init__(controller, **kwargs)
        self.mode = "enter"  # or "choose", then "confirm" on first use
        self._chosen = ""
        self.add_keys(self.ids.grid)

    def start(self, is_set: bool, locked_for_s: int, member: str = "") -> None:
        """`member`: the name signed in on the till, whose own PIN opens the admin area too."""
        self.mode = "enter" if is_set else "choose"
        self._chosen = ""
        self.notice = ""
        entering = strings.ADMIN_PIN_OR_OWN.format(name=member) if member else strings.ADMIN_PIN_TITLE
        self.prompt = entering if is_set else strings.ADMIN_PIN_CHOOSE
        self.lock(locked_for_s)
        self.set_typed("")

    def weak(self, message: str) -> None:
        self.mode = "choose"
        self.prompt = strings.ADMIN_PIN_CHOOSE
        self.notice = message
        self.set_typed("")

    def on_leave(self, *_: object) -> None:
        self.stop_countdown()

    def submit(self, pin: str) -> None:
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
