"""The receipt printers behind the services' printer port: none, a folder (the demo) and ESC/POS.

Each receipt's bytes go to the device in one connection that is opened and closed per
receipt: a printer switched off between two sales costs nothing but a retry.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

from escpos.constants import (
    RT_MASK_LOWPAPER,
    RT_MASK_NOPAPER,
    RT_MASK_ONLINE,
    RT_STATUS_ONLINE,
    RT_STATUS_PAPER,
)
from escpos.escpos import Escpos
from escpos.exceptions import Error as EscposError
from escpos.printer import Network
from usb.core import NoBackendError, USBError

from kiosk.hardware.rendering import PrintFormat, blocks_bytes, receipt_bytes
from kiosk.i18n import _
from kiosk.services.printer_port import PrinterError, PrinterHealth
from kiosk.services.receipt_image import blocks_image
from kiosk.services.receipts import (
    Block,
    Copy,
    Line,
    Receipt,
    receipt_layout,
)

log = logging.getLogger(__name__)

CHUNK = 4096  # bytes per write: cheap USB printers time out on large transfers


class NoPrinter:
    """No printer configured: receipts are only in the ledger."""

    def print_receipt(self, receipt: Receipt) -> PrinterHealth:
        log.info("no printer configured; receipt for sale %s not printed", receipt.sale_id)
        return PrinterHealth.NOT_CONFIGURED

    def print_blocks(self, blocks: list[Block], name: str) -> PrinterHealth:
        raise PrinterError(
            _("No receipt printer is configured"),
            _("Set [printer] kind in the config file, then restart the kiosk"),
            PrinterHealth.NOT_CONFIGURED,
        )

    def kick_drawer(self) -> None:
        log.info("no printer configured; no cash drawer to open")


class FileReceiptPrinter:
    """Writes each receipt as ESC/POS bytes, as text and as a PNG into a folder (the demo's printer)."""

    def __init__(self, folder: Path, fmt: PrintFormat) -> None:
        self.folder = folder
        self.fmt = fmt

    def print_receipt(self, receipt: Receipt) -> PrinterHealth:
        name = f"sale-{receipt.sale_id:06d}" + ("-merchant" if receipt.copy is Copy.MERCHANT else "")
        return self.print_blocks(receipt_layout(receipt, self.fmt.columns), name)

    def print_blocks(self, blocks: list[Block], name: str) -> PrinterHealth:
        fmt = self.fmt
        data = blocks_bytes(blocks, fmt)
        lines = [block.text for block in blocks if isinstance(block, Line)]
        image = blocks_image(blocks, fmt.paper, fmt.cjk_font)
        stem = self.folder / name
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            stem.with_suffix(".escpos").write_bytes(data)
            stem.with_suffix(".txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
            image.save(stem.with_suffix(".png"))
        except OSError as exc:
            raise PrinterError(
                _("Could not write the receipt to {folder}: {error}").format(folder=self.folder, error=exc),
                _("Check the disk has space and the folder is writable"),
                PrinterHealth.NOT_CONNECTED,
            ) from exc
        log.info("%s written to %s", name, stem)
        return PrinterHealth.READY

    def kick_drawer(self) -> None:
        log.info("demo printer: the cash drawer would open now")


Connect = Callable[[], Escpos]


class EscposReceiptPrinter:
    """A real printer: USB, serial, network or a device file."""

    def __init__(
        self, connect: Connect, fmt: PrintFormat, where: str, status_timeout_s: float | None
    ) -> None:
        self._connect = connect
        self.fmt = fmt
        self.where = where
        self._status_timeout_s = status_timeout_s  # None: this connection cannot read answers

    def print_receipt(self, receipt: Receipt) -> PrinterHealth:
        data = receipt_bytes(receipt, self.fmt)
        return self._session(lambda printer: _send(printer, data))

    def print_blocks(self, blocks: list[Block], name: str) -> PrinterHealth:
        data = blocks_bytes(blocks, self.fmt)
        return self._session(lambda printer: _send(printer, data))

    def kick_drawer(self) -> None:
        self._session(lambda printer: printer.cashdraw(2))

    def _session(self, work: Callable[[Escpos], None]) -> PrinterHealth:
        printer = self._open()
        try:
            health = self._health(printer)
            if health is PrinterHealth.PAPER_OUT:
                raise PrinterError(
                    _("The printer is out of paper"),
                    _("Put in a new roll: waiting receipts then print by themselves"),
                    health,
                )
            if health is PrinterHealth.OFFLINE:
                raise PrinterError(
                    _("The printer reports it is offline"),
                    _("Close its cover and check its error light: waiting receipts then print by themselves"),
                    health,
                )
            work(printer)
            return self._confirmed(printer, health)
        except (OSError, EscposError, USBError) as exc:
            raise self._gone(exc) from exc
        finally:
            _close_quietly(printer)

    def _open(self) -> Escpos:
        try:
            printer = self._connect()
            printer.open()
            return printer
        except (OSError, EscposError, USBError) as exc:
            raise self._gone(exc) from exc
        except NoBackendError as exc:
            raise PrinterError(
                _("USB printing needs libusb, which is not installed"),
                _(
                    "Install it (sudo apt install libusb-1.0-0), "
                    'or use printer.kind = "file" with /dev/usb/lp0'
                ),
                PrinterHealth.NOT_CONNECTED,
            ) from exc

    def _gone(self, exc: BaseException) -> PrinterError:
        return PrinterError(
            _("The printer at {where} does not answer ({error})").format(
                where=self.where, error=f"{type(exc).__name__}: {exc}"
            ),
            _(
                "Check it is switched on and its cable is plugged in: "
                "waiting receipts then print by themselves"
            ),
            PrinterHealth.NOT_CONNECTED,
        )

    def _confirmed(self, printer: Escpos, before: PrinterHealth) -> PrinterHealth:
        """A printer that answered before the receipt must answer after it too.

        Status queries are answered in the order bytes arrive, so an answer proves the
        whole receipt reached the printer; without one the receipt is sent again.
        """
        if before is PrinterHealth.UNKNOWN:
            return before
        after = self._health(printer)
        if after is PrinterHealth.UNKNOWN:
            raise ConnectionError("no answer after the receipt was sent")
        return after

    def _health(self, printer: Escpos) -> PrinterHealth:
        """DLE EOT status; no answer (many cheap printers) is UNKNOWN, never assumed fine."""
        if self._status_timeout_s is None:
            return PrinterHealth.UNKNOWN
        network = isinstance(printer, Network)
        if network:
            printer.device.settimeout(self._status_timeout_s)
        try:
            online = printer.query_status(RT_STATUS_ONLINE)
            if network and not online:
                raise ConnectionError("the printer closed the connection")
            paper = printer.query_status(RT_STATUS_PAPER) if online else b""
        except (TimeoutError, NotImplementedError, USBError):
            return PrinterHealth.UNKNOWN
        finally:
            if network and printer.device:
                printer.device.settimeout(printer.timeout)
        return health_from_status(online, paper)


def health_from_status(online: bytes, paper: bytes) -> PrinterHealth:
    """Read the answers to DLE EOT 1 (printer) and DLE EOT 4 (paper roll sensor)."""
    if not online:
        return PrinterHealth.UNKNOWN
    if paper and paper[0] & RT_MASK_NOPAPER == RT_MASK_NOPAPER:
        return PrinterHealth.PAPER_OUT
    if online[0] & RT_MASK_ONLINE:
        return PrinterHealth.OFFLINE
    if paper and paper[0] & RT_MASK_LOWPAPER == RT_MASK_LOWPAPER:
        return PrinterHealth.PAPER_LOW
    return PrinterHealth.READY if paper else PrinterHealth.UNKNOWN


def _send(printer: Escpos, data: bytes) -> None:
    for start in range(0, len(data), CHUNK):
        printer._raw(data[start : start + CHUNK])


def _close_quietly(printer: Escpos) -> None:
    try:
        printer.close()
    except (OSError, EscposError, USBError) as exc:
        log.debug("closing the printer connection: %s", exc)
