"""The outbox (migration 008): `append` inside a repository's own transaction, and the `Outbox` port.

Keys are UUIDv7 (RFC 9562) from the `uuid6` package: time-ordered, so the central
index on them stays compact, and unique across kiosks without asking anyone.
"""

from __future__ import annotations

import json
from decimal import Decimal

from uuid6 import uuid7

from kiosk.services.fleet import OutboxStatus
from kiosk.services.fleet_events import Event
from kiosk.storage.database import Connection, Database, Row

_COLUMNS = (
    "key, at_ms, kind, ref_id, state, payment_hash, amount_msat, amount, currency, rate, rate_source, "
    "cashier_id, payload"
)


def append(conn: Connection, event: Event) -> None:
    """Write the event in the caller's open transaction: it is kept if and only if the change is."""
    conn.execute(
        f"INSERT INTO outbox ({_COLUMNS}) VALUES ({', '.join('?' * 13)})",
        (
            str(uuid7()),
            event.at_ms,
            event.kind,
            event.ref_id,
            event.state,
            event.payment_hash,
            event.amount_msat,
            _text(event.amount),
            event.currency,
            _text(event.rate),
            event.rate_source,
            event.cashier_id,
            event.payload_json(),
        ),
    )


class OutboxRepository:
    """Implements `kiosk.services.fleet.Outbox`."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def unsent(self, limit: int) -> list[Event]:
        with self._db.read() as conn:
            rows = conn.execute(
                "SELECT * FROM outbox WHERE seq > (SELECT sent_seq FROM outbox_sync) ORDER BY seq LIMIT ?",
                (limit,),
            ).fetchall()
        return [_event(r) for r in rows]

    def mark_sent(self, seq: int, at_ms: int) -> None:
        with self._db.transaction() as conn:
            conn.execute(
                "UPDATE outbox_sync SET sent_seq = MAX(sent_seq, ?), last_attempt_ms = ?, last_sent_ms = ?, "
                "last_error = NULL",
                (seq, at_ms, at_ms),
            )

    def mark_failed(self, error: str, at_ms: int) -> None:
        with self._db.transaction() as conn:
            conn.execute("UPDATE outbox_sync SET last_attempt_ms = ?, last_error = ?", (at_ms, error))

    def status(self) -> OutboxStatus:
        with self._db.read() as conn:
            sync = conn.execute("SELECT * FROM outbox_sync").fetchone()
            last = conn.execute("SELECT COALESCE(MAX(seq), 0) FROM outbox").fetchone()[0]
            oldest = conn.execute(
                "SELECT at_ms FROM outbox WHERE seq > ? ORDER BY seq LIMIT 1", (sync["sent_seq"],)
            ).fetchone()
        return OutboxStatus(
            sync["sent_seq"],
            last,
            oldest[0] if oldest else None,
            sync["last_attempt_ms"],
            sync["last_sent_ms"],
            sync["last_error"],
        )

    def unsent_between(self, from_ms: int, until_ms: int) -> int:
        with self._db.read() as conn:
            return conn.execute(
                "SELECT COUNT(*) FROM outbox WHERE seq > (SELECT sent_seq FROM outbox_sync) "
                "AND at_ms BETWEEN ? AND ?",
                (from_ms, until_ms),
            ).fetchone()[0]


def _text(value: object) -> str | None:
    return None if value is None else str(value)


def _event(row: Row) -> Event:
    def dec(key: str) -> Decimal | None:
        return None if row[key] is None else Decimal(row[key])

    return Event(
        row["kind"],
        row["ref_id"],
        row["at_ms"],
        json.loads(row["payload"]),
        row["state"],
        row["payment_hash"],
        row["amount_msat"],
        dec("amount"),
        row["currency"],
        dec("rate"),
        row["rate_source"],
        row["cashier_id"],
        row["seq"],
        row["key"],
    )
