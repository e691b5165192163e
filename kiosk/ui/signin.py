"""Who sells on the till: cashiers sign in with their own PIN, and the sales they make carry their id.

Only in a shop with staff (`python -m kiosk staff add`); a shop without sees nothing new. Decided:

- With staff, selling needs someone signed in: Charge and Cash open the sign-in screen first, so no
  sale goes unnamed (what was typed stays on the keypad or in the cart).
- The idle timeout does not sign out: it returns to the keypad and locks the admin area as before.
  A cashier signs out on the sign-in screen, where the next one signs in; a restart signs out.
  Cashiers only sell and take cash, so a forgotten sign-out names the wrong person but moves no money.
- The staff are read again (on a worker) whenever the keypad or the cart shows, so a member added
  or removed with the CLI while the kiosk runs shows up, or is signed out, then.

Signing in sets `Checkout.cashier_id` (through the till's sale desk); the PIN's hash and lockout are
the staff service's (`kiosk.services.staff`), checked on a worker.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from kiosk.errors import KioskError
from kiosk.services.staff import StaffMember
from kiosk.services.till import StaffDesk
from kiosk.ui import routing, strings
from kiosk.ui.admin_controller import attempt
from kiosk.ui.shop_views import header_name

if TYPE_CHECKING:
    from kiosk.ui.controller import Controller


class SignIn:
    def __init__(self, controller: Controller, staff: StaffDesk | None) -> None:
        self._c = controller
        self._staff = staff
        self.members: Sequence[StaffMember] = ()  # who may sign in, as last read
        self.member: StaffMember | None = None  # who is signed in

    def refresh(self) -> None:
        """Read the staff again, on a worker; the ring-up screens' header follows."""
        if self._staff is not None:
            self._c.bridge.fetch(self._listed, self._staff.members)

    def asks_first(self) -> bool:
        """True, with the sign-in screen on show, when the shop has staff and nobody is signed in."""
        if self.members and self.member is None:
            self.open(strings.SIGN_IN_FIRST)
            return True
        return False

    def open(self, notice: str = "") -> None:
        """The sign-in screen: the names to choose from, then the chosen one's PIN pad."""
        self._screen().start(self.members, self.member, notice)
        self._c.show(routing.SIGN_IN)

    def choose(self, member: StaffMember) -> None:
        """A name was tapped: their PIN pad, still locked if they typed too many wrong PINs."""
        assert self._staff is not None
        self._c.bridge.fetch(
            lambda locked_s: self._screen().chosen(member, locked_s), self._staff.locked_for_s, member.id
        )

    def check_pin(self, staff_id: int, pin: str) -> None:
        assert self._staff is not None
        self._c.bridge.fetch(self._checked, attempt, self._staff.sign_in, staff_id, pin)

    def sign_out(self) -> None:
        """Nobody sells until the next one signs in, on the screen that stays."""
        self._sign(None)
        self.open()

    def _checked(self, answer: object) -> None:
        screen = self._screen()
        if isinstance(answer, KioskError):
            screen.refused(str(answer), 0)
            return
        member, check = answer
        if member is None:
            screen.refused_check(check)
            return
        self._sign(member)
        self._c.back_to_keypad()

    def _listed(self, members: Sequence[StaffMember]) -> None:
        self.members = tuple(members)
        if self.member is not None and self.member.id not in {m.id for m in self.members}:
            self._sign(None)  # removed while signed in
        else:
            self._show()

    def _sign(self, member: StaffMember | None) -> None:
        self.member = member
        self._c.till.sales.cashier_id = None if member is None else member.id
        self._show()

    def _show(self) -> None:
        """The header button: nothing without staff, else the name signed in or Sign in."""
        text = (header_name(self.member.name) if self.member else strings.SIGN_IN) if self.members else ""
        for name in (routing.KEYPAD, routing.CATALOG):
            screen = self._c.screens.made(name)
            if screen is not None:
                screen.cashier = text

    def _screen(self) -> object:
        return self._c.screens.get_screen(routing.SIGN_IN)
