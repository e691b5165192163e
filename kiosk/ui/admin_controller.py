"""The admin area's side of the controller: the PIN, then what the admin screens ask for.

The admin PIN lets the owner in; a member signed in on the till gets in with their own PIN, and
then closing the shift, the settings and the export need their role to be manager or owner.

Every service call runs on a worker through the bridge. A KioskError (no USB
stick, no printer) comes back as a value and is shown on the screen that
asked, with what to do; anything else is a crash and goes to the error screen.
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Callable
from zoneinfo import ZoneInfo

from kiosk import i18n
from kiosk.errors import KioskError
from kiosk.services.admin import Admin
from kiosk.services.settings import DeviceSettings
from kiosk.services.shifts import ZReport
from kiosk.services.staff import NotAllowed, Role, StaffMember, admin_entry, require
from kiosk.ui import routing, strings
from kiosk.ui.admin_views import export_text
from kiosk.ui.bridge import attempt
from kiosk.ui.refund_flow import RefundFlow


class AdminController:
    def __init__(self, controller: object, admin: Admin, quit_kiosk: Callable[[], None]) -> None:
        self._c = controller
        self.admin = admin
        self._quit_kiosk = quit_kiosk
        self.unlocked = False
        self.timezone = ZoneInfo(admin.config.shop.timezone)
        self._shift_id: int | None = None  # the report on show: None = the open shift
        self.signed_in: StaffMember | None = None  # who is in the admin area: None = the owner, by its PIN
        desk = controller.till.refund_desk
        self.refunds = RefundFlow(controller, self, desk) if desk is not None else None

    # The PIN ---------------------------------------------------------------------------

    def open(self) -> None:
        """The shop name was held: the PIN pad, from the keypad only (never over a sale)."""
        if self._c.screens.current != routing.KEYPAD:
            return
        self._c.bridge.fetch(self._show_pad, self._pad_state)

    def _pad_state(self) -> tuple[bool, int]:
        return self.admin.pin.is_set(), self.admin.pin.locked_for_s()

    def _show_pad(self, state: tuple[bool, int]) -> None:
        is_set, locked_for_s = state
        member = self._c.signin.member  # signed in on the till: their own PIN opens it too
        self._screen(routing.ADMIN_PIN).start(is_set, locked_for_s, member.name if member else "")
        self._c.show(routing.ADMIN_PIN)

    def check_pin(self, pin: str) -> None:
        staff, member = self._c.till.staff, self._c.signin.member
        matches = staff.matches if staff is not None else lambda _id, _pin: None
        self._c.bridge.fetch(self._checked, attempt, admin_entry, pin, self.admin.pin, matches, member)

    def _checked(self, answer: object) -> None:
        pad = self._screen(routing.ADMIN_PIN)
        if isinstance(answer, KioskError):
            pad.refused(str(answer), 0)
            return
        member, check = answer
        if check.ok:
            self._unlock(member)
        else:
            pad.refused_check(check)

    def choose_pin(self, pin: str) -> None:
        """First use: the PIN chosen on the pad (typed twice) becomes the admin PIN."""
        self._c.bridge.fetch(self._chosen, attempt, self.admin.pin.set_pin, pin)

    def _chosen(self, result: object) -> None:
        if isinstance(result, KioskError):
            self._screen(routing.ADMIN_PIN).weak(str(result))
        else:
            self._unlock()

    def _unlock(self, member: StaffMember | None = None) -> None:
        self.unlocked, self.signed_in = True, member
        self.menu()

    def lock(self) -> None:
        self.unlocked = False
        self._c.show(routing.KEYPAD)

    def leave_pad(self) -> None:
        self._c.show(routing.KEYPAD)

    # The menu and its quick actions ----------------------------------------------------

    def menu(self, notice: str = "") -> None:
        if self._allowed():
            self._screen(routing.ADMIN_MENU).notice = notice
            self._c.show(routing.ADMIN_MENU)

    def test_page(self) -> None:
        self._busy(routing.ADMIN_MENU)
        self._c.bridge.fetch(
            lambda r: self._notice(routing.ADMIN_MENU, r, strings.TEST_PAGE_PRINTED),
            attempt,
            self.admin.test_page,
        )

    def export(self) -> None:
        if not self._may(routing.ADMIN_MENU):
            return
        self._busy(routing.ADMIN_MENU)
        self._c.bridge.fetch(self._exported, attempt, self.admin.export_csv)

    def _exported(self, result: object) -> None:
        self._notice(
            routing.ADMIN_MENU, result, "" if isinstance(result, KioskError) else export_text(result)
        )

    def quit(self) -> None:
        if self.unlocked:
            self._quit_kiosk()

    # History and a sale ----------------------------------------------------------------

    def history(self, text: str = "", before_id: int | None = None, first: int = 1) -> None:
        if not self._allowed():
            return
        screen = self._screen(routing.ADMIN_HISTORY)
        self._c.bridge.fetch(
            lambda page: screen.show_page(text, page, before_id, first),
            self.admin.history,
            text,
            before_id,
            screen.page_size,
        )
        if self._c.screens.current != routing.ADMIN_HISTORY:
            self._c.show(routing.ADMIN_HISTORY)

    def open_sale(self, sale_id: int) -> None:
        if self._allowed():
            asked_on = self._c.screens.current
            shown = functools.partial(self._show_sale, asked_on=asked_on)
            self._c.bridge.fetch(shown, self.admin.sale_detail, sale_id)

    def _show_sale(self, detail: object, asked_on: str) -> None:
        """The detail, shown only if nothing moved on meanwhile (Back then Refund, fast: the form stays)."""
        self._screen(routing.ADMIN_SALE).show_detail(detail)
        if self.unlocked and self._c.screens.current in (asked_on, routing.ADMIN_SALE):
            self._c.show(routing.ADMIN_SALE)

    def receipt(self, sale_id: int) -> None:
        """The sale's receipt as it prints, drawn on a worker (a KioskError, e.g. no CJK font, shown)."""
        if self._allowed():
            self._c.bridge.fetch(
                lambda png: self._show_receipt(sale_id, png), attempt, self.admin.receipt_preview, sale_id
            )

    def _show_receipt(self, sale_id: int, png: object) -> None:
        self._screen(routing.ADMIN_RECEIPT).show_receipt(sale_id, png)
        self._c.show(routing.ADMIN_RECEIPT)

    def reprint(self, sale_id: int) -> None:
        self._busy(routing.ADMIN_RECEIPT)
        self._c.bridge.fetch(
            lambda r: self._notice(routing.ADMIN_RECEIPT, r, strings.REPRINT_QUEUED),
            attempt,
            self.admin.reprint,
            sale_id,
        )

    # Shift report ----------------------------------------------------------------------

    def report(self, shift_id: int | None = None) -> None:
        if not self._allowed():
            return
        self._shift_id = shift_id
        self._c.bridge.fetch(lambda r: self._show_report(r, ""), self._report_and_image, shift_id)

    def earlier_report(self) -> None:
        """The closed shift before the one on show (from the open one: the last closed)."""
        self._c.bridge.fetch(self._earlier, self.admin.shifts.closed, 1000)

    def _earlier(self, closed: object) -> None:
        ids = [shift.id for shift in closed]
        older = [i for i in ids if self._shift_id is None or i < self._shift_id]
        if not older:
            self._screen(routing.ADMIN_REPORT).notice = strings.NO_EARLIER_SHIFT
            return
        self.report(older[0])

    def close_shift(self) -> None:
        if not self._may(routing.ADMIN_REPORT):
            return
        self._busy(routing.ADMIN_REPORT)
        self._c.bridge.fetch(self._closed, self._close_and_image)

    def print_report(self) -> None:
        if self._shift_id is None:
            return
        self._busy(routing.ADMIN_REPORT)
        self._c.bridge.fetch(
            lambda r: self._notice(routing.ADMIN_REPORT, r, strings.REPORT_PRINTED),
            attempt,
            self.admin.print_report,
            self._shift_id,
        )

    def _closed(self, answer: object) -> None:
        report, image, problem = answer
        self._shift_id = report.shift.id
        notice = (
            strings.SHIFT_CLOSED
            if problem is None
            else strings.SHIFT_CLOSED_NOT_PRINTED.format(why=str(problem))
        )
        self._show_report((report, image), notice)

    def _show_report(self, answer: object, notice: str) -> None:
        report, image = answer
        self._screen(routing.ADMIN_REPORT).show_report(report, image, notice)
        self._c.show(routing.ADMIN_REPORT)

    def _report_and_image(self, shift_id: int | None) -> tuple[ZReport, bytes]:
        report = self.admin.shift_report(shift_id)
        return report, self.admin.report_preview(report)

    def _close_and_image(self) -> tuple[ZReport, bytes, KioskError | None]:
        report, problem = self.admin.close_shift(by=self.signed_in.id if self.signed_in else None)
        return report, self.admin.report_preview(report), problem

    # Node status and settings ----------------------------------------------------------

    def node(self) -> None:
        if not self._allowed():
            return
        self._busy(routing.ADMIN_NODE)
        self._c.show(routing.ADMIN_NODE)
        self._c.bridge.fetch(self._screen(routing.ADMIN_NODE).show_status, self.admin.node_status)
        if self._c.till.fleet_status is not None:
            self._c.bridge.fetch(self._screen(routing.ADMIN_NODE).show_sync, self._c.till.fleet_status)

    def settings(self) -> None:
        if self._allowed() and self._may(routing.ADMIN_MENU):
            self._screen(routing.ADMIN_SETTINGS).show_settings(self.admin.settings, "")
            self._c.show(routing.ADMIN_SETTINGS)

    def change_settings(self, **changes: object) -> None:
        if not self._may(routing.ADMIN_SETTINGS):
            return
        settings = dataclasses.replace(self.admin.settings, **changes)
        self._c.bridge.fetch(self._changed, self.admin.change_settings, settings)

    def _changed(self, settings: object) -> None:
        assert isinstance(settings, DeviceSettings)
        self._c.lockdown.idle_seconds = settings.idle_timeout_seconds
        if settings.language != i18n.language():
            self._c.set_language(settings.language)  # every screen anew, in the new language
        self._screen(routing.ADMIN_SETTINGS).show_settings(settings, strings.SETTINGS_SAVED)
        self._c.show(routing.ADMIN_SETTINGS)

    # Internals --------------------------------------------------------------------------

    def _allowed(self) -> bool:
        """Admin screens only after the PIN; anything else falls back to the keypad."""
        if not self.unlocked:
            self._c.show(routing.KEYPAD)
        return self.unlocked

    def _may(self, name: str) -> bool:
        """Closing the shift, settings and export need a manager or the owner (staff.require);
        whoever may not is told so on screen `name`, with what to do."""
        try:
            require(self.signed_in, Role.MANAGER)
        except NotAllowed as exc:
            self._notice(name, exc, "")
            return False
        return True

    def _screen(self, name: str) -> object:
        return self._c.screens.get_screen(name)

    def _busy(self, name: str) -> None:
        self._screen(name).notice = strings.ADMIN_WORKING

    def _notice(self, name: str, result: object, done: str) -> None:
        screen = self._screen(name)
        if isinstance(result, KioskError):
            screen.notice = f"[color=#F05252]{result}[/color]"
        else:
            screen.notice = done
