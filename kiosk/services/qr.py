"""QR codes for invoices.

The payload is `LIGHTNING:` + the upper-case BOLT11: every character is then in
the QR alphanumeric set, which packs 5.5 bits a character instead of 8, so the
code has fewer, larger modules and scans faster from a phone.

Every code uses one fixed mask pattern. The qrcode library otherwise builds the
code eight times to score each mask (three quarters of its time: about 22 ms of
CPU for an invoice on a 2-core x86, several times that on a Pi, between the
committed invoice and the QR on screen). Any mask decodes on every reader; the
scoring only avoids rare finder-like blotches, and an invoice's bech32 data is
random enough that the eight scores hardly differ.
"""

from __future__ import annotations

import functools
import io
from typing import TYPE_CHECKING

import qrcode
from qrcode.constants import ERROR_CORRECT_M

if TYPE_CHECKING:
    from PIL import Image

QUIET_ZONE = 4  # modules of white border the QR standard asks for
MASK_PATTERN = 0
_DARK, _LIGHT = b"\x00\x00\x00\xff", b"\xff\xff\xff\xff"


def payment_uri(bolt11: str) -> str:
    return "LIGHTNING:" + bolt11.upper()


def make_qr(text: str) -> qrcode.QRCode:
    qr = qrcode.QRCode(error_correction=ERROR_CORRECT_M, border=QUIET_ZONE, mask_pattern=MASK_PATTERN)
    qr.add_data(text)
    qr.make(fit=True)
    return qr


def qr_matrix(text: str) -> list[list[bool]]:
    """Modules, quiet zone included; True is dark."""
    return make_qr(text).get_matrix()


@functools.lru_cache(maxsize=8)
def qr_texels(text: str) -> tuple[int, bytes]:
    """(n, RGBA bytes): one texel per module, rows bottom-up as GL textures start at the bottom-left.

    Cached: a worker makes it as the invoice arrives, the screen then only uploads it. RGBA keeps
    every row 4-byte aligned whatever n is.
    """
    matrix = qr_matrix(text)
    rows = (b"".join(_DARK if dark else _LIGHT for dark in row) for row in reversed(matrix))
    return len(matrix), b"".join(rows)


def qr_image(text: str, module_px: int) -> Image.Image:
    """A 1-bit image with each module exactly `module_px` pixels: crisp at any size it is shown."""
    from PIL import Image  # the receipt's image mode only: the screen needs no PIL

    matrix = qr_matrix(text)
    n = len(matrix)
    img = Image.new("1", (n, n), 1)
    img.putdata([0 if dark else 1 for row in matrix for dark in row])
    return img.resize((n * module_px, n * module_px), Image.Resampling.NEAREST)


def module_px_for(text: str, available_px: int) -> int:
    """The largest whole number of pixels per module that fits in `available_px`."""
    return max(1, available_px // len(qr_matrix(text)))


def terminal_qr(text: str) -> str:
    """The QR drawn with half-block characters for a terminal."""
    out = io.StringIO()
    make_qr(text).print_ascii(out=out, invert=True)
    return out.getvalue()
