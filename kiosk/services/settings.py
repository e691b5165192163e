"""Settings the merchant may change on the touchscreen; they override the config file.

Only what is safe to change in the shop: the language, the merchant copy,
how soon an idle kiosk returns to the keypad, whether to ask for tips (the
presets stay in the config). Node, printer and money limits
stay in the config file, which needs the owner's shell. A stored value the
kiosk cannot read (e.g. written by a newer version) is ignored: the config's
value applies.
"""

from __future__ import annotations

import dataclasses
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from kiosk import i18n
from kiosk.config import Config
from kiosk.storage.database import open_database

log = logging.getLogger(__name__)

IDLE_CHOICES_S = (30, 60, 120, 300)


@dataclass(frozen=True)
class DeviceSettings:
    language: str = i18n.DEFAULT_LANGUAGE
    merchant_copy: bool = False
    idle_timeout_seconds: int = 60
    tips: bool = False  # the tip step after the amount ([tips] enabled in the config)

    @classmethod
    def of(cls, config: Config) -> DeviceSettings:
        return cls(
            language=config.ui.language,
            merchant_copy=config.printer.merchant_copy,
            idle_timeout_seconds=config.ui.idle_timeout_seconds,
            tips=config.tips.enabled,
        )


class SettingsStore:
    """Key/value rows in the ledger's SQLite file (migration 004's `settings` table)."""

    def __init__(self, path: Path, clock_ms: Callable[[], int]) -> None:
        self._conn = open_database(path)
        self._clock_ms = clock_ms
        self._lock = threading.Lock()

    def close(self) -> None:
        with self._lock:
            self._conn.close()

    def load(self, config: Config) -> DeviceSettings:
        """The config's settings with the ones changed on the device applied over them."""
        with self._lock:
            stored = dict(self._conn.execute("SELECT key, value FROM settings").fetchall())
        settings = DeviceSettings.of(config)
        changes: dict[str, object] = {}
        for f in dataclasses.fields(DeviceSettings):
            if f.name in stored:
                value = _parse(stored[f.name], type(getattr(settings, f.name)))
                if value is None or not _allowed(f.name, value):
                    log.warning(
                        "setting %s = %r ignored: not a value this kiosk knows", f.name, stored[f.name]
                    )
                    continue
                changes[f.name] = value
        return dataclasses.replace(settings, **changes)

    def save(self, settings: DeviceSettings) -> None:
        now = self._clock_ms()
        rows = [(f.name, _text(getattr(settings, f.name)), now) for f in dataclasses.fields(settings)]
        with self._lock, self._conn:
            self._conn.executemany(
                "INSERT INTO settings (key, value, updated_at_ms) VALUES (?, ?, ?) ON CONFLICT (key) "
                "DO UPDATE SET value = excluded.value, updated_at_ms = excluded.updated_at_ms",
                rows,
            )


def _allowed(name: str, value: object) -> bool:
    if name == "language":
        return value in i18n.available_languages()
    if name == "idle_timeout_seconds":
        return isinstance(value, int) and value >= min(IDLE_CHOICES_S)
    return True


def _text(value: object) -> str:
    return ("1" if value else "0") if isinstance(value, bool) else str(value)


def _parse(text: str, kind: type) -> object | None:
    if kind is bool:
        return {"1": True, "0": False}.get(text)
    if kind is int:
        return int(text) if text.isdigit() else None
    return text
