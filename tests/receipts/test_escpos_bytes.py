"""The exact ESC/POS bytes a receipt becomes, read back as a printer would print them."""

from __future__ import annotations

import dataclasses

import pytest
from escpos.printer import Dummy
from wcwidth import wcswidth

from kiosk.config import PrinterConfig
from kiosk.hardware.rendering import (
    CHINESE_MODE_OFF,
    CHINESE_MODE_ON,
    PrintFormat,
    blocks_bytes,
    paper_for,
    receipt_bytes,
    write_receipt,
)
from kiosk.services.receipt_image import CELL_H, receipt_image
from kiosk.services.receipts import COLUMNS, DOTS, PaperGeometry, Qr, receipt_lines
from tests.receipts.escpos_text import printed_text
from tests.receipts.test_layout import LONG

INIT = b"\x1b@"
CUT = b"\x1bd\x06\x1dV\x00"  # feed 6 lines, full cut
CENTRE, LEFT = b"\x1ba\x01", b"\x1ba\x00"
BOLD_DOUBLE_HEIGHT = b"\x1b!\x10\x1bE\x01"


@pytest.mark.parametrize("width", [58, 80])
def test_text_mode_prints_exactly_the_layout_lines(english, width):
    data = receipt_bytes(english, PrintFormat(PaperGeometry.of_width(width)))
    assert data.startswith(INIT) and data.endswith(CUT)
    assert printed_text(data) == receipt_lines(english, COLUMNS[width])


def test_shop_name_and_total_are_bold_and_double_height(english):
    data = receipt_bytes(english, PrintFormat(PaperGeometry.of_width(58)))
    assert data.startswith(INIT + b"\x1b!\x00\x1b!\x00" + BOLD_DOUBLE_HEIGHT + b"\x1bt\x00")
    total = data.index(b"TOTAL")
    assert data.rfind(BOLD_DOUBLE_HEIGHT, 0, total) > data.rfind(b"\x1bE\x00", 0, total)


VOUCHER = [Qr("LNURL1DP68GURN8GHJ7MRWW4EXCTNXD9SHG6NPVCHXXMMD9AKXUATJDSKHQCTE8AEK2UMND9HKU0")]


def test_native_qr_is_centred_and_carries_its_data():
    data = blocks_bytes(VOUCHER, PrintFormat(PaperGeometry.of_width(58), native_qr=True))
    proof = VOUCHER[0].data.encode()
    store = b"\x1d(k" + (len(proof) + 3).to_bytes(2, "little") + b"1P0" + proof
    qr = (
        CENTRE
        + b"\x1d(k\x04\x001A2\x00"  # model 2
        + b"\x1d(k\x03\x001C\x04"  # module size 4
        + b"\x1d(k\x03\x001E0"  # error correction L
        + store
        + b"\x1d(k\x03\x001Q0"  # print it
        + LEFT
    )
    assert qr in data


@pytest.mark.parametrize("width", [58, 80])
def test_qr_as_image_is_a_paper_wide_raster(width):
    data = blocks_bytes(VOUCHER, PrintFormat(PaperGeometry.of_width(width)))
    start = data.index(b"\x1dv0\x00")
    assert int.from_bytes(data[start + 4 : start + 6], "little") * 8 == DOTS[width]


def test_gb18030_printer_gets_chinese_text_in_chinese_mode(chinese):
    data = receipt_bytes(chinese, PrintFormat(PaperGeometry.of_width(58), cjk="gb18030"))
    assert CHINESE_MODE_ON + b" " * 10 + "上海小笼包店".encode("gb18030") + b"\n" + CHINESE_MODE_OFF in data
    assert printed_text(data) == receipt_lines(chinese, 32)


@pytest.mark.parametrize("width", [58, 80])
def test_chinese_without_gb18030_is_printed_as_one_image(chinese, width):
    data = receipt_bytes(chinese, PrintFormat(PaperGeometry.of_width(width)))
    image = receipt_image(chinese, PaperGeometry.of_width(width))
    assert printed_text(data) == []  # no text bytes at all: the printer needs no Chinese font
    header = data[len(INIT) : len(INIT) + 8]
    assert header[:4] == b"\x1dv0\x00"
    assert int.from_bytes(header[4:6], "little") == image.width // 8
    assert data.endswith(CUT)


def raster_height(data: bytes) -> int:
    start = data.index(b"\x1dv0\x00")
    return int.from_bytes(data[start + 6 : start + 8], "little")


@pytest.mark.parametrize("width", [58, 80])
@pytest.mark.parametrize("name", ["english", "chinese"])
def test_image_mode_prints_a_long_item_name_whole_on_more_lines(request, name, width):
    """The raster once cut a long item name at the paper's edge ("…with extra b")."""
    base = dataclasses.replace(request.getfixturevalue(name), items=(("2× Tea", "$13.00"),))
    long = dataclasses.replace(base, items=((f"2× {LONG}", "$13.00"),))
    fmt = PrintFormat(PaperGeometry.of_width(width), render="image")
    extra = len(receipt_lines(long, COLUMNS[width])) - len(receipt_lines(base, COLUMNS[width]))
    assert extra >= 1
    assert raster_height(receipt_bytes(long, fmt)) - raster_height(receipt_bytes(base, fmt)) == extra * CELL_H
    assert all(wcswidth(line) <= COLUMNS[width] for line in receipt_lines(long, COLUMNS[width]))


def test_image_mode_sends_the_png_rendering(english):
    data = receipt_bytes(english, PrintFormat(PaperGeometry.of_width(80), render="image"))
    dummy = Dummy()
    dummy.image(receipt_image(english, PaperGeometry.of_width(80)))
    assert data == INIT + dummy.output + CUT


def test_a_known_58mm_profile_gives_the_same_text(english):
    paper = paper_for(PrinterConfig(paper_width_mm=58, profile="POS-5890"))
    assert paper == PaperGeometry.of_width(58)  # 384 dots, 32 columns: what the plain 58 mm paper gives
    fmt = PrintFormat(paper, profile="POS-5890")
    dummy = Dummy(profile="POS-5890")
    write_receipt(dummy, english, fmt)
    assert printed_text(dummy.output, "POS-5890") == receipt_lines(english, 32)


def test_a_profile_that_knows_its_paper_sets_columns_and_image_width(english):
    paper = paper_for(PrinterConfig(paper_width_mm=80, profile="TM-T88V"))
    assert paper == PaperGeometry(80, 42, 512)  # 180 dpi: 512 dots, 42 columns of font A
    fmt = PrintFormat(paper, profile="TM-T88V")
    data = receipt_bytes(english, fmt)
    assert printed_text(data, "TM-T88V") == receipt_lines(english, 42)
    data = blocks_bytes(VOUCHER, fmt)
    raster = data.index(b"\x1dv0\x00")
    assert int.from_bytes(data[raster + 4 : raster + 6], "little") == 512 // 8


def test_the_default_profile_prints_images_without_warnings_on_stdout(english, capsys):
    receipt_bytes(english, PrintFormat(PaperGeometry.of_width(58), render="image"))
    assert capsys.readouterr().out == ""
