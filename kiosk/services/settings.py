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
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Protocol

from kiosk import i18n
from kiosk.config import Config

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


class SettingRows(Protocol):
    """Key/value text rows (`kiosk.storage.settings.SettingRepository`, migration 004's `settings`)."""

    def all(self) -> dict[str, str]: ...

    def put(self, values: Mapping[str, str], at_ms: int) -> None: ...


class SettingsStore:
    """The device's settings, kept as text rows."""

    def __init__(self, rows: SettingRows, clock_ms: Callable[[], int]) -> None:
        self._rows = rows
        self._clock_ms = clock_ms

    def load(self, config: Config) -> DeviceSettings:
        """The config's settings with the ones changed on the device applied over them."""
        stored = self._rows.all()
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
        values = {f.name: _text(getattr(settings, f.name)) for f in dataclasses.fields(settings)}
        self._rows.put(values, self._clock_ms())


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
