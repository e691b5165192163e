"""Staff on a real ledger file: removed members, and who a PIN on the admin pad lets in."""

from __future__ import annotations

from kiosk.services.admin_pin import FREE_ATTEMPTS, AdminPin, ScryptParams
from kiosk.services.staff import Role, Staff, admin_entry
from tests.support.clock import Clock

FAST = ScryptParams(n=2**4)
OWNER_PIN, ANN_PIN = "2580", "4826"


def test_removed_members_keep_their_name_but_leave_the_list_and_cannot_sign_in(storage):
    staff = Staff(storage.staff, Clock(), FAST)
    ann = staff.add("Ann", Role.CASHIER, ANN_PIN)
    bob = staff.add("Bob", Role.MANAGER, "7315")
    assert staff.remove(ann.id) == ann  # as she was
    assert staff.remove(ann.id).active is False  # the second time: already removed
    assert staff.members() == [bob]
    assert staff.names() == {ann.id: "Ann", bob.id: "Bob"}  # for past sales and Z-reports
    assert staff.sign_in(ann.id, ANN_PIN)[0] is None and staff.matches(ann.id, ANN_PIN) is None


def test_the_admin_pad_lets_in_the_owner_or_the_member_signed_in_and_counts_every_wrong_pin(storage):
    clock = Clock()
    staff = Staff(storage.staff, clock, FAST)
    owner = AdminPin(storage.pins, clock, FAST)
    owner.set_pin(OWNER_PIN)
    ann = staff.add("Ann", Role.CASHIER, ANN_PIN)

    who, check = admin_entry(ANN_PIN, owner, staff.matches, ann)
    assert who == ann and check.ok  # her own PIN: in, as her
    who, check = admin_entry(OWNER_PIN, owner, staff.matches, ann)
    assert who is None and check.ok  # the owner, with Ann signed in on the till
    assert admin_entry(ANN_PIN, owner, staff.matches, None)[1].ok is False  # nobody signed in: owner's only

    for _ in range(FREE_ATTEMPTS - 2):  # with the one above: four wrong PINs
        admin_entry("1111", owner, staff.matches, ann)
    who, check = admin_entry(ANN_PIN, owner, staff.matches, ann)
    assert who == ann and check.ok  # then her own: in (the admin pad is not locked yet)
    for _ in range(FREE_ATTEMPTS):
        who, check = admin_entry("1111", owner, staff.matches, ann)
    assert check.locked_for_s > 0 and staff.locked_for_s(ann.id) == 0  # the admin pad's lockout
    who, check = admin_entry(ANN_PIN, owner, staff.matches, ann)
    assert who is None and not check.ok and check.locked_for_s > 0  # no way around the lockout

    clock.offset_ms += 3_600_000
    for _ in range(FREE_ATTEMPTS):
        staff.sign_in(ann.id, "1111")  # her own pad locked by wrong sign-ins
    assert staff.matches(ann.id, ANN_PIN) is None
    assert admin_entry(ANN_PIN, owner, staff.matches, ann)[0] is None
