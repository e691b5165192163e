"""Connections to the central PostgreSQL: the DSN from a secret file, TLS always verified.

Over TCP the connection is `sslmode=verify-full` whatever the DSN says: the server's
certificate must chain to the CA file (or the system's CAs) and name the host. Only a
Unix socket on the database's own machine goes without TLS.
"""

from __future__ import annotations

from pathlib import Path

import psycopg
from psycopg.conninfo import conninfo_to_dict

from kiosk.credentials import read_secret
from kiosk.errors import ConfigError
from kiosk.i18n import _
from kiosk.services.fleet import FleetUnavailable


def read_dsn(path: Path, what: str) -> str:
    """The DSN in a secret file (libpq keyword=value, or a postgresql:// URI); ConfigError if not one."""
    try:
        text = path.read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError):
        read_secret(path, what)  # its words for a missing, unreadable or binary file
        raise
    try:
        conninfo_to_dict(text)
    except psycopg.ProgrammingError:
        raise ConfigError(
            _("The {what} file {path} does not hold a PostgreSQL connection string").format(
                what=what, path=path
            ),
            _("Write one line such as: host=db.example.com dbname=fleet user=... password=..."),
        ) from None
    return text


def connect(dsn: str, ca_file: Path | None = None, timeout_s: int = 10) -> psycopg.Connection:
    """Connect (autocommit: writes go in `conn.transaction()` blocks) with TLS verified; FleetUnavailable
    (without the DSN or its password) if not reached."""
    params = conninfo_to_dict(dsn)
    host = str(params.get("host", ""))
    if host and not host.startswith("/"):
        params["sslmode"] = "verify-full"
        if ca_file is not None:
            params["sslrootcert"] = str(ca_file)
        params.setdefault("sslrootcert", "system")
    params.setdefault("connect_timeout", str(timeout_s))
    params.setdefault("application_name", "lightning-kiosk")
    try:
        return psycopg.connect(autocommit=True, **params)
    except psycopg.OperationalError as exc:
        raise unavailable(exc) from None


def unavailable(exc: psycopg.Error) -> FleetUnavailable:
    """libpq's reason (which never holds the password), with what to check."""
    reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return FleetUnavailable(
        _("The central database cannot be reached: {reason}").format(reason=reason),
        _(
            "Sales go on and are kept on the kiosk; check the network, the database server, the DSN file "
            "and the CA file. They are sent once it answers"
        ),
    )
