"""How to reach the configured printer (USB, serial, network or a device file), and the printer it makes."""

from __future__ import annotations

from pathlib import Path

from escpos.printer import File, Network, Serial, Usb

from kiosk.config import PrinterConfig
from kiosk.errors import ConfigError
from kiosk.hardware.printers import Connect, EscposReceiptPrinter, FileReceiptPrinter, NoPrinter
from kiosk.hardware.rendering import PrintFormat
from kiosk.i18n import _
from kiosk.services.printer_port import ReceiptPrinter
from kiosk.services.receipts import PaperGeometry


def connector(config: PrinterConfig) -> tuple[Connect, str, float | None]:
    """How to open the configured printer, where it is (for messages), and its status read timeout."""
    profile = config.profile
    status_s = config.status_timeout_seconds
    match config.kind:
        case "network":
            where = f"{config.host}:{config.port}"
            return (
                lambda: Network(config.host, config.port, timeout=config.timeout_seconds, profile=profile),
                where,
                status_s,
            )
        case "serial":
            return (
                lambda: Serial(
                    config.serial_device, baudrate=config.baudrate, timeout=status_s, profile=profile
                ),
                f"{config.serial_device} ({config.baudrate} baud)",
                status_s,
            )
        case "usb":
            if not (config.usb_vendor_id and config.usb_product_id):
                raise ConfigError(
                    _("printer.usb_vendor_id and printer.usb_product_id are needed for kind 'usb'"),
                    _("Find them with `lsusb` (e.g. 0x0416 and 0x5011) and write them in the config"),
                )
            where = f"USB {config.usb_vendor_id:04x}:{config.usb_product_id:04x}"
            timeout_ms = int(config.timeout_seconds * 1000)
            return (
                lambda: Usb(config.usb_vendor_id, config.usb_product_id, timeout=timeout_ms, profile=profile),
                where,
                status_s,
            )
        case "file":
            # A device file such as /dev/usb/lp0 is write-only here: no status answers (python-escpos 3.1).
            return lambda: File(str(config.path), profile=profile), str(config.path), None
    raise ConfigError(
        _("Printer kind {kind!r} is unknown").format(kind=config.kind),
        _("Use none, file, usb, serial or network"),
    )


def make_printer(config: PrinterConfig, paper: PaperGeometry, demo_folder: Path | None) -> ReceiptPrinter:
    """The configured printer, printing for `paper`; with none configured, the demo writes to a folder."""
    fmt = PrintFormat.of(config, paper)
    if config.kind == "none":
        return NoPrinter() if demo_folder is None else FileReceiptPrinter(demo_folder, fmt=fmt)
    connect, where, status_s = connector(config)
    return EscposReceiptPrinter(connect, fmt, where, status_s)
