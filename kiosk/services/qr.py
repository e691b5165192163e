"""QR codes for invoices.

The payload is `LIGHTNING:` + the upper-case BOLT11: every character is then in
the QR alphanumeric set, which packs 5.5 bits a character instead of 8, so the
code has fewer, larger modules and scans faster from a phone.
"""

from __future__ import annotations

import io

import qrcode
from PIL import Image
from qrcode.constants import ERROR_CORRECT_M

QUIET_ZONE = 4  # modules of white border the QR standard asks for


def payment_uri(bolt11: str) -> str:
    return "LIGHTNING:" + bolt11.upper()


def make_qr(text: str) -> qrcode.QRCode:
    qr = qrcode.QRCode(error_correction=ERROR_CORRECT_M, border=QUIET_ZONE)
    qr.add_data(text)
    qr.make(fit=True)
    return qr


def qr_matrix(text: str) -> list[list[bool]]:
    """Modules, quiet zone included; True is dark."""
    return make_qr(text).get_matrix()


def qr_image(text: str, module_px: int) -> Image.Image:
    """A 1-bit image with each module exactly `module_px` pixels: crisp at any size it is shown."""
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
