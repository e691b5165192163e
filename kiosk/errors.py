"""Errors a merchant or cashier can meet, each with the next step to take."""

from __future__ import annotations

import enum
from pathlib import Path

from kiosk.i18n import N_, _


class KioskError(Exception):
    """Root of the kiosk's own errors. `hint` tells the reader what to do next."""

    def __init__(self, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        if not self.hint:
            return self.message
        # TRANSLATORS: what went wrong, then what to do (Chinese ends a sentence with 。)
        return _("{message}. {hint}").format(message=self.message, hint=self.hint)


class ErrorKind(enum.StrEnum):
    UNREACHABLE = "unreachable"
    TLS = "tls"
    AUTH = "auth"
    PERMISSION = "permission"
    TIMEOUT = "timeout"
    MALFORMED = "malformed"
    NOT_SYNCED = "not_synced"
    REJECTED = "rejected"
    INVOICE_MISMATCH = "invoice_mismatch"


# What the cashier should do, per kind. Backends add the node-specific detail.
HINTS: dict[ErrorKind, str] = {
    ErrorKind.UNREACHABLE: N_(
        "Check that the node is running and the kiosk's network cable or Wi-Fi is connected, then try again"
    ),
    ErrorKind.TLS: N_(
        "The node's certificate does not match the one in the kiosk's config: copy the "
        "node's current certificate to the kiosk and run `python -m kiosk doctor`"
    ),
    ErrorKind.AUTH: N_(
        "The node refused the kiosk's credential: copy a fresh invoice credential to "
        "the kiosk and run `python -m kiosk doctor`"
    ),
    ErrorKind.PERMISSION: N_(
        "The kiosk's credential may not do this: give it invoice permission on the node"
    ),
    ErrorKind.TIMEOUT: N_("The node is slow to answer: wait a moment and try again"),
    ErrorKind.MALFORMED: N_(
        "The node sent an answer the kiosk does not understand: check the node's "
        "version and the backend setting in the config"
    ),
    ErrorKind.NOT_SYNCED: N_("The node is still syncing with the blockchain: wait until it is synced"),
    ErrorKind.REJECTED: N_("The node refused the request: check the amount and try again"),
    ErrorKind.INVOICE_MISMATCH: N_(
        "The node returned an invoice that does not match the sale, so it "
        "was not shown: do not take payment, and ask the node's owner to check it"
    ),
}


class BackendError(KioskError):
    """The Lightning node could not do what was asked."""

    def __init__(self, kind: ErrorKind, message: str, hint: str | None = None) -> None:
        super().__init__(message, _(HINTS[kind]) if hint is None else hint)
        self.kind = kind


class ConfigError(KioskError):
    """The config file is wrong; the message names the file and the key (or `key` does)."""

    def __init__(self, message: str, hint: str = "", key: str = "") -> None:
        super().__init__(message, hint)
        self.key = key  # e.g. "node.macaroon_file": the setting to change, for the setup page


STORAGE_FULL = N_("The kiosk's storage is full")
STORAGE_FULL_HINT = N_(
    "New sales cannot be recorded, so do not charge now. Sales already recorded are safe, and a payment "
    "that arrives is recorded once there is space. Free space on the SD card or the ledger's disk "
    "(call whoever set up the kiosk), then restart it."
)


class StorageError(KioskError):
    """The ledger's file cannot take or give what was asked; nothing half-written is kept."""


class StorageFull(StorageError):
    def __init__(self, path: Path) -> None:
        super().__init__(_(STORAGE_FULL), _(STORAGE_FULL_HINT))
        self.path = path


class StorageUnreadable(StorageError):
    """The ledger file cannot be opened or read: permissions, a failing SD card, not a ledger at all."""

    def __init__(self, path: Path, why: str) -> None:
        super().__init__(
            _("The kiosk cannot read its sales ledger {path}: {why}").format(path=path, why=why),
            _(
                "Check the SD card and the file's owner and permissions, or restore the ledger from a "
                "backup, then restart the kiosk"
            ),
        )
        self.path = path
