"""Receipt blocks as ESC/POS bytes, for a python-escpos printer profile and a paper width.

A receipt is rendered into a Dummy printer first (kiosk.hardware.printers), so a font or
logo problem never leaves half a receipt on paper. Text goes as text (Chinese as GB18030
when the printer has the font), or the whole receipt as one picture.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

from escpos.escpos import Escpos
from escpos.printer import Dummy
from PIL import Image

from kiosk.config import PrinterConfig
from kiosk.errors import ConfigError
from kiosk.i18n import _
from kiosk.services.receipt_image import blocks_image, logo_image, qr_block_image
from kiosk.services.receipts import (
    Block,
    Line,
    Logo,
    PaperGeometry,
    Qr,
    Receipt,
    Style,
    has_wide_text,
    receipt_layout,
)

CHINESE_MODE_ON = b"\x1c&"  # FS &: multi-byte (GB18030) characters from here
CHINESE_MODE_OFF = b"\x1c."  # FS .


@dataclass(frozen=True)
class PrintFormat:
    paper: PaperGeometry  # what the blocks are laid out for: wiring's one geometry
    render: str = "text"  # "image": the whole receipt as one picture
    cjk: str = ""  # "gb18030": the printer prints Chinese text itself
    cjk_font: Path | None = None
    native_qr: bool = False  # the printer draws the QR (GS ( k) instead of receiving an image
    profile: str = "default"

    @property
    def columns(self) -> int:
        return self.paper.columns

    @property
    def dots(self) -> int:
        return self.paper.dots

    @classmethod
    def of(cls, config: PrinterConfig, paper: PaperGeometry) -> PrintFormat:
        return cls(paper, config.render, config.cjk, config.cjk_font, config.native_qr, config.profile)


def paper_for(config: PrinterConfig) -> PaperGeometry:
    """The printer's geometry: its profile's columns of font A and dots where it knows them, else the paper's.

    ConfigError when python-escpos knows no such profile.
    """
    return _paper(config.profile, config.paper_width_mm)


@functools.cache
def _paper(profile: str, width_mm: int) -> PaperGeometry:
    try:
        data = Dummy(profile=profile).profile.profile_data
    except KeyError:
        raise ConfigError(
            _("printer.profile = {profile!r} is not a known printer profile").format(profile=profile),
            _('Use "default", or a model name from python-escpos such as "POS-5890" or "TM-T88V"'),
        ) from None
    dots = data["media"]["width"]["pixels"]
    if not isinstance(dots, int):
        return PaperGeometry.of_width(width_mm)
    return PaperGeometry(width_mm, int(data["fonts"]["0"]["columns"]), dots)


def receipt_bytes(receipt: Receipt, fmt: PrintFormat) -> bytes:
    """The receipt as ESC/POS bytes for the configured printer profile."""
    return blocks_bytes(receipt_layout(receipt, fmt.columns), fmt)


def blocks_bytes(blocks: list[Block], fmt: PrintFormat) -> bytes:
    dummy = Dummy(profile=fmt.profile)
    media = dummy.profile.profile_data["media"]
    if media["width"]["pixels"] == "Unknown":
        # Profiles such as "default" know no paper width: give this instance ours, so
        # python-escpos checks images against it (and does not warn on stdout).
        width = {"mm": fmt.paper.width_mm, "pixels": fmt.dots}
        dummy.profile.profile_data = {**dummy.profile.profile_data, "media": {**media, "width": width}}
    write_blocks(dummy, blocks, fmt)
    return dummy.output


def write_receipt(printer: Escpos, receipt: Receipt, fmt: PrintFormat) -> None:
    """Send one receipt as ESC/POS commands to any python-escpos printer."""
    write_blocks(printer, receipt_layout(receipt, fmt.columns), fmt)


def write_blocks(printer: Escpos, blocks: list[Block], fmt: PrintFormat) -> None:
    printer.hw("INIT")
    if fmt.render == "image" or (has_wide_text(blocks) and fmt.cjk != "gb18030"):
        printer.image(blocks_image(blocks, fmt.paper, fmt.cjk_font))
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
