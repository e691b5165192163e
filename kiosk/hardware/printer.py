"""Receipt printers through python-escpos, behind one small interface."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Protocol

from escpos.escpos import Escpos
from escpos.printer import Dummy

from kiosk.config import PrinterConfig
from kiosk.errors import KioskError
from kiosk.services.receipts import COLUMNS, Receipt, receipt_lines

log = logging.getLogger(__name__)


class PrinterError(KioskError):
    """The receipt could not be printed; the sale itself is safe in the ledger."""


class ReceiptPrinter(Protocol):
    def print_receipt(self, receipt: Receipt) -> None: ...


def write_receipt(printer: Escpos, receipt: Receipt, paper_width_mm: int) -> None:
    """Send one receipt as ESC/POS commands to any python-escpos printer."""
    lines = receipt_lines(receipt, COLUMNS[paper_width_mm])
    printer.set(align="center", bold=True, double_height=True)
    printer.textln(lines[0].strip())
    printer.set(align="left", bold=False, normal_textsize=True)
    for line in lines[1:]:
        printer.textln(line)
    printer.qr(receipt.payment_hash, size=4, center=False)
    printer.cut()


class NoPrinter:
    """No printer configured: receipts are only in the ledger."""

    def print_receipt(self, receipt: Receipt) -> None:
        log.info("no printer configured; receipt for sale %s not printed", receipt.sale_id)


class FileReceiptPrinter:
    """Writes each receipt as ESC/POS bytes and as text into a folder (the demo's printer)."""

    def __init__(self, folder: Path, paper_width_mm: int = 58) -> None:
        self.folder = folder
        self.paper_width_mm = paper_width_mm

    def print_receipt(self, receipt: Receipt) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        dummy = Dummy()
        write_receipt(dummy, receipt, self.paper_width_mm)
        stem = self.folder / f"sale-{receipt.sale_id:06d}"
        try:
            stem.with_suffix(".escpos").write_bytes(dummy.output)
            lines = receipt_lines(receipt, COLUMNS[self.paper_width_mm])
            stem.with_suffix(".txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
        except OSError as exc:
            raise PrinterError(f"Could not write the receipt to {self.folder}: {exc}") from exc
        log.info("receipt for sale %s written to %s", receipt.sale_id, stem)


def make_printer(config: PrinterConfig, demo_folder: Path | None) -> ReceiptPrinter:
    """The configured printer; with none configured, the demo writes receipts to a folder."""
    if config.kind == "none":
        return NoPrinter() if demo_folder is None else FileReceiptPrinter(demo_folder, config.paper_width_mm)
    raise KioskError(
        f"Printer kind {config.kind!r} is not available in this version",
        'Set printer.kind = "none" in the config',
    )
