"""Secrets read from files, which never show up in logs, reprs or error messages."""

from __future__ import annotations

from pathlib import Path

from kiosk.errors import ConfigError


class Secret:
    """A credential. `reveal()` is the only way to the value; str() and repr() hide it."""

    __slots__ = ("_value",)

    def __init__(self, value: bytes) -> None:
        self._value = value

    def reveal(self) -> bytes:
        return self._value

    def __repr__(self) -> str:
        return "Secret(****)"

    __str__ = __repr__


def read_secret(path: Path, what: str) -> Secret:
    """Read a credential file; the error names the file and the fix, never the content."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise ConfigError(f"The {what} file {path} does not exist", f"Copy the {what} to {path}") from None
    except PermissionError:
        raise ConfigError(
            f"The kiosk may not read the {what} file {path}",
            "Make it readable by the kiosk's user only (chmod 600, owned by that user)",
        ) from None
    if not data.strip():
        raise ConfigError(f"The {what} file {path} is empty", f"Copy the {what} to {path}")
    return Secret(data)
