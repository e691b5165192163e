"""Receipts drawn as 1-bit images: the screen preview, the demo printer, and CJK printing.

Each character sits in a fixed grid of cells (the paper's dots over its columns:
12 dots for 32 columns on 58 mm paper), two cells for a CJK character, so columns line up exactly
as in the text layout whatever the fonts' own advances are.
"""

from __future__ import annotations

import functools
import shutil
import subprocess
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from kiosk.errors import KioskError
from kiosk.i18n import _
from kiosk.services.qr import module_px_for, qr_image
from kiosk.services.receipts import (
    Block,
    Line,
    Logo,
    PaperGeometry,
    Qr,
    Receipt,
    Style,
    display_width,
    has_wide_text,
    receipt_layout,
)

CELL_H = 26
MARGIN = 12  # blank dots above and below the receipt
MAX_QR_MODULE_PX = 6
MAX_LOGO_HEIGHT = 160

MONO_FONTS = (
    Path("/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf"),
    Path("/usr/share/fonts/truetype/liberation/LiberationMono-Regular.ttf"),
)
MONO_BOLD_FONTS = (
    Path("/usr/share/fonts/truetype/dejavu/DejaVuSansMono-Bold.ttf"),
    Path("/usr/share/fonts/truetype/liberation/LiberationMono-Bold.ttf"),
)
CJK_FONTS = (
    Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"),
    Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"),
    Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"),
    Path("/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf"),
)
CJK_BOLD_COLLECTION = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc")  # fonts-noto-cjk


class FontMissing(KioskError):
    """No font on this system can draw the receipt's text."""


@dataclass(frozen=True)
class Fonts:
    mono: ImageFont.FreeTypeFont
    bold: ImageFont.FreeTypeFont
    cjk: ImageFont.FreeTypeFont | None
    cjk_bold: ImageFont.FreeTypeFont | None = None  # for bold and big lines; else `cjk`


def find_font(known: tuple[Path, ...], pattern: str) -> Path | None:
    """The first known path that exists, else the first font fontconfig lists for `pattern`.

    fc-list, not fc-match: fc-match always offers some font, even one without CJK glyphs.
    """
    for path in known:
        if path.is_file():
            return path
    if shutil.which("fc-list") is None:
        return None
    listed = subprocess.run(
        ["fc-list", "--format=%{file}\n", pattern], capture_output=True, text=True, timeout=10, check=False
    ).stdout.splitlines()
    return next((Path(f) for f in sorted(listed) if Path(f).is_file()), None)


@functools.cache
def load_fonts(cjk_font: Path | None = None) -> Fonts:
    """The monospace fonts, plus a CJK font if one is configured or installed."""
    mono = find_font(MONO_FONTS, ":spacing=mono")
    if mono is None:
        raise FontMissing(
            _("No monospace font found for drawing receipts"),
            _("Install one: sudo apt install fonts-dejavu-core"),
        )
    bold = find_font(MONO_BOLD_FONTS, ":spacing=mono:style=Bold") or mono
    if cjk_font is not None and not cjk_font.is_file():
        raise FontMissing(
            _("The CJK font {path} in printer.cjk_font does not exist").format(path=cjk_font),
            _("Fix the path, or remove printer.cjk_font to use an installed CJK font"),
        )
    cjk = cjk_font or find_font(CJK_FONTS, ":lang=zh-cn")
    return Fonts(
        mono=ImageFont.truetype(str(mono), 20),
        bold=ImageFont.truetype(str(bold), 20),
        cjk=None if cjk is None else ImageFont.truetype(str(cjk), 22),
        cjk_bold=None if cjk_font is not None else _simplified_chinese_face(CJK_BOLD_COLLECTION, 22),
    )


def _simplified_chinese_face(collection: Path, size: int) -> ImageFont.FreeTypeFont | None:
    """Noto Sans CJK SC out of its collection (its first face is Japanese), or None."""
    for index in range(10 if collection.is_file() else 0):
        try:
            face = ImageFont.truetype(str(collection), size, index=index)
        except OSError:
            return None
        if face.getname()[0] == "Noto Sans CJK SC":
            return face
    return None


def receipt_image(receipt: Receipt, paper: PaperGeometry, cjk_font: Path | None = None) -> Image.Image:
    """The whole receipt as a 1-bit image exactly as wide as the paper's printable dots."""
    return blocks_image(receipt_layout(receipt, paper.columns), paper, cjk_font)


def blocks_image(blocks: list[Block], paper: PaperGeometry, cjk_font: Path | None = None) -> Image.Image:
    """Blocks laid out for the paper's columns, drawn as wide as its printable dots."""
    width, columns = paper.dots, paper.columns
    fonts = load_fonts(cjk_font)
    if fonts.cjk is None and has_wide_text(blocks):
        raise FontMissing(
            _("The receipt has Chinese, Japanese or Korean text and no CJK font is installed"),
            _("Install one (sudo apt install fonts-wqy-microhei) or set printer.cjk_font to a font file"),
        )
    parts = [_block_image(block, width, width // columns, fonts) for block in blocks]
    page = Image.new("1", (width, sum(p.height for p in parts) + 2 * MARGIN), 1)
    y = MARGIN
    for part in parts:
        page.paste(part, ((width - part.width) // 2, y))
        y += part.height
    return page


def qr_block_image(data: str, width: int) -> Image.Image:
    """The QR with whole-dot modules, at most three quarters of the paper wide."""
    module = min(MAX_QR_MODULE_PX, module_px_for(data, width * 3 // 4))
    return qr_image(data, module)


def logo_image(path: Path, width: int) -> Image.Image:
    """The shop's logo scaled to fit and dithered to black and white (grey does not print)."""
    try:
        with Image.open(path) as source:
            img = source.convert("RGBA")
    except OSError as exc:
        raise KioskError(
            _("The logo {path} cannot be read: {error}").format(path=path, error=exc),
            _("Fix shop.logo, or remove it from the config"),
        ) from exc
    flat = Image.new("RGBA", img.size, "white")
    flat.alpha_composite(img)
    grey = flat.convert("L")
    grey.thumbnail((width, MAX_LOGO_HEIGHT), Image.Resampling.LANCZOS)
    return grey.convert("1", dither=Image.Dither.FLOYDSTEINBERG)


def _block_image(block: Block, width: int, cell_w: int, fonts: Fonts) -> Image.Image:
    if isinstance(block, Qr):
        return qr_block_image(block.data, width)
    if isinstance(block, Logo):
        return logo_image(block.path, width)
    return _line_image(block, width, cell_w, fonts)


def _line_image(line: Line, width: int, cell_w: int, fonts: Fonts) -> Image.Image:
    img = Image.new("L", (width, CELL_H), 255)
    draw = ImageDraw.Draw(img)
    latin = fonts.mono if line.style is Style.NORMAL else fonts.bold
    wide = fonts.cjk if line.style is Style.NORMAL else fonts.cjk_bold or fonts.cjk
    columns = width // cell_w
    for column, run in _runs(line.text):
        shown = [char for char in run if display_width(char)]  # nothing for a zero-width character
        glyphs = [(char, wide if display_width(char) == 2 and wide is not None else latin) for char in shown]
        slots = [_slot(char, font, cell_w) for char, font in glyphs]
        end = column + sum(display_width(char) for char in run)
        # A run stays where the layout put it: one padded out to the paper's edge (an amount) ends
        # there; any other (a wrapped line of text too) starts on its column.
        x = end * cell_w - sum(slots) if end == columns and column > 0 else column * cell_w
        for (char, font), slot in zip(glyphs, slots, strict=True):
            offset = _offset(char, font, slot, slot < display_width(char) * cell_w)
            draw.text((x + offset, CELL_H - 4), char, font=font, fill=0, anchor="ls")
            x += slot
    if line.style is Style.BIG:
        img = img.resize((width, CELL_H * 2), Image.Resampling.NEAREST)
    return img.point(lambda v: 255 if v >= 128 else 0).convert("1", dither=Image.Dither.NONE)


def _runs(text: str) -> list[tuple[int, str]]:
    """The line's words (runs without spaces), each with the column it starts at."""
    runs: list[tuple[int, str]] = []
    column = 0
    for part in text.split(" "):
        if part:
            runs.append((column, part))
        column += sum(display_width(char) for char in part) + 1
    return runs


# Full-width punctuation is drawn in half its two cells, as CJK typesetting compresses it (CLREQ
# 标点挤压): its glyph is half blank, so "（原像）：" would otherwise read as spaced out. The text
# layout (and a text-mode printer) still counts two columns; each run starts, or ends at the paper's
# edge, on its column, so amounts line up as before.
OPENING = frozenset({"Ps", "Pi"})  # （ 「 “ : the ink against the next character
CLOSING = frozenset({"Pe", "Pf"})  # ） 」 ” : the ink against the one before


def _slot(char: str, font: ImageFont.FreeTypeFont, cell_w: int) -> int:
    cells = display_width(char)
    if cells == 2 and unicodedata.category(char).startswith("P"):
        left, right = _ink(font, char)
        if right - left < cell_w:
            return cell_w
    return cells * cell_w


def _offset(char: str, font: ImageFont.FreeTypeFont, slot: int, compressed: bool) -> float:
    """Where to draw `char` from its slot's left: centred, or a compressed punctuation's ink in its half."""
    if not compressed:
        return (slot - font.getlength(char)) / 2
    left, right = _ink(font, char)
    category = unicodedata.category(char)
    if category in OPENING:
        return slot - 1 - right
    if category in CLOSING:
        return 1 - left
    return (slot - (right - left)) / 2 - left  # ，。：！ and the like: centred in the half


@functools.cache
def _ink(font: ImageFont.FreeTypeFont, char: str) -> tuple[int, int]:
    """The glyph's inked columns (left, right), from where it is drawn."""
    origin = font.getbbox(char, anchor="ls")[0]  # the mask starts at the glyph box's left
    ink = font.getmask(char, anchor="ls").getbbox() or (0, 0, 0, 0)
    return origin + ink[0], origin + ink[2]
