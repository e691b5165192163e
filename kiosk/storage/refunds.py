"""Refunds (migration 006): the `RefundStore` port on SQLite; each one recorded or finished is also an
outbox event (008)."""

from __future__ import annotations

from decimal import Decimal

from kiosk.domain.refund import Refund, RefundMode, RefundState, check_refund, refundable
from kiosk.domain.tender import Tender
from kiosk.services.fleet_events import refund_event
from kiosk.services.refunds import Voucher
from kiosk.storage.database import Database, Row
from kiosk.storage.outbox import append

_COLUMNS = (
    "sale_id, key, amount, amount_msat, tender, mode, state, cashier_id, created_at_ms, done_at_ms, "
    "voucher, voucher_id, error"
)


class RefundRepository:
    """Implements `kiosk.services.refunds.RefundStore`."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def record(self, refund: Refund, paid: Decimal, quantum: Decimal) -> Refund:
        with self._db.transaction() as conn:  # BEGIN IMMEDIATE: no other refund is checked in between
            row = conn.execute("SELECT * FROM refunds WHERE key = ?", (refund.key,)).fetchone()
            if row is not None:
                return _refund(row)
            earlier = [
                _refund(r) for r in conn.execute("SELECT * FROM refunds WHERE sale_id = ?", (refund.sale_id,))
            ]
            check_refund(refund.amount, refundable(paid, earlier), quantum)
            cur = conn.execute(
                f"INSERT INTO refunds ({_COLUMNS}) VALUES ({', '.join('?' * 13)})",
                (
                    refund.sale_id,
                    refund.key,
                    str(refund.amount),
                    refund.amount_msat,
                    refund.tender.value,
                    refund.mode.value,
                    refund.state.value,
                    refund.cashier_id,
                    refund.created_at_ms,
                    refund.done_at_ms,
                    refund.voucher,
                    refund.voucher_id,
                    refund.error,
                ),
            )
            recorded = _refund(
                conn.execute("SELECT * FROM refunds WHERE id = ?", (cur.lastrowid,)).fetchone()
            )
            append(conn, refund_event(recorded, recorded.created_at_ms))
            return recorded

    def finish(
        self, refund_id: int, state: RefundState, at_ms: int, voucher: Voucher | None = None, error: str = ""
    ) -> Refund:
        with self._db.transaction() as conn:
            changed = conn.execute(
                "UPDATE refunds SET state = ?, done_at_ms = ?, voucher = ?, voucher_id = ?, error = ? "
                "WHERE id = ? AND state = 'pending'",
                (
                    state.value,
                    at_ms,
                    voucher.lnurl if voucher else None,
                    voucher.id if voucher else None,
                    error or None,
                    refund_id,
                ),
            ).rowcount
            finished = _refund(conn.execute("SELECT * FROM refunds WHERE id = ?", (refund_id,)).fetchone())
            if changed:
                append(conn, refund_event(finished, at_ms))
            return finished

    def for_sale(self, sale_id: int) -> list[Refund]:
        return self._select("WHERE sale_id = ? ORDER BY id", (sale_id,))

    def with_key(self, key: str) -> Refund | None:
        found = self._select("WHERE key = ?", (key,))
        return found[0] if found else None

    def between(self, start_ms: int, end_ms: int) -> list[Refund]:
        return self._select("WHERE created_at_ms >= ? AND created_at_ms < ? ORDER BY id", (start_ms, end_ms))

    def pending(self) -> list[Refund]:
        return self._select("WHERE state = 'pending' ORDER BY id", ())

    def _select(self, where: str, params: tuple) -> list[Refund]:
        with self._db.read() as conn:
            return [_refund(r) for r in conn.execute(f"SELECT * FROM refunds {where}", params).fetchall()]


def _refund(row: Row) -> Refund:
    return Refund(
        id=row["id"],
        sale_id=row["sale_id"],
        key=row["key"],
        amount=Decimal(row["amount"]),
        amount_msat=row["amount_msat"],
        tender=Tender(row["tender"]),
        mode=RefundMode(row["mode"]),
        state=RefundState(row["state"]),
        created_at_ms=row["created_at_ms"],
        cashier_id=row["cashier_id"],
        done_at_ms=row["done_at_ms"],
        voucher=row["voucher"],
        voucher_id=row["voucher_id"],
        error=row["error"],
    )
