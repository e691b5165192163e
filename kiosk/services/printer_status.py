"""What the cashier is told about the printer: its last known health, in words, and the receipts waiting."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

from kiosk.i18n import N_, _
from kiosk.services.printer_port import PrinterHealth

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class PrinterStatus:
    state: PrinterHealth
    message: str  # for the cashier: what is wrong and what to do
    waiting_jobs: int


MESSAGES = {
    PrinterHealth.READY: N_("Printer ready"),
    PrinterHealth.UNKNOWN: N_("Printer connected (it does not report its paper or cover)"),
    PrinterHealth.PAPER_LOW: N_("Paper is running low: have a new roll ready"),
    PrinterHealth.NOT_CONFIGURED: N_("No receipt printer configured: receipts are kept in the sales list"),
}

StatusListener = Callable[[PrinterStatus], None]


class StatusBoard:
    """The print queue's status, told to every listener whenever it may have changed."""

    def __init__(self, waiting: Callable[[], int]) -> None:
        self._waiting = waiting
        self._listeners: list[StatusListener] = []
        self._health = PrinterHealth.UNKNOWN
        self._detail: str | None = _("Printer not checked yet: it is checked with the next receipt")

    def subscribe(self, listener: StatusListener) -> None:
        self._listeners.append(listener)

    def status(self) -> PrinterStatus:
        message = (
            self._detail if self._detail else _(MESSAGES.get(self._health, MESSAGES[PrinterHealth.READY]))
        )
        return PrinterStatus(self._health, message, self._waiting())

    def changed(self, health: PrinterHealth, problem: str | None) -> None:
        """The printer reported `health`; `problem` says what is wrong, None when it printed."""
        self._health, self._detail = health, problem
        self.publish()

    def publish(self) -> None:
        status = self.status()
        for listener in self._listeners:
            try:
                listener(status)
            except Exception:
                log.exception("printer status listener failed")
