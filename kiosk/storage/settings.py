"""Settings changed on the device (migration 004): the `SettingRows` port on SQLite."""

from __future__ import annotations

from collections.abc import Mapping

from kiosk.storage.database import Database


class SettingRepository:
    """Implements `kiosk.services.settings.SettingRows`: key/value text rows."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def all(self) -> dict[str, str]:
        with self._db.read() as conn:
            return dict(conn.execute("SELECT key, value FROM settings").fetchall())

    def put(self, values: Mapping[str, str], at_ms: int) -> None:
        with self._db.transaction() as conn:
            conn.executemany(
                "INSERT INTO settings (key, value, updated_at_ms) VALUES (?, ?, ?) ON CONFLICT (key) "
                "DO UPDATE SET value = excluded.value, updated_at_ms = excluded.updated_at_ms",
                [(key, value, at_ms) for key, value in values.items()],
            )
