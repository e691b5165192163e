"""The printer port: what the services need of a receipt printer, whatever its connector."""

from __future__ import annotations

import enum
from typing import Protocol

from kiosk.errors import KioskError
from kiosk.services.receipts import Block, Receipt


class PrinterHealth(enum.StrEnum):
    READY = "ready"
    UNKNOWN = "unknown"  # connected, but it does not answer status queries
    PAPER_LOW = "paper_low"
    PAPER_OUT = "paper_out"
    OFFLINE = "offline"  # cover open, or an error the printer reports
    NOT_CONNECTED = "not_connected"
    NOT_CONFIGURED = "not_configured"
    ERROR = "error"  # the receipt could not be made (font, logo)


class PrinterError(KioskError):
    """The receipt could not be printed; the sale itself is safe in the ledger."""

    def __init__(self, message: str, hint: str = "", health: PrinterHealth = PrinterHealth.ERROR) -> None:
        super().__init__(message, hint)
        self.health = health


class ReceiptPrinter(Protocol):
    def print_receipt(self, receipt: Receipt) -> PrinterHealth:
        """Print one receipt; returns the printer's health as it answered, raises PrinterError."""
        ...

    def print_blocks(self, blocks: list[Block], name: str) -> PrinterHealth:
        """Print any laid-out document (a Z-report, the test page); `name` labels it in logs and files."""
        ...

    def kick_drawer(self) -> None: ...
