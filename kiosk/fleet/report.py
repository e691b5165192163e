"""The central books read back (by the reporting role): each terminal's records as domain objects."""

from __future__ import annotations

from collections import defaultdict

import psycopg

from kiosk.domain.refund import Refund
from kiosk.domain.sale import Sale
from kiosk.services.fleet_events import REFUND, SALE, decode
from kiosk.services.fleet_report import TerminalBooks
from kiosk.services.shifts import Shift


def terminal_books(conn: psycopg.Connection, shop: str | None = None) -> list[TerminalBooks]:
    """Every terminal (of one shop), with its shifts, sales and refunds as their newest events left them."""
    terminals = conn.execute(
        "SELECT terminal_id, shop, timezone, currency FROM fleet.terminals "
        "WHERE %(shop)s::text IS NULL OR shop = %(shop)s ORDER BY terminal_id",
        {"shop": shop},
    ).fetchall()
    records: dict[str, dict[str, list]] = defaultdict(lambda: defaultdict(list))
    rows = conn.execute(
        "SELECT terminal_id, record, payload FROM fleet.latest "
        "WHERE %(shop)s::text IS NULL OR shop = %(shop)s",
        {"shop": shop},
    )
    for terminal_id, record, payload in rows:
        records[terminal_id][record].append(payload)
    books = []
    for terminal_id, shop_name, timezone, currency in terminals:
        held = records[terminal_id]
        books.append(
            TerminalBooks(
                terminal_id,
                shop_name,
                timezone,
                currency,
                tuple(decode(Shift, p) for p in held["shift"]),
                tuple(decode(Sale, p) for p in held[SALE]),
                tuple(decode(Refund, p) for p in held[REFUND]),
            )
        )
    return books


def sync_status(conn: psycopg.Connection) -> list[dict[str, object]]:
    """Each terminal's last sync, lag, reported backlog and gaps (`fleet.sync_status`)."""
    cur = conn.execute("SELECT * FROM fleet.sync_status ORDER BY terminal_id")
    names = [c.name for c in cur.description or ()]
    return [dict(zip(names, row, strict=True)) for row in cur.fetchall()]
