"""The sale detail's Refund, for the admin controller: who may, how much and how, the refund, its slip.

Refunds need a manager or the owner (`staff.require`). Whoever opened the admin
area with the owner PIN may; a staff member who may not is asked for a manager's
PIN first. Each refund form carries a new key: the refund service records the
refund under it before any money moves, so a second tap, or Try again after the
voucher service failed, is the same refund, never a second one. Every call runs
on a worker through the bridge; a KioskError comes back as a value and is shown.
"""

from __future__ import annotations

import uuid
from decimal import Decimal

from kiosk.domain.refund import Refund
from kiosk.errors import BackendError, KioskError
from kiosk.services.admin import SaleDetail
from kiosk.services.admin_pin import PinCheck
from kiosk.services.refund_desk import RefundDesk
from kiosk.services.staff import NotAllowed, Role, StaffMember, require
from kiosk.ui import refund_views, routing, strings_refund
from kiosk.ui.bridge import attempt


class RefundFlow:
    def __init__(self, controller: object, admin: object, desk: RefundDesk) -> None:
        self._c = controller
        self._admin = admin  # the AdminController: the PIN, the sale detail
        self._desk = desk
        self._approver: StaffMember | None = None  # the manager who approved, when the admin may not
        self._sale_id = 0
        self._code = ""  # the sale's currency
        self._key = ""
        self._refund: Refund | None = None

    def start(self, sale_id: int) -> None:
        """Refund tapped on a sale's detail: a manager's PIN first if whoever is in may not refund."""
        if not self._admin.unlocked:
            return self._c.show(routing.KEYPAD)
        self._sale_id, self._approver = sale_id, None
        try:
            require(self._admin.signed_in, Role.MANAGER)
        except NotAllowed as exc:
            why = str(exc)
            self._c.bridge.fetch(lambda found: self._ask_approval(why, found), self._desk.approvers)
            return None
        return self._offer()

    def _ask_approval(self, why: str, approvers: object) -> None:
        self._screen(routing.ADMIN_APPROVE).ask(self, strings_refund.APPROVE_TITLE, why, approvers)
        self._c.show(routing.ADMIN_APPROVE)

    def approve(self, staff_id: int, pin: str) -> None:
        self._c.bridge.fetch(self._approved, attempt, self._desk.approve, staff_id, pin)

    def _approved(self, answer: object) -> None:
        if not self._admin.unlocked:
            return  # locked meanwhile (idle, or the cashier left): no admin screen over the keypad
        pad = self._screen(routing.ADMIN_APPROVE)
        if isinstance(answer, KioskError):
            pad.refused(str(answer))
        elif isinstance(answer, PinCheck):
            pad.refused_check(answer)
        else:
            self._approver = answer
            self._offer()

    def _offer(self) -> None:
        self._key = f"ui-{uuid.uuid4().hex}"  # this form's refund: a second tap is the same one
        self._c.bridge.fetch(self._show_offer, self._admin.admin.sale_detail, self._sale_id)

    def _show_offer(self, detail: object) -> None:
        assert isinstance(detail, SaleDetail)
        if not self._admin.unlocked:
            return
        self._code = detail.sale.currency
        if detail.unfinished is not None:  # finish that one first, under its own key
            self._key = detail.unfinished.key
        self._screen(routing.ADMIN_REFUND).show_offer(refund_views.offer(detail, self._desk.refunds.mode))
        self._c.show(routing.ADMIN_REFUND)

    def refund(self, amount: Decimal, cash: bool) -> None:
        """Refund `amount` (cash back, or the configured way); again with the same form: the same refund."""
        who = self._approver or self._admin.signed_in
        refunds = self._desk.refunds
        args = (self._sale_id, self._key, amount, cash, who.id if who else None)
        self._c.bridge.fetch(self._refunded, attempt, refunds.refund, *args)

    def _refunded(self, answer: object) -> None:
        if isinstance(answer, KioskError):
            # A voucher service that failed leaves the refund recorded (pending): Try again finishes it.
            self._screen(routing.ADMIN_REFUND).refused(str(answer), isinstance(answer, BackendError))
            return
        assert isinstance(answer, Refund)
        self._refund = answer
        self._screen(routing.ADMIN_REFUND_DONE).show_done(refund_views.done_view(answer, self._code))
        if self._admin.unlocked:  # locked meanwhile: the refund is made and its slip prints all the same
            self._c.show(routing.ADMIN_REFUND_DONE)
        self.print_slip()

    def print_slip(self) -> None:
        if self._refund is not None:
            self._screen(routing.ADMIN_REFUND_DONE).slip_printing()
            self._c.bridge.fetch(self._printed, attempt, self._desk.slip, self._refund)

    def _printed(self, answer: object) -> None:
        problem = answer if isinstance(answer, KioskError) else None
        self._screen(routing.ADMIN_REFUND_DONE).slip_printed(problem)

    def not_approved(self) -> None:
        self.back_to_sale()

    def back_to_sale(self) -> None:
        self._refund = None
        self._admin.open_sale(self._sale_id)

    def _screen(self, name: str) -> object:
        return self._c.screens.get_screen(name)
