"""Sales, their items and taxes, and each state they went through (migrations 001, 003, 006, 007), each
state also an outbox event (008)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from decimal import Decimal, InvalidOperation

from kiosk.domain.sale import Invoice, Sale, SaleItem, SaleState
from kiosk.domain.tax import RateTotal
from kiosk.domain.tender import Tender
from kiosk.services.fleet_events import sale_event
from kiosk.services.ledger import StaleSale
from kiosk.storage.database import Database, Row
from kiosk.storage.outbox import append

_COLUMNS = (
    "created_at_ms, updated_at_ms, state, amount_msat, memo, currency, fiat_amount, rate, "
    "rate_source, bolt11, payment_hash, expires_at_ms, deadline_ms, grace_until_ms, preimage, "
    "amount_received_msat, paid_at_ms, settled_late, error, tip_msat, tip_fiat, tender, cashier_id, "
    "cash_tendered, cash_change, discount, tip_tax, tip_tax_rate, proof"
)
_MARKS = ", ".join("?" * len(_COLUMNS.split(",")))


class SaleRepository:
    """Implements `kiosk.services.ledger.Ledger`."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def add(self, sale: Sale, at_ms: int) -> Sale:
        with self._db.transaction() as conn:
            cur = conn.execute(f"INSERT INTO sales ({_COLUMNS}) VALUES ({_MARKS})", _row_values(sale, at_ms))
            sale_id = cur.lastrowid
            conn.executemany(
                "INSERT INTO sale_items (sale_id, name, quantity, unit_price, tax_rate, discount) "
                "VALUES (?,?,?,?,?,?)",
                [
                    (sale_id, i.name, i.quantity, str(i.unit_price), str(i.tax_rate), str(i.discount))
                    for i in sale.items
                ],
            )
            conn.executemany(
                "INSERT INTO sale_taxes (sale_id, rate, net, tax) VALUES (?,?,?,?)",
                [(sale_id, str(t.rate), str(t.net), str(t.tax)) for t in sale.taxes],
            )
            conn.execute(
                "INSERT INTO sale_events (sale_id, at_ms, from_state, to_state) VALUES (?,?,?,?)",
                (sale_id, at_ms, None, sale.state.value),
            )
            added = replace(sale, id=sale_id)
            append(conn, sale_event(added, at_ms))
        return added

    def save(self, before: Sale, after: Sale, at_ms: int) -> None:
        with self._db.transaction() as conn:
            values = _row_values(after, at_ms)
            cur = conn.execute(
                f"UPDATE sales SET ({_COLUMNS}) = ({_MARKS}) WHERE id = ? AND state = ?",
                (*values, after.id, before.state.value),
            )
            if cur.rowcount != 1:
                raise StaleSale(f"sale {after.id} is no longer {before.state}")
            conn.execute(
                "INSERT INTO sale_events (sale_id, at_ms, from_state, to_state) VALUES (?,?,?,?)",
                (after.id, at_ms, before.state.value, after.state.value),
            )
            append(conn, sale_event(after, at_ms))

    def get(self, sale_id: int) -> Sale:
        sales = self._select("WHERE id = ?", (sale_id,))
        if not sales:
            raise KeyError(sale_id)
        return sales[0]

    def with_payment_hash(self, payment_hash: str) -> Sale | None:
        sales = self._select("WHERE payment_hash = ?", (payment_hash,))
        return sales[0] if sales else None

    def sales(self, limit: int | None = None) -> list[Sale]:
        return self._select("ORDER BY id DESC" + (" LIMIT ?" if limit else ""), (limit,) if limit else ())

    def in_states(self, states: tuple[SaleState, ...]) -> list[Sale]:
        marks = ", ".join("?" * len(states))
        return self._select(f"WHERE state IN ({marks}) ORDER BY id", [s.value for s in states])

    def _select(self, where: str, params: Sequence[object]) -> list[Sale]:
        """Sales matching `where` (SQL after FROM sales), each with its items."""
        with self._db.read() as conn:
            rows = conn.execute(f"SELECT * FROM sales {where}", params).fetchall()
            ids = [row["id"] for row in rows]
            items: dict[int, list[SaleItem]] = {}
            taxes: dict[int, list[RateTotal]] = {}
            for chunk in (ids[i : i + 500] for i in range(0, len(ids), 500)):
                marks = ", ".join("?" * len(chunk))
                for item in conn.execute(
                    f"SELECT * FROM sale_items WHERE sale_id IN ({marks}) ORDER BY id", chunk
                ):
                    line = SaleItem(
                        item["name"],
                        item["quantity"],
                        Decimal(item["unit_price"]),
                        Decimal(item["tax_rate"]),
                        Decimal(item["discount"]),
                    )
                    items.setdefault(item["sale_id"], []).append(line)
                for tax in conn.execute(
                    f"SELECT * FROM sale_taxes WHERE sale_id IN ({marks}) ORDER BY id", chunk
                ):
                    total = RateTotal(Decimal(tax["rate"]), Decimal(tax["net"]), Decimal(tax["tax"]))
                    taxes.setdefault(tax["sale_id"], []).append(total)
        return [
            replace(
                _from_row(row), items=tuple(items.get(row["id"], ())), taxes=tuple(taxes.get(row["id"], ()))
            )
            for row in rows
        ]

    def search(self, text: str = "", before_id: int | None = None, limit: int = 20) -> list[Sale]:
        """Keyset paging (`id < before_id`) keeps a page as fast at sale 10,000 as at sale 10."""
        where, params = _matching(text)
        if before_id is not None:
            where, params = f"({where}) AND id < ?", [*params, before_id]
        return self._select(f"WHERE {where} ORDER BY id DESC LIMIT ?", [*params, limit])

    def page_after(self, after_id: int, limit: int) -> list[Sale]:
        return self._select("WHERE id > ? ORDER BY id LIMIT ?", (after_id, limit))

    def count_matching(self, text: str = "") -> int:
        where, params = _matching(text)
        with self._db.read() as conn:
            return conn.execute(f"SELECT COUNT(*) FROM sales WHERE {where}", params).fetchone()[0]

    def paid_between(self, start_ms: int, end_ms: int) -> list[Sale]:
        return self._select(
            "WHERE paid_at_ms >= ? AND paid_at_ms < ? ORDER BY paid_at_ms, id", (start_ms, end_ms)
        )

    def unpaid_between(self, start_ms: int, end_ms: int) -> list[Sale]:
        return self._select(
            "WHERE paid_at_ms IS NULL AND created_at_ms >= ? AND created_at_ms < ? ORDER BY id",
            (start_ms, end_ms),
        )

    def first_sale_at_ms(self) -> int | None:
        with self._db.read() as conn:
            return conn.execute("SELECT MIN(created_at_ms) FROM sales").fetchone()[0]

    def history(self, sale_id: int) -> list[tuple[SaleState | None, SaleState, int]]:
        with self._db.read() as conn:
            rows = conn.execute(
                "SELECT from_state, to_state, at_ms FROM sale_events WHERE sale_id = ? ORDER BY id",
                (sale_id,),
            ).fetchall()
        return [
            (SaleState(r["from_state"]) if r["from_state"] else None, SaleState(r["to_state"]), r[2])
            for r in rows
        ]


def _matching(text: str) -> tuple[str, list[object]]:
    """The WHERE clause for a history search (see `Ledger.search`)."""
    text = text.strip().lstrip("#").strip()
    if not text:
        return "1", []
    pattern = "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    clauses, params = ["memo LIKE ? ESCAPE '\\'"], [pattern]
    if text.isdigit():
        clauses += ["id = ?", "amount_msat = ?"]
        params += [int(text), int(text) * 1000]
    try:
        amount = Decimal(text.replace(",", ""))
        # Fiat is stored with its currency's decimals ("4.50"): try each ISO 4217 precision.
        exact = (amount.quantize(Decimal(1).scaleb(-places)) for places in (0, 2, 3))
        variants = sorted({str(v) for v in exact if v == amount and v >= 0})
    except InvalidOperation:
        variants = []
    if variants:
        clauses.append(f"fiat_amount IN ({', '.join('?' * len(variants))})")
        params += variants
    if len(text) >= 4 and all(c in "0123456789abcdefABCDEF" for c in text):
        clauses.append("payment_hash LIKE ?")
        params.append(text.lower() + "%")
    return " OR ".join(clauses), params


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
        sale.tip_msat,
        _dec(sale.tip_fiat),
        sale.tender.value,
        sale.cashier_id,
        _dec(sale.cash_tendered),
        _dec(sale.cash_change),
        _dec(sale.discount),
        _dec(sale.tip_tax),
        _dec(sale.tip_tax_rate),
        sale.proof,
    )


def _from_row(row: Row) -> Sale:
    invoice = Invoice(row["bolt11"], row["payment_hash"], row["expires_at_ms"]) if row["bolt11"] else None
    return Sale(
        id=row["id"],
        created_at_ms=row["created_at_ms"],
        amount_msat=row["amount_msat"],
        memo=row["memo"],
        state=SaleState(row["state"]),
        fiat_amount=_decimal(row["fiat_amount"]),
        currency=row["currency"],
        rate=_decimal(row["rate"]),
        rate_source=row["rate_source"],
        invoice=invoice,
        deadline_ms=row["deadline_ms"],
        grace_until_ms=row["grace_until_ms"],
        preimage=row["preimage"],
        amount_received_msat=row["amount_received_msat"],
        paid_at_ms=row["paid_at_ms"],
        settled_late=bool(row["settled_late"]),
        error=row["error"],
        tip_msat=row["tip_msat"],
        tip_fiat=_decimal(row["tip_fiat"]),
        tender=Tender(row["tender"]),
        cashier_id=row["cashier_id"],
        cash_tendered=_decimal(row["cash_tendered"]),
        cash_change=_decimal(row["cash_change"]),
        discount=_decimal(row["discount"]),
        tip_tax=_decimal(row["tip_tax"]),
        tip_tax_rate=_decimal(row["tip_tax_rate"]),
        proof=row["proof"],
    )


def _decimal(text: str | None) -> Decimal | None:
    return None if text is None else Decimal(text)
