"""`kiosk.services.fleet.CentralBooks` on PostgreSQL: a kiosk's batch inserted once, whatever is resent.

`INSERT ... ON CONFLICT DO NOTHING` names no conflict target, so both unique keys
count: (terminal, sequence) and the event's UUIDv7. The kiosk's role may only insert
(row-level security on terminal id), so it never needs to read what is there already.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Sequence
from pathlib import Path

import psycopg

from kiosk.fleet.connection import connect, unavailable
from kiosk.services.fleet_events import Event

_INSERT = (
    "INSERT INTO fleet.events (terminal_id, seq, key, at_ms, kind, ref_id, state, payment_hash, amount_msat, "
    "amount, currency, rate, rate_source, cashier_id, payload) "
    "VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s) ON CONFLICT DO NOTHING"
)


class PostgresBooks:
    """One connection, opened when first needed and again after any failure."""

    def __init__(self, dsn: str, ca_file: Path | None = None, timeout_s: int = 10) -> None:
        self._dsn = dsn
        self._ca_file = ca_file
        self._timeout_s = timeout_s
        self._conn: psycopg.Connection | None = None

    def send(self, terminal_id: str, events: Sequence[Event], backlog: int) -> None:
        rows = [
            (
                terminal_id,
                e.seq,
                e.key,
                e.at_ms,
                e.kind,
                e.ref_id,
                e.state,
                e.payment_hash,
                e.amount_msat,
                e.amount,
                e.currency,
                e.rate,
                e.rate_source,
                e.cashier_id,
                json.dumps(e.payload),
            )
            for e in events
        ]
        last = events[-1].seq if events else 0
        try:
            conn = self._connection()
            with conn.transaction(), conn.cursor() as cur:
                cur.executemany(_INSERT, rows)
                cur.execute(
                    "INSERT INTO fleet.heartbeats (terminal_id, last_seq, backlog) VALUES (%s, %s, %s)",
                    (terminal_id, last, backlog),
                )
        except psycopg.Error as exc:
            self.close()
            raise unavailable(exc) from None

    def close(self) -> None:
        if self._conn is not None:
            conn, self._conn = self._conn, None
            with contextlib.suppress(psycopg.Error):
                conn.close()

    def _connection(self) -> psycopg.Connection:
        if self._conn is None or self._conn.closed:
            self._conn = connect(self._dsn, self._ca_file, self._timeout_s)
        return self._conn
