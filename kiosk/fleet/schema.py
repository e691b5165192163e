"""The central schema and its roles: numbered migrations, a role per kiosk, a read-only reporting role.

Run by the database's owner (`fleet init-db --admin-dsn-file F`, `fleet add-terminal`).
Passwords are hashed (SCRAM-SHA-256) on this side before they go to the server, so
they appear in no server log.
"""

from __future__ import annotations

from importlib import resources

import psycopg
from psycopg import sql

from kiosk.config_checks import TERMINAL_ID
from kiosk.errors import ConfigError
from kiosk.i18n import _

MIGRATIONS = resources.files("kiosk.fleet") / "migrations"
KIOSKS, REPORT = "fleet_kiosk", "fleet_report"


def migrate(conn: psycopg.Connection) -> int:
    """Create the schema and group roles if missing, then apply every newer migration; the version."""
    with conn.transaction():
        conn.execute("SELECT pg_advisory_xact_lock(19)")  # two init-db at once: one waits
        conn.execute("CREATE SCHEMA IF NOT EXISTS fleet")
        for role in (KIOSKS, REPORT):
            if not _role_exists(conn, role):
                conn.execute(sql.SQL("CREATE ROLE {} NOLOGIN").format(sql.Identifier(role)))
        conn.execute(
            "CREATE TABLE IF NOT EXISTS fleet.migrations (number int PRIMARY KEY, "
            "applied_at timestamptz NOT NULL DEFAULT now())"
        )
    current = 0
    for script in sorted(MIGRATIONS.iterdir(), key=lambda p: p.name):
        if not script.name.endswith(".sql"):
            continue
        number = int(script.name.split("-", 1)[0])
        with conn.transaction():
            conn.execute("SELECT pg_advisory_xact_lock(19)")
            if conn.execute("SELECT 1 FROM fleet.migrations WHERE number = %s", (number,)).fetchone():
                current = number
                continue
            conn.execute(script.read_text())
            conn.execute("INSERT INTO fleet.migrations (number) VALUES (%s)", (number,))
        current = number
    return current


def terminal_role(terminal_id: str) -> str:
    return f"{KIOSKS}_{terminal_id}"


def add_terminal(
    conn: psycopg.Connection, terminal_id: str, password: str, shop: str, timezone: str, currency: str
) -> str:
    """Register the terminal and give it a login role (made, or its password changed); the role's name."""
    if not TERMINAL_ID.match(terminal_id):
        raise ConfigError(
            _("{id!r} is not a terminal id").format(id=terminal_id),
            _("Use 1 to 40 lower-case letters, digits, - or _, starting with a letter or digit"),
        )
    role = terminal_role(terminal_id)
    with conn.transaction():
        conn.execute(
            "INSERT INTO fleet.terminals (terminal_id, shop, timezone, currency) VALUES (%s, %s, %s, %s) "
            "ON CONFLICT (terminal_id) DO UPDATE SET shop = excluded.shop, timezone = excluded.timezone, "
            "currency = excluded.currency",
            (terminal_id, shop, timezone, currency),
        )
        _login_role(conn, role, password, member_of=KIOSKS)
    return role


def set_report_password(conn: psycopg.Connection, password: str) -> str:
    """The reporting role may log in with this password; it reads the views and nothing can it write."""
    with conn.transaction():
        conn.execute(sql.SQL("ALTER ROLE {} LOGIN").format(sql.Identifier(REPORT)))
        _set_password(conn, REPORT, password)
    return REPORT


def _login_role(conn: psycopg.Connection, role: str, password: str, member_of: str) -> None:
    if not _role_exists(conn, role):
        conn.execute(sql.SQL("CREATE ROLE {} LOGIN").format(sql.Identifier(role)))
    conn.execute(sql.SQL("GRANT {} TO {}").format(sql.Identifier(member_of), sql.Identifier(role)))
    _set_password(conn, role, password)


def _set_password(conn: psycopg.Connection, role: str, password: str) -> None:
    hashed = conn.pgconn.encrypt_password(password.encode(), role.encode(), b"scram-sha-256").decode()
    conn.execute(sql.SQL("ALTER ROLE {} PASSWORD {}").format(sql.Identifier(role), sql.Literal(hashed)))


def _role_exists(conn: psycopg.Connection, role: str) -> bool:
    return conn.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (role,)).fetchone() is not None
