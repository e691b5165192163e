"""The sales ledger: every sale and each state it went through, on disk before anyone sees it."""

from __future__ import annotations

import sqlite3
import threading
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

from kiosk.domain.sale import Invoice, Sale, SaleState
from kiosk.storage.database import open_database

_COLUMNS = (
    "created_at_ms, updated_at_ms, state, amount_msat, memo, currency, fiat_amount, rate, "
    "rate_source, bolt11, payment_hash, expires_at_ms, deadline_ms, grace_until_ms, preimage, "
    "amount_received_msat, paid_at_ms, settled_late, error"
)


class StaleSale(Exception):
    """The sale changed in the ledger since it was read: a transition raced another one."""


class Ledger:
    def __init__(self, path: Path) -> None:
        self.path = path
        self._conn = open_database(path)
        self._lock = threading.Lock()

    def close(self) -> None:
        with self._lock:
            self._conn.close()

    def add(self, sale: Sale, at_ms: int) -> Sale:
        """Insert a new sale and return it with its ledger id."""
        with self._lock, self._conn:
            cur = self._conn.execute(
                f"INSERT INTO sales ({_COLUMNS}) VALUES ({', '.join('?' * 19)})",
                _row_values(sale, at_ms),
            )
            sale_id = cur.lastrowid
            self._conn.execute(
                "INSERT INTO sale_events (sale_id, at_ms, from_state, to_state) VALUES (?,?,?,?)",
                (sale_id, at_ms, None, sale.state.value),
            )
        return replace(sale, id=sale_id)

    def save(self, before: Sale, after: Sale, at_ms: int) -> None:
        """Record a transition; refuses if the stored state is no longer `before.state`."""
        with self._lock, self._conn:
            values = _row_values(after, at_ms)
            cur = self._conn.execute(
                f"UPDATE sales SET ({_COLUMNS}) = ({', '.join('?' * 19)}) WHERE id = ? AND state = ?",
                (*values, after.id, before.state.value),
            )
            if cur.rowcount != 1:
                raise StaleSale(f"sale {after.id} is no longer {before.state}")
            self._conn.execute(
                "INSERT INTO sale_events (sale_id, at_ms, from_state, to_state) VALUES (?,?,?,?)",
                (after.id, at_ms, before.state.value, after.state.value),
            )

    def get(self, sale_id: int) -> Sale:
        with self._lock:
            row = self._conn.execute("SELECT * FROM sales WHERE id = ?", (sale_id,)).fetchone()
        if row is None:
            raise KeyError(sale_id)
        return _from_row(row)

    def sales(self, limit: int | None = None) -> list[Sale]:
        """Newest first."""
        query = "SELECT * FROM sales ORDER BY id DESC" + (" LIMIT ?" if limit else "")
        with self._lock:
            rows = self._conn.execute(query, (limit,) if limit else ()).fetchall()
        return [_from_row(r) for r in rows]

    def in_states(self, states: tuple[SaleState, ...]) -> list[Sale]:
        marks = ", ".join("?" * len(states))
        with self._lock:
            rows = self._conn.execute(
                f"SELECT * FROM sales WHERE state IN ({marks}) ORDER BY id", [s.value for s in states]
            ).fetchall()
        return [_from_row(r) for r in rows]

    def history(self, sale_id: int) -> list[tuple[SaleState | None, SaleState, int]]:
        with self._lock:
            rows = self._conn.execute(
                "SELECT from_state, to_state, at_ms FROM sale_events WHERE sale_id = ? ORDER BY id",
                (sale_id,),
            ).fetchall()
        return [
            (SaleState(r["from_state"]) if r["from_state"] else None, SaleState(r["to_state"]), r[2])
            for r in rows
        ]


def _dec(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def _row_values(sale: Sale, at_ms: int) -> tuple:
    inv = sale.invoice
    return (
        sale.created_at_ms,
        at_ms,
        sale.state.value,
        sale.amount_msat,
        sale.memo,
        sale.currency,
        _dec(sale.fiat_amount),
        _dec(sale.rate),
        sale.rate_source,
        inv.bolt11 if inv else None,
        inv.payment_hash if inv else None,
        inv.expires_at_ms if inv else None,
        sale.deadline_ms,
        sale.grace_until_ms,
        sale.preimage,
        sale.amount_received_msat,
        sale.paid_at_ms,
        int(sale.settled_late),
        sale.error,
    )


def _from_row(row: sqlite3.Row) -> Sale:
    invoice = Invoice(row["bolt11"], row["payment_hash"], row["expires_at_ms"]) if row["bolt11"] else None
    return Sale(
        id=row["id"],
        created_at_ms=row["created_at_ms"],
        amount_msat=row["amount_msat"],
        memo=row["memo"],
        state=SaleState(row["state"]),
        fiat_amount=None if row["fiat_amount"] is None else Decimal(row["fiat_amount"]),
        currency=row["currency"],
        rate=None if row["rate"] is None else Decimal(row["rate"]),
        rate_source=row["rate_source"],
        invoice=invoice,
        deadline_ms=row["deadline_ms"],
        grace_until_ms=row["grace_until_ms"],
        preimage=row["preimage"],
        amount_received_msat=row["amount_received_msat"],
        paid_at_ms=row["paid_at_ms"],
        settled_late=bool(row["settled_late"]),
        error=row["error"],
    )
