"""The admin PIN's record and lockout (migration 004): the `PinRecords` port on SQLite."""

from __future__ import annotations

from kiosk.services.admin_pin import PinRecord
from kiosk.storage.database import Database


class PinRepository:
    """Implements `kiosk.services.admin_pin.PinRecords`: one row, id 1."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def read(self) -> PinRecord:
        with self._db.read() as conn:
            row = conn.execute(
                "SELECT hash_record, failures, locked_until_ms FROM admin_pin WHERE id = 1"
            ).fetchone()
        return PinRecord() if row is None else PinRecord(row[0], row[1], row[2])

    def write(self, record: PinRecord, at_ms: int) -> None:
        with self._db.transaction() as conn:
            conn.execute(
                "INSERT INTO admin_pin (id, hash_record, failures, locked_until_ms, updated_at_ms) "
                "VALUES (1, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET hash_record = excluded.hash_record, "
                "failures = excluded.failures, locked_until_ms = excluded.locked_until_ms, "
                "updated_at_ms = excluded.updated_at_ms",
                (record.hash_record, record.failures, record.locked_until_ms, at_ms),
            )
