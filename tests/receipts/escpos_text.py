"""Read the printed text back out of an ESC/POS byte stream, as a printer would show it.

Knows the commands the kiosk sends: each is skipped by its real length (raster
images by their size header), text is decoded in the code page the last
ESC t chose, and GB18030 between FS & and FS .
"""

from __future__ import annotations

import codecs

from escpos.printer import Dummy

FIXED = {  # command prefix -> bytes of parameters after it
    b"\x1b@": 0,
    b"\x1bE": 1,
    b"\x1b!": 1,
    b"\x1ba": 1,
    b"\x1bt": 1,
    b"\x1bd": 1,
    b"\x1bp": 3,
    b"\x1c&": 0,
    b"\x1c.": 0,
    b"\x10\x04": 1,
}


def code_page_codecs(profile: str = "default") -> dict[int, str]:
    pages = Dummy(profile=profile).profile.get_code_pages()
    found = {}
    for name, number in pages.items():
        try:
            found[int(number)] = codecs.lookup(name).name
        except LookupError:
            continue
    return found


def printed_text(data: bytes, profile: str = "default") -> list[str]:
    """The text lines in the stream; images and QR codes become no text."""
    pages = code_page_codecs(profile)
    encoding = "cp437"
    lines: list[str] = [""]
    i = 0
    while i < len(data):
        two = data[i : i + 2]
        if two == b"\x1c&":  # Chinese mode until FS .
            end = data.index(b"\x1c.", i)
            for part in data[i + 2 : end].decode("gb18030").split("\n"):
                lines[-1] += part
                lines.append("")
            lines.pop()
            i = end + 2
        elif two in FIXED:
            if two == b"\x1bt":
                encoding = pages[data[i + 2]]
            i += 2 + FIXED[two]
        elif data[i : i + 3] == b"\x1dv0":  # raster image: m xL xH yL yH, then the dots
            width = int.from_bytes(data[i + 4 : i + 6], "little")
            height = int.from_bytes(data[i + 6 : i + 8], "little")
            i += 8 + width * height
        elif data[i : i + 3] == b"\x1d(k":  # QR: pL pH, then the parameters
            i += 5 + int.from_bytes(data[i + 3 : i + 5], "little")
        elif two == b"\x1dV":  # cut: m (and n for m >= 65)
            i += 4 if data[i + 2] >= 65 else 3
        elif data[i] == 0x0A:
            lines.append("")
            i += 1
        elif data[i] < 0x20:
            raise AssertionError(f"unknown control byte {data[i]:#x} at {i}: {data[i : i + 8]!r}")
        else:
            lines[-1] += bytes([data[i]]).decode(encoding)
            i += 1
    return lines[:-1] if lines[-1] == "" else lines
