"""A real PostgreSQL for the fleet tests: one throwaway cluster per session, a fresh database per test."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from kiosk.cli import main
from kiosk.fleet.connection import connect
from tests.support.postgres import Cluster, PostgresUnavailable

_numbers = itertools.count(1)


@pytest.fixture(scope="session")
def cluster() -> Iterator[Cluster]:
    try:
        started = Cluster().start()
    except PostgresUnavailable as exc:
        pytest.fail(str(exc), pytrace=False)
    yield started
    started.close()


@dataclass
class Central:
    cluster: Cluster
    dbname: str
    folder: Path

    def dsn_file(self, name: str, user: str, password: str) -> Path:
        path = self.folder / f"{name}.dsn"
        path.write_text(self.cluster.dsn(user, password, self.dbname) + "\n")
        path.chmod(0o600)
        return path

    @property
    def admin_dsn(self) -> Path:
        return self.folder / "admin.dsn"

    def add_terminal(self, terminal_id: str, shop: str = "cafe", currency: str = "EUR") -> Path:
        """Register through the CLI; the kiosk's DSN file."""
        password_file = self.folder / f"{terminal_id}.password"
        args = ["--admin-dsn-file", str(self.admin_dsn), "--ca-file", str(self.cluster.ca_file)]
        assert (
            main(
                [
                    "fleet",
                    "add-terminal",
                    terminal_id,
                    *args,
                    "--password-file",
                    str(password_file),
                    "--shop",
                    shop,
                    "--currency",
                    currency,
                ]
            )
            == 0
        )
        return self.dsn_file(terminal_id, f"fleet_kiosk_{terminal_id}", password_file.read_text().strip())

    @property
    def report_dsn(self) -> Path:
        return self.dsn_file("report", "fleet_report", (self.folder / "report.password").read_text().strip())

    def report_conn(self):
        return connect(
            self.cluster.dsn(
                "fleet_report", (self.folder / "report.password").read_text().strip(), self.dbname
            ),
            self.cluster.ca_file,
        )


@pytest.fixture
def central(cluster, tmp_path) -> Central:
    """A new database on the cluster with the fleet schema, made by `fleet init-db`."""
    dbname = f"fleet_{next(_numbers)}"
    with connect(cluster.dsn(), cluster.ca_file) as conn:
        conn.execute(f"CREATE DATABASE {dbname}")
    made = Central(cluster, dbname, tmp_path)
    made.dsn_file("admin", "postgres", "admin-test-password")
    code = main(
        [
            "fleet",
            "init-db",
            "--admin-dsn-file",
            str(made.admin_dsn),
            "--ca-file",
            str(cluster.ca_file),
            "--report-password-file",
            str(tmp_path / "report.password"),
        ]
    )
    assert code == 0
    return made
