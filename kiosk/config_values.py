"""One config value, converted from TOML to its field's type and checked, or a ConfigError."""

from __future__ import annotations

import types
import typing
from decimal import Decimal, InvalidOperation
from pathlib import Path

from kiosk.errors import ConfigError


def convert(raw: object, hint: object, key: str, where: str, base: Path) -> object:
    optional = typing.get_origin(hint) in (typing.Union, types.UnionType)
    target = next(a for a in typing.get_args(hint) if a is not type(None)) if optional else hint

    def wrong(expected: str) -> ConfigError:
        return ConfigError(f"{where}: {key} = {raw!r} is not {expected}", f"Write {key} as {expected}")

    if target is bool:
        if not isinstance(raw, bool):
            raise wrong("true or false")
        return raw
    if target is int:
        if isinstance(raw, bool) or not isinstance(raw, int):
            raise wrong("a whole number")
        return raw
    if target is float:
        if isinstance(raw, bool) or not isinstance(raw, int | float):
            raise wrong("a number")
        return float(raw)
    if target is Decimal:
        # Money comes as a string ("12.50") so TOML's floats never touch it.
        if not isinstance(raw, str | int) or isinstance(raw, bool):
            raise wrong('a quoted decimal such as "12.50"')
        try:
            return Decimal(str(raw))
        except InvalidOperation:
            raise wrong('a quoted decimal such as "12.50"') from None
    if target is Path:
        if not isinstance(raw, str) or not raw:
            raise wrong("a file path in quotes")
        p = Path(raw).expanduser()
        return p if p.is_absolute() else base / p
    if not isinstance(raw, str):
        raise wrong("text in quotes")
    return raw
