"""Cashiers: staff with their own PIN and a role, and what each role may do.

Owners and managers may refund, close the shift, change settings and export;
cashiers sell and take cash. A member signed in on the till opens the admin area with their
own PIN too (`admin_entry`), and in it may do what their role allows. The owner's PIN stays the
admin PIN as before (`AdminPin`); staff PINs are hashed and locked out the same way, each member's
on their own row, through the same `AdminPin` logic.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from kiosk.errors import KioskError
from kiosk.i18n import _
from kiosk.services.admin_pin import (
    AdminPin,
    PinCheck,
    PinRecord,
    ScryptParams,
    check_strength,
    hash_pin,
    pin_matches,
)


class Role(enum.StrEnum):
    OWNER = "owner"
    MANAGER = "manager"
    CASHIER = "cashier"


_RANK = {Role.CASHIER: 0, Role.MANAGER: 1, Role.OWNER: 2}


@dataclass(frozen=True)
class StaffMember:
    id: int
    name: str
    role: Role
    active: bool = True

    def may(self, needs: Role) -> bool:
        return self.active and _RANK[self.role] >= _RANK[needs]


class StaffStore(Protocol):
    """Where staff are kept (`kiosk.storage.staff.StaffRepository`, migration 006's `staff`)."""

    def add(self, name: str, role: Role, hash_record: str, at_ms: int) -> StaffMember:
        """KioskError if the name is taken."""

    def members(self, removed: bool = False) -> list[StaffMember]:
        """Active members, by name; `removed`: the removed ones too."""

    def names(self) -> dict[int, str]:
        """Every member's name by id, removed ones too: they stay named on their past sales and shifts."""

    def get(self, staff_id: int) -> StaffMember:
        """KeyError if there is none."""

    def pin_record(self, staff_id: int) -> PinRecord: ...

    def write_pin(self, staff_id: int, record: PinRecord, at_ms: int) -> None: ...

    def deactivate(self, staff_id: int) -> StaffMember:
        """The member as they were; KeyError if there is none."""


class _MemberPins:
    """One member's PIN row as `PinRecords`, so `AdminPin` checks it and counts its lockout."""

    def __init__(self, store: StaffStore, staff_id: int) -> None:
        self._store = store
        self._id = staff_id

    def read(self) -> PinRecord:
        return self._store.pin_record(self._id)

    def write(self, record: PinRecord, at_ms: int) -> None:
        self._store.write_pin(self._id, record, at_ms)


class NotAllowed(KioskError):
    """The person signed in may not do this."""


class Staff:
    def __init__(
        self, store: StaffStore, clock_ms: Callable[[], int], params: ScryptParams | None = None
    ) -> None:
        self._store = store
        self._clock_ms = clock_ms
        self._params = params or ScryptParams()

    def add(self, name: str, role: Role, pin: str) -> StaffMember:
        name = name.strip()
        if not name:
            raise KioskError(_("A staff member needs a name"), _("Type the name they sign in with"))
        check_strength(pin)
        return self._store.add(name, role, hash_pin(pin, self._params), self._clock_ms())

    def members(self, removed: bool = False) -> list[StaffMember]:
        return self._store.members(removed)

    def get(self, staff_id: int) -> StaffMember:
        return self._store.get(staff_id)

    def names(self) -> dict[int, str]:
        return self._store.names()

    def remove(self, staff_id: int) -> StaffMember:
        """They can no longer sign in; their name stays on what they did. The member as they were."""
        try:
            return self._store.deactivate(staff_id)
        except KeyError:
            raise KioskError(
                _("There is no staff member #{id}").format(id=staff_id),
                _("See their numbers with `python -m kiosk staff list`"),
            ) from None

    def locked_for_s(self, staff_id: int) -> int:
        """How long this member's PIN pad stays locked after wrong PINs."""
        return self._pins(staff_id).locked_for_s()

    def sign_in(self, staff_id: int, pin: str) -> tuple[StaffMember | None, PinCheck]:
        """The member if the PIN is theirs; the check says the tries left or how long it is locked."""
        member = self._store.get(staff_id)
        if not member.active:
            return None, PinCheck(False, 0, 0)
        check = self._pins(staff_id).verify(pin)
        return (member if check.ok else None), check

    def matches(self, staff_id: int, pin: str) -> StaffMember | None:
        """The member if `pin` is theirs, they are active and their own pad is not locked; counts no try."""
        member = self._store.get(staff_id)
        record = self._store.pin_record(staff_id).hash_record
        if not member.active or record is None or self.locked_for_s(staff_id):
            return None
        return member if pin_matches(pin, record) else None

    def _pins(self, staff_id: int) -> AdminPin:
        return AdminPin(_MemberPins(self._store, staff_id), self._clock_ms, self._params)


def admin_entry(
    pin: str,
    owner: AdminPin,
    matches: Callable[[int, str], StaffMember | None],
    signed_in: StaffMember | None,
) -> tuple[StaffMember | None, PinCheck]:
    """Who a PIN typed on the admin pad lets in: the member signed in on the till by their own PIN,
    or the owner (None) by the admin PIN. Every wrong PIN counts on the admin pad's lockout, and
    while it is locked nothing is checked, so a member's PIN is no way around it.
    """
    if signed_in is not None and not owner.locked_for_s():
        member = matches(signed_in.id, pin)
        if member is not None:
            return member, PinCheck(True)
    return None, owner.verify(pin)


def require(member: StaffMember | None, needs: Role) -> None:
    """NotAllowed unless `member` (None: the owner through the admin PIN) has at least the role `needs`."""
    if member is None or member.may(needs):
        return
    raise NotAllowed(
        _("{name} may not do this: it needs a manager or the owner").format(name=member.name),
        _("Ask a manager to sign in with their PIN"),
    )
