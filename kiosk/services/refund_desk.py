"""What a sale detail's Refund button calls, on a worker: who may approve it, the refund, its slip."""

from __future__ import annotations

from dataclasses import dataclass

from kiosk.domain.refund import Refund
from kiosk.services.admin import wait_printed
from kiosk.services.admin_pin import PinCheck
from kiosk.services.printer_port import PrinterHealth
from kiosk.services.refund_slip import SlipPrinter
from kiosk.services.refunds import Refunds
from kiosk.services.staff import Role, Staff, StaffMember, require


@dataclass(frozen=True)
class RefundDesk:
    refunds: Refunds
    print_slip: SlipPrinter
    staff: Staff

    def approvers(self) -> list[StaffMember]:
        """The staff who may approve a refund with their PIN: managers and owners."""
        return [member for member in self.staff.members() if member.may(Role.MANAGER)]

    def approve(self, staff_id: int, pin: str) -> StaffMember | PinCheck:
        """The member if the PIN is theirs and they may refund (else NotAllowed); a wrong PIN's check."""
        member, check = self.staff.sign_in(staff_id, pin)
        if member is None:
            return check
        require(member, Role.MANAGER)
        return member

    def slip(self, refund: Refund) -> PrinterHealth:
        """Print a done refund's slip and wait for the printer (PrinterError or KioskError: say why)."""
        return wait_printed(self.print_slip(refund))
