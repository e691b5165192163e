"""A manager's PIN for what the one signed in may not do (a refund, a large discount): tap your name,
type your PIN. The flow that asks checks the PIN (`approve`) and says where Back goes (`not_approved`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from kivy.factory import Factory
from kivy.properties import BooleanProperty, StringProperty

from kiosk.services.admin_pin import MAX_DIGITS, MIN_DIGITS, PinCheck
from kiosk.services.staff import StaffMember
from kiosk.ui import admin_views, strings_discount, strings_refund, theme
from kiosk.ui.screens.admin_base import AdminScreen
from kiosk.ui.screens.base import kv_file
from kiosk.ui.widgets import add_number_keys

KV = kv_file(__file__)


class Approving(Protocol):
    def approve(self, staff_id: int, pin: str) -> None:
        """Check the PIN of `staff_id` (`admin_views.OWNER`: the owner's admin PIN), on a worker."""

    def not_approved(self) -> None:
        """Back: where the screen goes without an approval."""


class AdminApproveScreen(AdminScreen):
    title = StringProperty("")
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
        self.flow: Approving | None = None

    def ask(
        self, flow: Approving, title: str, why: str, approvers: Sequence[StaffMember], owner: bool = False
    ) -> None:
        """`approvers`' names to tap, and with `owner` the owner's too (the admin PIN)."""
        self.flow, self.title, self.why, self.notice = flow, title, why, ""
        choices = [(m.id, m.name) for m in approvers]
        choices += [(admin_views.OWNER, strings_discount.OWNER)] if owner else []
        if approvers:
            self.prompt = strings_refund.APPROVE_PICK
        else:
            self.prompt = strings_discount.APPROVE_OWNER if owner else strings_refund.APPROVE_NO_MANAGER
        self.ids.names.clear_widgets()
        self.names = {}
        for choice_id, name in choices:
            button = Factory.ChoiceButton(text=name)
            button.bind(on_release=lambda _b, staff_id=choice_id: self.pick(staff_id))
            self.names[choice_id] = button
            self.ids.names.add_widget(button)
        self.pick(choices[0][0] if len(choices) == 1 else None)

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
        if self.can_ok and self.picked is not None and self.flow is not None:
            pin = self.typed
            self._set("")
            self.flow.approve(self.picked, pin)

    def refused_check(self, check: PinCheck) -> None:
        self.refused(admin_views.pin_answer(check))

    def refused(self, message: str) -> None:
        self.notice = f"[color=#F05252]{message}[/color]"
        self._set("")

    def back(self) -> None:
        if self.flow is not None:
            self.flow.not_approved()

    def on_leave(self, *_: object) -> None:
        self._set("")

    def _set(self, typed: str) -> None:
        self.typed = typed
        self.dots = admin_views.pin_dots(typed)
        self.can_ok = self.picked is not None and len(typed) >= MIN_DIGITS
