"""A manager's PIN for what the one signed in may not do (a refund): tap your name, type your PIN."""

from __future__ import annotations

from collections.abc import Sequence

from kivy.factory import Factory
from kivy.properties import BooleanProperty, StringProperty

from kiosk.services.admin_pin import MAX_DIGITS, MIN_DIGITS, PinCheck
from kiosk.services.staff import StaffMember
from kiosk.ui import admin_views, strings_refund, theme
from kiosk.ui.screens.admin_base import AdminScreen
from kiosk.ui.screens.base import kv_file
from kiosk.ui.widgets import add_number_keys

KV = kv_file(__file__)


class AdminApproveScreen(AdminScreen):
    why = StringProperty("")  # what the one signed in may not do, and what to do
    prompt = StringProperty("")
    dots = StringProperty("")
    can_ok = BooleanProperty(False)

    def __init__(self, controller: object, **kwargs: object) -> None:
        super().__init__(controller, **kwargs)
        self.keys = add_number_keys(self.ids.grid, self.press)
        self.typed = ""
        self.picked: int | None = None
        self.names: dict[int, object] = {}

    def ask(self, why: str, approvers: Sequence[StaffMember]) -> None:
        self.why, self.notice = why, ""
        self.prompt = strings_refund.APPROVE_PICK if approvers else strings_refund.APPROVE_NO_MANAGER
        self.ids.names.clear_widgets()
        self.names = {}
        for member in approvers:
            button = Factory.ChoiceButton(text=member.name)
            button.bind(on_release=lambda _b, staff_id=member.id: self.pick(staff_id))
            self.names[member.id] = button
            self.ids.names.add_widget(button)
        self.pick(approvers[0].id if len(approvers) == 1 else None)

    def pick(self, staff_id: int | None) -> None:
        self.picked = staff_id
        for member_id, button in self.names.items():
            button.fill = theme.ACCENT if member_id == staff_id else theme.KEY
            button.color = theme.ON_ACCENT if member_id == staff_id else theme.TEXT
        self._set(self.typed)

    def press(self, key: str) -> None:
        typed = self.typed[:-1] if key == "back" else (self.typed + key)[:MAX_DIGITS]
        self._set(typed)

    def submit(self) -> None:
        if self.can_ok and self.picked is not None:
            pin = self.typed
            self._set("")
            self.admin.refunds.approve(self.picked, pin)

    def refused_check(self, check: PinCheck) -> None:
        self.refused(admin_views.pin_answer(check))

    def refused(self, message: str) -> None:
        self.notice = f"[color=#F05252]{message}[/color]"
        self._set("")

    def on_leave(self, *_: object) -> None:
        self._set("")

    def _set(self, typed: str) -> None:
        self.typed = typed
        self.dots = admin_views.pin_dots(typed)
        self.can_ok = self.picked is not None and len(typed) >= MIN_DIGITS
