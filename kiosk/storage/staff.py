"""Staff and their PINs (migration 006): the `StaffStore` port on SQLite."""

from __future__ import annotations

from kiosk.errors import KioskError
from kiosk.i18n import _
from kiosk.services.admin_pin import PinRecord
from kiosk.services.staff import Role, StaffMember
from kiosk.storage.database import Database, IntegrityError, Row


class StaffRepository:
    """Implements `kiosk.services.staff.StaffStore`."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def add(self, name: str, role: Role, hash_record: str, at_ms: int) -> StaffMember:
        try:
            with self._db.transaction() as conn:
                cur = conn.execute(
                    "INSERT INTO staff (name, role, hash_record, created_at_ms) VALUES (?,?,?,?)",
                    (name, role.value, hash_record, at_ms),
                )
        except IntegrityError:
            raise KioskError(
                _("There is already a staff member called {name}").format(name=name), _("Choose another name")
            ) from None
        return StaffMember(int(cur.lastrowid or 0), name, role)

    def members(self, removed: bool = False) -> list[StaffMember]:
        where = "" if removed else "WHERE active = 1"
        with self._db.read() as conn:
            rows = conn.execute(f"SELECT * FROM staff {where} ORDER BY name, id").fetchall()
        return [_member(r) for r in rows]

    def names(self) -> dict[int, str]:
        with self._db.read() as conn:
            return {row[0]: row[1] for row in conn.execute("SELECT id, name FROM staff")}

    def deactivate(self, staff_id: int) -> StaffMember:
        with self._db.transaction() as conn:
            row = conn.execute("SELECT * FROM staff WHERE id = ?", (staff_id,)).fetchone()
            if row is None:
                raise KeyError(staff_id)
            conn.execute("UPDATE staff SET active = 0 WHERE id = ?", (staff_id,))
        return _member(row)

    def get(self, staff_id: int) -> StaffMember:
        with self._db.read() as conn:
            row = conn.execute("SELECT * FROM staff WHERE id = ?", (staff_id,)).fetchone()
        if row is None:
            raise KeyError(staff_id)
        return _member(row)

    def pin_record(self, staff_id: int) -> PinRecord:
        with self._db.read() as conn:
            row = conn.execute(
                "SELECT hash_record, failures, locked_until_ms FROM staff WHERE id = ?", (staff_id,)
            ).fetchone()
        if row is None:
            raise KeyError(staff_id)
        return PinRecord(row[0], row[1], row[2])

    def write_pin(self, staff_id: int, record: PinRecord, at_ms: int) -> None:
        with self._db.transaction() as conn:
            conn.execute(
                "UPDATE staff SET hash_record = ?, failures = ?, locked_until_ms = ? WHERE id = ?",
                (record.hash_record, record.failures, record.locked_until_ms, staff_id),
            )


def _member(row: Row) -> StaffMember:
    return StaffMember(row["id"], row["name"], Role(row["role"]), bool(row["active"]))
