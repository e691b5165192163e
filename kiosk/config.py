"""Kiosk configuration: a TOML file loaded into frozen dataclasses (kiosk.config_schema).

Every key is checked for its type and range; a wrong key or value raises ConfigError
naming the file, the key and the fix. Paths in the file are relative to the
file. Secrets are never read here: only the paths to the files holding them.
"""

from __future__ import annotations

import difflib
import os
import typing
from pathlib import Path

from kiosk.config_checks import check, one_of
from kiosk.config_schema import (
    CHOICES,
    DEMO_CATALOG,
    SECTIONS,
    AdminConfig,
    CatalogConfig,
    Config,
    DemoConfig,
    FleetConfig,
    GpioConfig,
    LedgerConfig,
    NfcConfig,
    NodeConfig,
    PaymentConfig,
    PrinterConfig,
    RatesConfig,
    RefundsConfig,
    ShopConfig,
    TaxConfig,
    TipsConfig,
    UiConfig,
)
from kiosk.config_text import read_toml
from kiosk.config_values import convert
from kiosk.errors import ConfigError
from kiosk.i18n import _, list_separator

# The schema is imported from here by the rest of the kiosk.
__all__ = [
    "DEMO_CATALOG",
    "SECTIONS",
    "AdminConfig",
    "CatalogConfig",
    "Config",
    "DemoConfig",
    "FleetConfig",
    "GpioConfig",
    "LedgerConfig",
    "NfcConfig",
    "NodeConfig",
    "PaymentConfig",
    "PrinterConfig",
    "RatesConfig",
    "RefundsConfig",
    "ShopConfig",
    "TaxConfig",
    "TipsConfig",
    "UiConfig",
    "load",
    "parse",
    "resolve_path",
]

DEFAULT_CONFIG = Path("config/kiosk.toml")
ENV_VAR = "KIOSK_CONFIG"


def resolve_path(cli_path: str | None) -> Path | None:
    """--config wins, then $KIOSK_CONFIG, then config/kiosk.toml if present; None means demo."""
    if cli_path:
        return Path(cli_path)
    if os.environ.get(ENV_VAR):
        return Path(os.environ[ENV_VAR])
    return DEFAULT_CONFIG if DEFAULT_CONFIG.exists() else None


def load(path: Path | None) -> Config:
    """The config at `path`; None gives the built-in demo, which shows tips and a catalog too.

    Only the values are checked here: `kiosk.preflight.load` also opens every file it names
    as the kiosk will (the installer uses this one, before the files are in place).
    """
    if path is None:
        return Config(tips=TipsConfig(enabled=True), catalog=CatalogConfig(DEMO_CATALOG))
    data = read_toml(
        path,
        _("config"),
        _("Copy config/kiosk.example.toml to that path, or start without --config for the demo"),
    )
    return parse(data, path)


def parse(data: dict, path: Path) -> Config:
    where = str(path)
    base = path.parent
    unknown = set(data) - set(SECTIONS)
    if unknown:
        name = sorted(unknown)[0]
        raise ConfigError(
            _("{where}: unknown section [{name}]").format(where=where, name=name),
            _did_you_mean(name, SECTIONS),
        )
    sections = {}
    for name, cls in SECTIONS.items():
        table = data.get(name, {})
        if not isinstance(table, dict):
            raise ConfigError(
                _("{where}: '{name}' must be a [{name}] section").format(where=where, name=name),
                _("Write [{name}] on a line of its own, with its keys below it").format(name=name),
            )
        sections[name] = _section(cls, name, table, where, base)
    config = Config(source=where, **sections)
    check(config, where)
    return config


def _section(cls: type, name: str, table: dict, where: str, base: Path) -> object:
    hints = typing.get_type_hints(cls)
    unknown = set(table) - set(hints)
    if unknown:
        key = sorted(unknown)[0]
        raise ConfigError(
            _("{where}: unknown key {section}.{key}").format(where=where, section=name, key=key),
            _did_you_mean(key, hints),
        )
    values = {}
    for key, raw in table.items():
        values[key] = convert(raw, hints[key], name, key, where, base)
        allowed = CHOICES.get((name, key))
        if allowed and str(values[key]) not in allowed:
            raise ConfigError(
                _("{where}: {section}.{key} = {value!r} is not allowed").format(
                    where=where, section=name, key=key, value=raw
                ),
                one_of(allowed),
            )
    return cls(**values)


def _did_you_mean(name: str, known: typing.Iterable[str]) -> str:
    close = difflib.get_close_matches(name, list(known), n=1)
    options = list_separator().join(sorted(known))
    if close:
        return _("Did you mean {name!r}? Known: {options}").format(name=close[0], options=options)
    return _("Known: {options}").format(options=options)
