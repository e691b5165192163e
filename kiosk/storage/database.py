"""The kiosk's one SQLite connection: opened once, migrated once, shared by every table's repository.

WAL with synchronous=FULL: every commit is on disk before it returns, so a
power cut cannot roll back a sale the screen has already shown. Writes that
belong together go through `Database.transaction`, so a power cut keeps all or
none. One lock serialises the threads that share the connection (checkout
workers, the settlement watcher, the print worker, the admin screens).

SQLite errors a person can cause (the disk is full, the file is unreadable or
not a ledger) leave here as translated `StorageError`s; any other is a bug and
stays what it is.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from contextlib import closing, contextmanager
from importlib import resources
from pathlib import Path
from urllib.request import pathname2url

from kiosk.errors import StorageError, StorageFull, StorageUnreadable

MIGRATIONS = resources.files("kiosk.storage") / "migrations"
Row = sqlite3.Row  # what the repositories read: this module alone imports sqlite3
Connection = sqlite3.Connection  # what a repository writes to inside `Database.transaction`
IntegrityError = sqlite3.IntegrityError  # a UNIQUE or CHECK a repository turns into the kiosk's words
# Primary result codes (the low byte of an extended one) that mean the file, not the code, is at fault.
_UNREADABLE = {
    sqlite3.SQLITE_CANTOPEN,
    sqlite3.SQLITE_CORRUPT,
    sqlite3.SQLITE_IOERR,
    sqlite3.SQLITE_NOTADB,
    sqlite3.SQLITE_PERM,
    sqlite3.SQLITE_READONLY,
}


class Database:
    """One connection to the ledger file at `path`, with its schema brought up to date."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.RLock()
        with self._translated():
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise StorageUnreadable(path, exc.strerror or str(exc)) from exc
            self._conn = _connect(path)
            self.schema_version = migrate(self._conn)

    def close(self) -> None:
        with self._lock:
            self._conn.close()

    @contextmanager
    def read(self) -> Iterator[sqlite3.Connection]:
        """The connection, for this thread alone while the block runs (statements autocommit)."""
        with self._lock, self._translated():
            yield self._conn

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One atomic write: after a power cut either all of it is on disk or none of it."""
        with self._lock, self._translated(), transaction(self._conn) as conn:
            yield conn

    @contextmanager
    def _translated(self) -> Iterator[None]:
        try:
            yield
        except sqlite3.Error as exc:
            translated = storage_error(exc, self.path)
            if translated is None:
                raise
            raise translated from exc


def storage_error(exc: sqlite3.Error, path: Path) -> StorageError | None:
    """The kiosk's words for an SQLite error a person can cause and fix, or None for a bug."""
    code = getattr(exc, "sqlite_errorcode", None)
    primary = None if code is None else code & 0xFF
    if primary == sqlite3.SQLITE_FULL:
        return StorageFull(path)
    if primary in _UNREADABLE:
        return StorageUnreadable(path, str(exc))
    return None


def probe(path: Path) -> None:
    """Open the ledger read-only and read its schema, changing nothing (for `doctor`); StorageError if not."""
    try:
        with closing(sqlite3.connect(f"file:{pathname2url(str(path))}?mode=ro", uri=True)) as conn:
            conn.execute("PRAGMA schema_version").fetchone()
    except sqlite3.Error as exc:
        raise (storage_error(exc, path) or StorageUnreadable(path, str(exc))) from exc


def _connect(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False, timeout=10)
    conn.row_factory = sqlite3.Row
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=FULL")
    conn.execute("PRAGMA foreign_keys=ON")
    return conn


@contextmanager
def transaction(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """BEGIN IMMEDIATE … COMMIT, rolled back on any error.

    The connection is in autocommit mode (isolation_level=None), where `with conn:`
    opens no transaction and every statement commits on its own.
    """
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield conn
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:  # SQLite may already have rolled back (e.g. after SQLITE_FULL)
            conn.execute("ROLLBACK")
        raise


def migrate(conn: sqlite3.Connection) -> int:
    """Apply every migration newer than PRAGMA user_version, each in its own transaction.

    Foreign keys are off while a migration runs (SQLite's way to rebuild a table that others
    refer to, as 006 does) and checked before its COMMIT: a migration that breaks one fails whole.
    """
    current = conn.execute("PRAGMA user_version").fetchone()[0]
    for script in sorted(MIGRATIONS.iterdir(), key=lambda p: p.name):
        if not script.name.endswith(".sql"):
            continue
        number = int(script.name.split("-", 1)[0])
        if number <= current:
            continue
        conn.execute("PRAGMA foreign_keys=OFF")
        try:
            conn.executescript(f"BEGIN IMMEDIATE;\n{script.read_text()}\nPRAGMA user_version = {number};")
            broken = conn.execute("PRAGMA foreign_key_check").fetchone()
            if broken is not None:
                raise sqlite3.IntegrityError(f"migration {script.name} breaks a foreign key: {tuple(broken)}")
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
        finally:
            conn.execute("PRAGMA foreign_keys=ON")
        current = number
    return current
