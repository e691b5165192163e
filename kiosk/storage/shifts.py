"""Shifts (migrations 004 and 006): the `ShiftStore` port on SQLite; a float set and a close are also
outbox events (008)."""

from __future__ import annotations

from decimal import Decimal

from kiosk.clock import now_ms
from kiosk.services.fleet_events import FLOAT, SHIFT_CLOSE, shift_event
from kiosk.services.shifts import Shift
from kiosk.storage.database import Database, Row
from kiosk.storage.outbox import append

_OPEN = "SELECT * FROM shifts WHERE closed_at_ms IS NULL"


class ShiftRepository:
    """Implements `kiosk.services.shifts.ShiftStore`."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def open_shift(self) -> Shift | None:
        with self._db.read() as conn:
            row = conn.execute(_OPEN).fetchone()
        return None if row is None else _shift(row)

    def open_if_none(self, opened_at_ms: int) -> Shift:
        with self._db.transaction() as conn:
            conn.execute(
                "INSERT INTO shifts (opened_at_ms) SELECT ? WHERE NOT EXISTS "
                "(SELECT 1 FROM shifts WHERE closed_at_ms IS NULL)",
                (opened_at_ms,),
            )
            return _shift(conn.execute(_OPEN).fetchone())

    def get(self, shift_id: int) -> Shift:
        with self._db.read() as conn:
            row = conn.execute("SELECT * FROM shifts WHERE id = ?", (shift_id,)).fetchone()
        if row is None:
            raise KeyError(shift_id)
        return _shift(row)

    def closed(self, limit: int) -> list[Shift]:
        with self._db.read() as conn:
            rows = conn.execute(
                "SELECT * FROM shifts WHERE closed_at_ms IS NOT NULL ORDER BY id DESC LIMIT ?", (limit,)
            ).fetchall()
        return [_shift(r) for r in rows]

    def close_and_open_next(
        self, shift_id: int, at_ms: int, counted_cash: Decimal | None = None, closed_by: int | None = None
    ) -> Shift:
        with self._db.transaction() as conn:
            closed = conn.execute(
                "UPDATE shifts SET closed_at_ms = ?, counted_cash = ?, closed_by = ? "
                "WHERE id = ? AND closed_at_ms IS NULL",
                (at_ms, None if counted_cash is None else str(counted_cash), closed_by, shift_id),
            ).rowcount
            if closed != 1:
                raise KeyError(shift_id)
            conn.execute("INSERT INTO shifts (opened_at_ms) VALUES (?)", (at_ms,))
            shift = _shift(conn.execute("SELECT * FROM shifts WHERE id = ?", (shift_id,)).fetchone())
            append(conn, shift_event(SHIFT_CLOSE, shift, at_ms))
            return shift

    def set_float(self, shift_id: int, amount: Decimal, by: int | None) -> Shift:
        with self._db.transaction() as conn:
            changed = conn.execute(
                "UPDATE shifts SET opening_float = ?, opened_by = ? WHERE id = ? AND closed_at_ms IS NULL",
                (str(amount), by, shift_id),
            ).rowcount
            if changed != 1:
                raise KeyError(shift_id)
            shift = _shift(conn.execute("SELECT * FROM shifts WHERE id = ?", (shift_id,)).fetchone())
            append(conn, shift_event(FLOAT, shift, now_ms()))
            return shift


def _shift(row: Row) -> Shift:
    def dec(key: str) -> Decimal | None:
        return None if row[key] is None else Decimal(row[key])

    return Shift(
        row["id"],
        row["opened_at_ms"],
        row["closed_at_ms"],
        dec("opening_float"),
        dec("counted_cash"),
        row["opened_by"],
        row["closed_by"],
    )
