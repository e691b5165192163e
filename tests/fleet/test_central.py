"""Store and forward against a real PostgreSQL: least privilege, idempotent sync, and the fault drill."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from collections import defaultdict
from decimal import Decimal

import psycopg
import pytest

from kiosk.cli import main
from kiosk.domain.takings import Takings
from kiosk.fleet.central import PostgresBooks
from kiosk.fleet.connection import connect
from kiosk.services.fleet import FleetUnavailable
from kiosk.services.shift_money import takings
from kiosk.storage.store import Storage
from tests.fleet.kiosk_day import config_text, sell
from tests.support.wait import wait_until

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def kiosk_conn(central, terminal_id):
    password = (central.folder / f"{terminal_id}.password").read_text().strip()
    return connect(
        central.cluster.dsn(f"fleet_kiosk_{terminal_id}", password, central.dbname), central.cluster.ca_file
    )


EVENT = (
    "INSERT INTO fleet.events (terminal_id, seq, key, at_ms, kind, ref_id, payload) "
    "VALUES (%s, 1, gen_random_uuid(), 0, 'sale', 1, '{}')"
)


def test_a_kiosk_role_inserts_only_its_own_rows_and_reads_none(central):
    central.add_terminal("till-a")
    central.add_terminal("till-b")
    with kiosk_conn(central, "till-a") as a:
        with pytest.raises(psycopg.errors.InsufficientPrivilege, match="row-level security"):
            a.execute(EVENT, ("till-b",))
        a.execute(EVENT, ("till-a",))
        for query in (
            "SELECT * FROM fleet.events",
            "SELECT * FROM fleet.sales",
            "SELECT * FROM fleet.terminals",
            "UPDATE fleet.events SET state = 'x'",
            "DELETE FROM fleet.events",
        ):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                a.execute(query)
    with kiosk_conn(central, "till-b") as b:
        b.execute(EVENT, ("till-b",))
    with central.report_conn() as report:
        assert report.execute("SELECT terminal_id FROM fleet.events ORDER BY 1").fetchall() == [
            ("till-a",),
            ("till-b",),
        ]
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            report.execute(EVENT, ("till-a",))


def test_init_db_again_changes_nothing(central):
    again = [
        "fleet",
        "init-db",
        "--admin-dsn-file",
        str(central.admin_dsn),
        "--ca-file",
        str(central.cluster.ca_file),
    ]
    assert main(again) == 0
    with central.report_conn() as report:
        assert report.execute(
            "SELECT array_agg(number ORDER BY number) FROM fleet.migrations"
        ).fetchone() == ([1, 2],)


def test_tls_is_verified_against_the_ca(central, tmp_path):
    other_ca = tmp_path / "other-ca.pem"
    import trustme

    trustme.CA().cert_pem.write_to_path(str(other_ca))
    with pytest.raises(FleetUnavailable, match="certificate verify failed"):
        connect(central.cluster.dsn(dbname=central.dbname) + " sslmode=disable", other_ca)


def fleet(*args, config=None, check=True):
    command = [sys.executable, "-m", "kiosk", "fleet", *args, *(["--config", str(config)] if config else [])]
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=120, check=check)


def summed(reports) -> dict[str, Takings]:
    sums: dict[str, Takings] = defaultdict(Takings)
    for report in reports:
        for code, parts in takings(report).items():
            sums[code] += parts
    return sums


def test_two_kiosks_sell_through_an_outage_a_kill_and_a_restart(central, tmp_path):
    kiosks = {}
    for name in ("till-a", "till-b"):
        folder = tmp_path / name
        folder.mkdir()
        kiosks[name] = (
            folder,
            config_text(folder, name, central.add_terminal(name), central.cluster.ca_file, batch=3),
        )
    central.cluster.stop()  # the database is down all day
    reports = {name: sell(folder, sales=12) for name, (folder, _c) in kiosks.items()}
    for _folder, config in kiosks.values():
        down = fleet("sync", config=config, check=False)
        assert down.returncode == 6, down.stderr
        assert "cannot be reached" in down.stderr and "password" not in down.stderr
    central.cluster.start()

    # till-a: killed while syncing, batches of 3 (its first batches in, the rest not)
    _folder_a, config_a = kiosks["till-a"]
    sync = subprocess.Popen(
        [sys.executable, "-m", "kiosk", "fleet", "sync", "--config", str(config_a)], cwd=ROOT
    )
    with central.report_conn() as report:
        count = "SELECT count(*) FROM fleet.events WHERE terminal_id = 'till-a'"
        wait_until(
            lambda: report.execute(count).fetchone()[0] > 0 or sync.poll() is not None, what="a first batch"
        )
    sync.send_signal(signal.SIGKILL)
    sync.wait()
    # till-b: its first batch reached the central books, then it died before marking it sent
    folder_b, _config_b = kiosks["till-b"]
    storage = Storage.open(folder_b / "ledger.sqlite3")
    books = PostgresBooks(
        central.dsn_file("b-direct", *_login(central, "till-b")).read_text(), central.cluster.ca_file
    )
    books.send("till-b", storage.outbox.unsent(7), 0)
    books.close()
    storage.close()

    central.cluster.stop("immediate")  # and the database crashes and comes back
    central.cluster.start()
    for _folder, config in kiosks.values():
        done = fleet("sync", config=config)
        assert "nothing left to send" in done.stdout
        status = json.loads(fleet("status", "--json", config=config).stdout)
        assert (status["backlog"], status["last_error"]) == (0, None)

    with central.report_conn() as report:
        rows = report.execute(
            "SELECT terminal_id, count(*), count(DISTINCT key), max(seq) FROM fleet.events "
            "GROUP BY 1 ORDER BY 1"
        ).fetchall()
        for (terminal_id, count, keys, last), name in zip(rows, ("till-a", "till-b"), strict=True):
            storage = Storage.open(kiosks[name][0] / "ledger.sqlite3")
            assert (terminal_id, count, keys, last) == (name, storage.outbox.status().last_seq, count, count)
            storage.close()
        assert report.execute("SELECT count(*) FROM fleet.gaps").fetchone() == (0,)
        kiosk_msat = sum(r.received_msat for rs in reports.values() for r in rs)
        assert report.execute("SELECT sum(received_msat) FROM fleet.daily_sales").fetchone()[0] == kiosk_msat
        status = {r[0]: r for r in report.execute("SELECT terminal_id, backlog, gaps FROM fleet.sync_status")}
        assert status == {"till-a": ("till-a", 0, 0), "till-b": ("till-b", 0, 0)}

    central_report = json.loads(
        fleet(
            "report",
            "--dsn-file",
            str(central.report_dsn),
            "--ca-file",
            str(central.cluster.ca_file),
            "--json",
        ).stdout
    )
    expected = summed([r for rs in reports.values() for r in rs])
    assert central_report["shifts"] == 4
    (eur,) = expected.values()
    got = central_report["totals"]["EUR"]
    assert (got["takings"], got["tax"], got["refunds"], got["received_msat"]) == (
        str(eur.takings),
        str(eur.tax),
        str(eur.refunds),
        eur.received_msat,
    )
    assert got["count"] == 48 and Decimal(got["takings"]) > 0
    assert central_report["cash"]["EUR"]["opening_float"] == "200.00"


def _login(central, terminal_id):
    return f"fleet_kiosk_{terminal_id}", (central.folder / f"{terminal_id}.password").read_text().strip()
