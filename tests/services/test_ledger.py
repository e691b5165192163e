import sqlite3
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest

from kiosk.domain.sale import Charge, Invoice, InvoiceCreated, Sale, SaleItem, SaleState, transition
from kiosk.services.ledger import StaleSale
from kiosk.storage.database import Database, migrate
from kiosk.storage.sales import SaleRepository


@pytest.fixture
def db(tmp_path):
    opened = Database(tmp_path / "ledger.sqlite3")
    yield opened
    opened.close()


def draft() -> Sale:
    return Sale(
        id=0,
        created_at_ms=1_000,
        amount_msat=4_736_000,
        memo="Flat white",
        currency="USD",
        fiat_amount=Decimal("4.50"),
        rate=Decimal("95000.12"),
        rate_source="demo rate",
    )


def test_file_is_wal_with_full_sync(db):
    with db.read() as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert conn.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
        assert conn.execute("PRAGMA user_version").fetchone()[0] >= 1


def test_sales_survive_reopening_with_exact_values(tmp_path):
    path = tmp_path / "ledger.sqlite3"
    db = Database(path)
    ledger = SaleRepository(db)
    sale = ledger.add(transition(draft(), Charge(1_000)), 1_000)
    created = transition(sale, InvoiceCreated(Invoice("lnbcrt1x", "ab" * 32, 9_000), 1_100, 9_000, 99_000))
    ledger.save(sale, created, 1_100)
    db.close()

    db = Database(path)
    again = SaleRepository(db)
    stored = again.get(sale.id)
    assert stored == created
    assert stored.fiat_amount == Decimal("4.50") and stored.rate == Decimal("95000.12")
    assert [(a, b) for a, b, _ in again.history(sale.id)] == [
        (None, SaleState.CREATING_INVOICE),
        (SaleState.CREATING_INVOICE, SaleState.AWAITING_PAYMENT),
    ]
    db.close()


def test_a_transition_from_a_stale_state_is_refused(db):
    ledger = SaleRepository(db)
    sale = ledger.add(transition(draft(), Charge(1_000)), 1_000)
    created = transition(sale, InvoiceCreated(Invoice("lnbcrt1x", "ab" * 32, 9_000), 1, 9_000, 99_000))
    ledger.save(sale, created, 2)
    with pytest.raises(StaleSale):
        ledger.save(sale, created, 3)  # `sale` still says CREATING_INVOICE


def test_payment_hash_is_unique(db):
    ledger = SaleRepository(db)
    inv = Invoice("lnbcrt1x", "ab" * 32, 9_000)
    for _ in range(2):
        sale = ledger.add(transition(draft(), Charge(1)), 1)
        created = transition(sale, InvoiceCreated(inv, 1, 9_000, 99_000))
        if _ == 0:
            ledger.save(sale, created, 2)
    with pytest.raises(sqlite3.IntegrityError):
        ledger.save(sale, created, 2)


def test_listing_and_state_queries(db):
    ledger = SaleRepository(db)
    first = ledger.add(transition(draft(), Charge(1)), 1)
    second = ledger.add(transition(draft(), Charge(2)), 2)
    assert [s.id for s in ledger.sales()] == [second.id, first.id]
    assert [s.id for s in ledger.sales(limit=1)] == [second.id]
    assert len(ledger.in_states((SaleState.CREATING_INVOICE,))) == 2
    assert ledger.in_states((SaleState.PAID,)) == []


ROOT = Path(__file__).resolve().parents[2]
MIGRATIONS = ROOT / "kiosk" / "storage" / "migrations"
NEWEST_MIGRATION = max(int(f.name[:3]) for f in MIGRATIONS.glob("[0-9][0-9][0-9]-*.sql"))


def test_migrations_are_applied_once(db):
    with db.read() as conn:
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        assert version == db.schema_version == NEWEST_MIGRATION and migrate(conn) == version


def test_tip_and_items_survive_reopening_exactly(tmp_path):
    path = tmp_path / "ledger.sqlite3"
    db = Database(path)
    ledger = SaleRepository(db)
    items = (SaleItem("Latte", 2, Decimal("3.50")), SaleItem("小笼包", 1, Decimal("0.75")))
    sale = replace(draft(), tip_msat=716_000, tip_fiat=Decimal("0.68"), items=items)
    added = ledger.add(transition(sale, Charge(1_000)), 1_000)
    ledger.add(transition(draft(), Charge(1_000)), 1_000)  # another sale, no items
    db.close()

    db = Database(path)
    again = SaleRepository(db)
    stored = again.get(added.id)
    assert (stored.tip_msat, stored.tip_fiat, stored.items) == (716_000, Decimal("0.68"), items)
    assert [s.items for s in again.sales()] == [(), items]
    db.close()


def test_a_sale_is_added_whole_or_not_at_all(db):
    """The sale row, its items and its first event are one commit: a failure keeps none of them."""
    ledger = SaleRepository(db)
    broken = replace(draft(), items=(SaleItem("Latte", 0, Decimal("3.50")),))  # quantity 0 violates CHECK
    with pytest.raises(sqlite3.IntegrityError):
        ledger.add(transition(broken, Charge(1_000)), 1_000)
    with db.read() as conn:
        counts = [conn.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0] for t in ("sales", "sale_events")]
    assert counts == [0, 0]
    assert ledger.add(transition(draft(), Charge(1_000)), 1_000).id >= 1  # the ledger still works


def test_a_transition_and_its_log_entry_are_one_write(db):
    """A kill between the two statements must not leave a state change without its log entry.

    The power-cut harness found a PAID sale without its PAID event before writes were transactions.
    """
    ledger = SaleRepository(db)
    sale = ledger.add(transition(draft(), Charge(1_000)), 1_000)
    with db.read() as conn:  # the log write fails, as if the power went after the state was written
        conn.execute(
            "CREATE TRIGGER cut BEFORE INSERT ON sale_events BEGIN SELECT RAISE(ABORT, 'power cut'); END"
        )
    created = transition(sale, InvoiceCreated(Invoice("lnbcrt1x", "ab" * 32, 9_000), 1_100, 9_000, 99_000))
    with pytest.raises(sqlite3.IntegrityError, match="power cut"):
        ledger.save(sale, created, 1_100)
    assert ledger.get(sale.id).state is SaleState.CREATING_INVOICE
