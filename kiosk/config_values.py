"""One config value, converted from TOML to its field's type and checked, or a ConfigError.

Numbers must be finite and in their range (`LIMITS`), addresses must parse as URLs with
a host and a port that exists; the error names the file, the key and what to write.
"""

from __future__ import annotations

import math
import types
import typing
from decimal import Decimal, InvalidOperation
from pathlib import Path
from urllib.parse import urlsplit

from kiosk.config_schema import LIMITS, Limit
from kiosk.errors import ConfigError
from kiosk.i18n import N_, _


def convert(raw: object, hint: object, section: str, name: str, where: str, base: Path) -> object:
    """`raw` from the TOML file as the field's type, checked against its limit or URL form."""
    key = f"{section}.{name}"
    value = _typed(raw, hint, key, where, base)
    limit = LIMITS.get((section, name))
    if limit is not None and value is not None:
        _check_limit(value, limit, raw, key, where)  # type: ignore[arg-type]
    if name == "url" or name.endswith("_url"):
        _check_url(str(value), key, where)
    return value


def _typed(raw: object, hint: object, key: str, where: str, base: Path) -> object:
    optional = typing.get_origin(hint) in (typing.Union, types.UnionType)
    target = next(a for a in typing.get_args(hint) if a is not type(None)) if optional else hint

    def wrong(expected: str) -> ConfigError:
        shown = _(expected)
        return ConfigError(
            _("{where}: {key} = {value!r} is not {expected}").format(
                where=where, key=key, value=raw, expected=shown
            ),
            _("Write {key} as {expected}").format(key=key, expected=shown),
        )

    if target is bool:
        if not isinstance(raw, bool):
            raise wrong(N_("true or false"))
        return raw
    if target is int:
        if isinstance(raw, bool) or not isinstance(raw, int):
            raise wrong(N_("a whole number"))
        return raw
    if target is float:
        if isinstance(raw, bool) or not isinstance(raw, int | float):
            raise wrong(N_("a number"))
        if not math.isfinite(raw):
            raise _not_finite(raw, key, where)
        return float(raw)
    if target is Decimal:
        # Money comes as a string ("12.50") so TOML's floats never touch it.
        if not isinstance(raw, str | int) or isinstance(raw, bool):
            raise wrong(N_('a quoted decimal such as "12.50"'))
        try:
            value = Decimal(str(raw).strip())
        except InvalidOperation:
            raise wrong(N_('a quoted decimal such as "12.50"')) from None
        if not value.is_finite():
            raise _not_finite(raw, key, where)
        return value
    if target is Path:
        if not isinstance(raw, str) or not raw.strip():
            raise wrong(N_("a file path in quotes"))
        if "\x00" in raw:
            raise ConfigError(
                _("{where}: {key} holds a NUL character, which no path can").format(where=where, key=key),
                _("Write the path again by hand"),
            )
        try:
            p = Path(raw).expanduser()
        except RuntimeError:  # "~name" of a user this machine does not have
            raise ConfigError(
                _("{where}: {key} = {value!r} starts with ~ but names no user of this machine").format(
                    where=where, key=key, value=raw
                ),
                _("Write the full path, e.g. /home/pi/..."),
            ) from None
        return p if p.is_absolute() else base / p
    if not isinstance(raw, str):
        raise wrong(N_("text in quotes"))
    return raw


def _not_finite(raw: object, key: str, where: str) -> ConfigError:
    return ConfigError(
        _("{where}: {key} = {value} is not a finite number").format(where=where, key=key, value=raw),
        _("Write {key} as a plain number such as 10").format(key=key),
    )


def _check_limit(value: float | Decimal, limit: Limit, raw: object, key: str, where: str) -> None:
    too_low = value <= limit.low if limit.above else value < limit.low
    if not too_low and value <= limit.high:
        return
    if limit.above:
        allowed = _("above {low} and at most {high}").format(low=limit.low, high=limit.high)
    else:
        allowed = _("from {low} to {high}").format(low=limit.low, high=limit.high)
    raise ConfigError(
        _("{where}: {key} = {value} is out of range").format(where=where, key=key, value=raw),
        _("Write {key} as a number {allowed}").format(key=key, allowed=allowed),
    )


def _check_url(url: str, key: str, where: str) -> None:
    if not url:
        return  # "not set": the checks across keys say whether it is needed
    try:
        parts = urlsplit(url)
        port_ok = parts.port is None or parts.port > 0  # .port raises ValueError beyond 65535
    except ValueError:
        parts, port_ok = None, False
    if parts and port_ok and parts.scheme in ("http", "https") and parts.hostname and url == url.strip():
        return
    raise ConfigError(
        _("{where}: {key} = {url!r} is not a web address with a host and a port from 1 to 65535").format(
            where=where, key=key, url=url
        ),
        _('Write {key} as "https://HOST:PORT", e.g. "https://10.0.0.5:8080"').format(key=key),
    )
