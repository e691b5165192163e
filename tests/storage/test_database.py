"""One storage layer: a kiosk opens its ledger once; SQLite errors a person can fix are said so."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from kiosk.config import parse
from kiosk.domain.pricing import Quote
from kiosk.domain.sale import Charge, Sale, SaleState, transition
from kiosk.errors import StorageFull, StorageUnreadable
from kiosk.storage import database
from kiosk.storage.store import Storage
from kiosk.wiring import build
from tests.support.disk import fill, small_filesystem
from tests.support.wait import wait_until


def open_handles(path: Path) -> int:
    """How many open file descriptors of this process point at `path` (one per SQLite connection)."""
    fds = Path("/proc/self/fd")
    return sum(1 for fd in fds.iterdir() if os.path.realpath(fd) == str(path))


def draft() -> Sale:
    return transition(Sale(0, 1_000, 21_000, "Tea"), Charge(1_000))


def test_a_kiosk_opens_its_ledger_once_and_every_part_reads_the_same_rows(tmp_path, monkeypatch):
    runs: list[int] = []
    real_migrate = database.migrate
    monkeypatch.setattr(database, "migrate", lambda conn: runs.append(1) or real_migrate(conn))
    path = tmp_path / "ledger.sqlite3"
    config = parse(
        {"ledger": {"path": str(path)}, "demo": {"receipts_dir": str(tmp_path / "receipts")}},
        tmp_path / "kiosk.toml",
    )
    services = build(config, demo_pay_after_s=0.1)
    try:
        assert runs == [1] and open_handles(path) == 1  # checkout, print queue, PIN, shifts, settings
        services.admin.pin.set_pin("2580")
        sale = services.checkout.charge(Quote(amount_msat=21_000), "Tea")
        wait_until(
            lambda: services.ledger.get(sale.id).state is SaleState.RECEIPT_PRINTED, what="the receipt"
        )
        shift = services.admin.shifts.current()
        with services.storage.database.read() as conn:
            row = conn.execute(
                "SELECT s.state, j.state, h.id, p.hash_record IS NOT NULL FROM sales s "
                "JOIN print_jobs j ON j.sale_id = s.id "
                "JOIN shifts h ON h.closed_at_ms IS NULL AND h.opened_at_ms <= s.paid_at_ms "
                "JOIN admin_pin p ON p.id = 1 WHERE s.id = ?",
                (sale.id,),
            ).fetchone()
        assert tuple(row) == ("receipt_printed", "printed", shift.id, 1)
        assert services.admin.shift_report().count == 1
        assert open_handles(path) == 1
    finally:
        services.close()
    assert open_handles(path) == 0


def test_reopening_an_up_to_date_ledger_runs_no_migration(tmp_path):
    path = tmp_path / "ledger.sqlite3"
    first = Storage.open(path)
    first.sales.add(draft(), 1_000)
    version = first.database.schema_version
    first.close()
    again = Storage.open(path)
    with again.database.read() as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == version == 8  # 001-008
    assert [s.memo for s in again.sales.sales()] == ["Tea"]
    again.close()


def test_a_file_that_is_no_ledger_is_named_with_what_to_do(tmp_path):
    path = tmp_path / "ledger.sqlite3"
    path.write_bytes(b"this is a spreadsheet, not a ledger" * 200)
    with pytest.raises(StorageUnreadable) as raised:
        Storage.open(path)
    assert str(path) in raised.value.message and "backup" in raised.value.hint


def test_a_folder_the_kiosk_may_not_write_is_named(tmp_path):
    blocked = tmp_path / "blocked"
    blocked.write_text("a file where the ledger's folder should be")
    with pytest.raises(StorageUnreadable, match="blocked"):
        Storage.open(blocked / "ledger.sqlite3")


def test_a_full_disk_refuses_a_sale_whole_and_says_so():
    with small_filesystem() as folder:
        if folder is None:
            pytest.skip("needs root to mount a tmpfs")
        storage = Storage.open(folder / "ledger.sqlite3")
        try:
            kept = storage.sales.add(draft(), 1_000)
            filler = fill(folder)
            with pytest.raises(StorageFull) as raised:
                for _ in range(200):  # the WAL may hold a few pages already; it cannot hold them all
                    storage.sales.add(draft(), 1_000)
            assert (
                raised.value.message == "The kiosk's storage is full" and "do not charge" in raised.value.hint
            )
            written = len(storage.sales.sales())
            assert all(len(storage.sales.history(s.id)) == 1 for s in storage.sales.sales())
            filler.unlink()
            storage.sales.add(draft(), 1_000)  # with space again the ledger works on
            assert len(storage.sales.sales()) == written + 1 and storage.sales.get(kept.id).memo == "Tea"
        finally:
            storage.close()
