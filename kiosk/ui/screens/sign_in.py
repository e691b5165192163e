"""The cashiers' sign-in: tap your name, type your PIN on the pad; Sign out for the next one."""

from __future__ import annotations

from collections.abc import Sequence

from kivy.factory import Factory
from kivy.properties import NumericProperty, StringProperty

from kiosk.services.staff import StaffMember
from kiosk.ui import strings, theme
from kiosk.ui.screens.base import KioskScreen, kv_file
from kiosk.ui.screens.pin_pad import PinPad

KV = kv_file(__file__)


class SignInScreen(PinPad, KioskScreen):
    prompt = StringProperty("")
    notice = StringProperty("")  # a wrong PIN, a lockout, or why the pad asks (red)
    hint = StringProperty("")  # what to do next (quiet), when there is no notice
    signed_in = StringProperty("")  # the name signed in now, or ""
    chosen_id = NumericProperty(0)  # the member whose PIN the pad takes; 0: none chosen yet

    def __init__(self, controller: object, **kwargs: object) -> None:
        super().__init__(controller, **kwargs)
        self.add_keys(self.ids.grid)
        self.names: dict[int, object] = {}  # staff id -> their button

    def start(self, members: Sequence[StaffMember], member: StaffMember | None, notice: str) -> None:
        self.ids.names.clear_widgets()
        self.names = {}
        for m in members:
            button = Factory.NameButton(text=m.name)
            button.bind(on_release=lambda _b, m=m: self.controller.signin.choose(m))
            self.names[m.id] = button
            self.ids.names.add_widget(button)
        self.signed_in = member.name if member else ""
        self.chosen_id = 0
        self.prompt, self.hint, self.notice = strings.SIGN_IN_TITLE, strings.SIGN_IN_PICK, notice
        self.lock(0)
        self.set_typed("")
        self._mark()

    def chosen(self, member: StaffMember, locked_for_s: int) -> None:
        self.chosen_id = member.id
        self.prompt, self.hint, self.notice = strings.SIGN_IN_PIN.format(name=member.name), "", ""
        self.set_typed("")
        self.lock(locked_for_s)
        self._mark()

    def submit(self, pin: str) -> None:
        self.controller.signin.check_pin(int(self.chosen_id), pin)

    def on_leave(self, *_: object) -> None:
        self.stop_countdown()

    def _mark(self) -> None:
        for staff_id, button in self.names.items():
            button.outline = theme.ACCENT if staff_id == self.chosen_id else theme.LINE
