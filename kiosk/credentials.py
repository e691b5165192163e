"""Secrets read from files, which never show up in logs, reprs or error messages.

A key file holds one secret: surrounding whitespace is stripped, anything else (a
second line, a binary file where text belongs, nothing at all) is refused with the
reason. An LND macaroon is binary as lnd writes it; its hex text is accepted too.
"""

from __future__ import annotations

import stat
import string
from pathlib import Path

from kiosk.errors import ConfigError
from kiosk.i18n import _

MAX_SECRET_BYTES = 64 * 1024  # macaroons are a few hundred bytes; anything this big is not one
_SPACE = frozenset(string.whitespace.encode())
_TEXT = frozenset(string.printable.encode()) - _SPACE
_HEX = frozenset(string.hexdigits.encode())

# The credential each backend reads: config key, what it is called, whether it is binary.
KEY_FILES = {
    "lnd": ("macaroon_file", "LND macaroon", True),
    "cln": ("rune_file", "Core Lightning rune", False),
    "lnbits": ("invoice_key_file", "LNbits invoice key", False),
    "phoenixd": ("password_file", "phoenixd password", False),
    "nwc": ("nwc_uri_file", "Nostr Wallet Connect URI", False),
    "btcpay": ("api_key_file", "BTCPay Server API key", False),
}
CERT_FILES = {
    "lnd": "tls_cert_file",
    "cln": "ca_cert_file",
    "lnbits": "tls_cert_file",
    "phoenixd": "tls_cert_file",
    "btcpay": "tls_cert_file",
}


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


def read_secret(path: Path, what: str, *, binary: bool = False) -> Secret:
    """Read a credential file; the error names the file, the reason and the fix, never the content."""
    fix = _("Copy the {what} to {path} again, with nothing else in the file").format(what=what, path=path)
    try:
        with path.open("rb") as file:
            data = file.read(MAX_SECRET_BYTES + 1)
    except FileNotFoundError:
        raise ConfigError(
            _("The {what} file {path} does not exist").format(what=what, path=path),
            _("Copy the {what} to {path}").format(what=what, path=path),
        ) from None
    except IsADirectoryError:
        raise ConfigError(
            _("The {what} file {path} is a folder, not a file").format(what=what, path=path),
            _("Name the file that holds the {what}").format(what=what),
        ) from None
    except PermissionError:
        raise ConfigError(
            _("The kiosk may not read the {what} file {path}").format(what=what, path=path),
            _("Make it readable by the kiosk's user only: chmod 600 {path}, owned by that user").format(
                path=path
            ),
        ) from None
    except OSError as exc:
        raise ConfigError(
            _("The {what} file {path} cannot be read ({error})").format(
                what=what, path=path, error=exc.strerror
            ),
            fix,
        ) from None
    stripped = data.strip()
    if not stripped:
        raise ConfigError(_("The {what} file {path} is empty").format(what=what, path=path), fix)
    if len(data) > MAX_SECRET_BYTES:
        raise ConfigError(
            _("The {what} file {path} is over {size} KiB: far too big for a key").format(
                what=what, path=path, size=MAX_SECRET_BYTES // 1024
            ),
            fix,
        )
    is_text = set(data) <= _TEXT | _SPACE
    if binary and not is_text:
        return Secret(data)  # a binary macaroon: every byte counts, nothing is stripped
    if not is_text:
        raise ConfigError(
            _("The {what} file {path} is not text: it holds other bytes").format(what=what, path=path), fix
        )
    if len(stripped.split()) > 1:
        raise ConfigError(
            _("The {what} file {path} holds more than one line or word; it must hold only the key").format(
                what=what, path=path
            ),
            fix,
        )
    if binary:
        if not set(stripped) <= _HEX or len(stripped) % 2:
            raise ConfigError(
                _("The {what} file {path} is neither a binary macaroon nor its hex").format(
                    what=what, path=path
                ),
                fix,
            )
        return Secret(bytes.fromhex(stripped.decode("ascii")))
    return Secret(stripped)


def exposed(path: Path, what: str) -> ConfigError | None:
    """A warning when others than the file's owner may read the secret; None when it is private."""
    try:
        mode = path.stat().st_mode
    except OSError:
        return None  # read_secret reports a file that cannot be opened
    if not mode & (stat.S_IRWXG | stat.S_IRWXO):
        return None
    return ConfigError(
        _("The {what} file {path} can be read by other users of this machine").format(what=what, path=path),
        _("Run: chmod 600 {path}").format(path=path),
    )
