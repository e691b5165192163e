"""Read a TOML file the owner wrote (the config, the catalog): every way it can be wrong is a ConfigError."""

from __future__ import annotations

import tomllib
from pathlib import Path

from kiosk.errors import ConfigError
from kiosk.i18n import _


def read_toml(path: Path, what: str, create_hint: str) -> dict:
    """The TOML document at `path`; `what` names the file ("config", "catalog") in the error."""
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(
            _("{path}: no such {what} file").format(path=path, what=what), create_hint
        ) from None
    except IsADirectoryError:
        raise ConfigError(
            _("{path}: is a folder, not a {what} file").format(path=path, what=what),
            _("Name the {what} file itself, not the folder it is in").format(what=what),
        ) from None
    except PermissionError:
        raise ConfigError(
            _("{path}: the kiosk may not read this {what} file").format(path=path, what=what),
            _("Make it readable by the kiosk's user: chmod 644 {path}").format(path=path),
        ) from None
    except OSError as exc:
        raise ConfigError(
            _("{path}: the {what} file cannot be read ({error})").format(
                path=path, what=what, error=exc.strerror
            ),
            _("Check the file and the storage it is on"),
        ) from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(
            _("{path}: not valid TOML ({error})").format(path=path, error=exc), _("Fix the line it names")
        ) from None
    except UnicodeDecodeError as exc:  # a garbled SD card, or a binary file given by mistake
        raise ConfigError(
            _("{path}: not a text file (byte {byte} is not UTF-8)").format(path=path, byte=exc.start),
            _("Restore it from a backup, or: {hint}").format(hint=create_hint),
        ) from None
