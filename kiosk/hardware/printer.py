"""Receipt printers through python-escpos, behind one small interface.

A receipt is first rendered into a Dummy printer (so a font or logo problem
never leaves half a receipt on paper), then the bytes go to the device in one
connection that is opened and closed per receipt: a printer switched off
between two sales costs nothing but a retry.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from dataclasses import dataclass
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
from escpos.printer import Dummy, File, Network, Serial, Usb
from PIL import Image
from usb.core import NoBackendError, USBError

from kiosk.config import PrinterConfig
from kiosk.errors import ConfigError
from kiosk.i18n import _
from kiosk.services.printer_port import PrinterError, PrinterHealth, ReceiptPrinter
from kiosk.services.receipt_image import blocks_image, logo_image, qr_block_image
from kiosk.services.receipts import (
    COLUMNS,
    DOTS,
    Block,
    Copy,
    Line,
    Logo,
    Qr,
    Receipt,
    Style,
    has_wide_text,
    receipt_layout,
)

log = logging.getLogger(__name__)

CHINESE_MODE_ON = b"\x1c&"  # FS &: multi-byte (GB18030) characters from here
CHINESE_MODE_OFF = b"\x1c."  # FS .
CHUNK = 4096  # bytes per write: cheap USB printers time out on large transfers


@dataclass(frozen=True)
class PrintFormat:
    paper_width_mm: int = 58
    render: str = "text"  # "image": the whole receipt as one picture
    cjk: str = ""  # "gb18030": the printer prints Chinese text itself
    cjk_font: Path | None = None
    native_qr: bool = False  # the printer draws the QR (GS ( k) instead of receiving an image
    profile: str = "default"

    @property
    def columns(self) -> int:
        return _geometry(self.profile, self.paper_width_mm)[0]

    @property
    def dots(self) -> int:
        return _geometry(self.profile, self.paper_width_mm)[1]

    @classmethod
    def of(cls, config: PrinterConfig) -> PrintFormat:
        return cls(
            config.paper_width_mm,
            config.render,
            config.cjk,
            config.cjk_font,
            config.native_qr,
            config.profile,
        )


@functools.cache
def _geometry(profile: str, paper_width_mm: int) -> tuple[int, int]:
    """Columns of font A and printable dots: the profile's where it knows them, else the paper's."""
    data = Dummy(profile=profile).profile.profile_data
    dots = data["media"]["width"]["pixels"]
    if not isinstance(dots, int):
        return COLUMNS[paper_width_mm], DOTS[paper_width_mm]
    return int(data["fonts"]["0"]["columns"]), dots


def receipt_bytes(receipt: Receipt, fmt: PrintFormat) -> bytes:
    """The receipt as ESC/POS bytes for the configured printer profile."""
    return blocks_bytes(receipt_layout(receipt, fmt.columns), fmt)


def blocks_bytes(blocks: list[Block], fmt: PrintFormat) -> bytes:
    dummy = Dummy(profile=fmt.profile)
    media = dummy.profile.profile_data["media"]
    if media["width"]["pixels"] == "Unknown":
        # Profiles such as "default" know no paper width: give this instance ours, so
        # python-escpos checks images against it (and does not warn on stdout).
        width = {"mm": fmt.paper_width_mm, "pixels": fmt.dots}
        dummy.profile.profile_data = {**dummy.profile.profile_data, "media": {**media, "width": width}}
    write_blocks(dummy, blocks, fmt)
    return dummy.output


def write_receipt(printer: Escpos, receipt: Receipt, fmt: PrintFormat) -> None:
    """Send one receipt as ESC/POS commands to any python-escpos printer."""
    write_blocks(printer, receipt_layout(receipt, fmt.columns), fmt)


def write_blocks(printer: Escpos, blocks: list[Block], fmt: PrintFormat) -> None:
    printer.hw("INIT")
    if fmt.render == "image" or (has_wide_text(blocks) and fmt.cjk != "gb18030"):
        printer.image(blocks_image(blocks, fmt.dots, fmt.columns, fmt.cjk_font))
    else:
        style = Style.NORMAL
        for block in blocks:
            if isinstance(block, Line):
                if block.style is not style:
                    _set_style(printer, block.style)
                    style = block.style
                _text_line(printer, block.text, fmt)
            elif isinstance(block, Qr) and fmt.native_qr:
                printer.set(align="center")
                printer.qr(block.data, size=4, native=True)
                printer.set(align="left")
            elif isinstance(block, Qr):
                printer.image(_centred(qr_block_image(block.data, fmt.dots), fmt))
            elif isinstance(block, Logo):
                printer.image(_centred(logo_image(block.path, fmt.dots), fmt))
    printer.cut()


def _set_style(printer: Escpos, style: Style) -> None:
    printer.set(
        bold=style is not Style.NORMAL,
        double_height=style is Style.BIG,
        normal_textsize=style is not Style.BIG,
    )


def _text_line(printer: Escpos, text: str, fmt: PrintFormat) -> None:
    if fmt.cjk == "gb18030" and has_wide_text([Line(text)]):
        printer._raw(CHINESE_MODE_ON + text.encode("gb18030", errors="replace") + b"\n" + CHINESE_MODE_OFF)
    else:
        printer.textln(text)


def _centred(img: Image.Image, fmt: PrintFormat) -> Image.Image:
    """The image on a paper-wide white strip: centring that works on profiles of unknown width."""
    strip = Image.new("1", (fmt.dots, img.height), 1)
    strip.paste(img, ((fmt.dots - img.width) // 2, 0))
    return strip


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

    def __init__(self, folder: Path, paper_width_mm: int = 58, fmt: PrintFormat | None = None) -> None:
        self.folder = folder
        self.fmt = fmt or PrintFormat(paper_width_mm)

    def print_receipt(self, receipt: Receipt) -> PrinterHealth:
        name = f"sale-{receipt.sale_id:06d}" + ("-merchant" if receipt.copy is Copy.MERCHANT else "")
        return self.print_blocks(receipt_layout(receipt, self.fmt.columns), name)

    def print_blocks(self, blocks: list[Block], name: str) -> PrinterHealth:
        fmt = self.fmt
        data = blocks_bytes(blocks, fmt)
        lines = [block.text for block in blocks if isinstance(block, Line)]
        image = blocks_image(blocks, fmt.dots, fmt.columns, fmt.cjk_font)
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
                    "printer.usb_vendor_id and printer.usb_product_id are needed for kind 'usb'",
                    "Find them with `lsusb` (e.g. 0x0416 and 0x5011) and write them in the config",
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
    raise ConfigError(f"Printer kind {config.kind!r} is unknown", "Use none, file, usb, serial or network")


def check_profile(profile: str) -> None:
    """ConfigError unless python-escpos knows the printer profile."""
    try:
        Dummy(profile=profile)
    except KeyError:
        raise ConfigError(
            _("printer.profile = {profile!r} is not a known printer profile").format(profile=profile),
            _('Use "default", or a model name from python-escpos such as "POS-5890" or "TM-T88V"'),
        ) from None


def make_printer(config: PrinterConfig, demo_folder: Path | None) -> ReceiptPrinter:
    """The configured printer; with none configured, the demo writes receipts to a folder."""
    check_profile(config.profile)
    fmt = PrintFormat.of(config)
    if config.kind == "none":
        return NoPrinter() if demo_folder is None else FileReceiptPrinter(demo_folder, fmt=fmt)
    connect, where, status_s = connector(config)
    return EscposReceiptPrinter(connect, fmt, where, status_s)
