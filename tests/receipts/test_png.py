from __future__ import annotations

import dataclasses

import pytest
from PIL import Image, ImageChops

from kiosk.services import receipt_image as rendering
from kiosk.services.receipt_image import FontMissing, blocks_image, logo_image, qr_block_image, receipt_image
from kiosk.services.receipts import DOTS, Line, PaperGeometry, Qr, pair_lines


def contains(page: Image.Image, part: Image.Image) -> bool:
    """Whether `part` appears pixel for pixel, horizontally centred, somewhere down the page."""
    x = (page.width - part.width) // 2
    for y in range(page.height - part.height + 1):
        window = page.crop((x, y, x + part.width, y + part.height))
        if ImageChops.difference(window.convert("L"), part.convert("L")).getbbox() is None:
            return True
    return False


@pytest.mark.parametrize("width", [58, 80])
@pytest.mark.parametrize("name", ["english", "chinese"])
def test_receipt_png_is_paper_wide_black_and_white(request, name, width):
    receipt = request.getfixturevalue(name)
    page = receipt_image(receipt, PaperGeometry.of_width(width))
    assert page.mode == "1" and page.width == DOTS[width]


def test_a_qr_block_is_drawn_whole_on_the_page():
    voucher = "LNURL1DP68GURN8GHJ7MRWW4EXCTNXD9SHG6NPVCHXXMMD9AKXUATJDSKHQCTE8AEK2UMND9HKU0"
    page = blocks_image([Qr(voucher)], PaperGeometry.of_width(58))
    assert contains(page, qr_block_image(voucher, DOTS[58]))


def test_chinese_characters_are_drawn_not_left_blank(chinese):
    with_cjk = receipt_image(chinese, PaperGeometry.of_width(58))
    blank_name = receipt_image(dataclasses.replace(chinese, shop_name=""), PaperGeometry.of_width(58))
    name_strip = (0, 12, 384, 64)  # the double-height shop name
    assert with_cjk.crop(name_strip).convert("L").getextrema() == (0, 255)
    assert blank_name.crop(name_strip).convert("L").getextrema() == (255, 255)


def test_without_a_cjk_font_the_error_says_what_to_install(chinese, monkeypatch):
    rendering.load_fonts.cache_clear()
    real = rendering.find_font
    monkeypatch.setattr(
        rendering, "find_font", lambda known, pattern: None if "zh" in pattern else real(known, pattern)
    )
    try:
        with pytest.raises(FontMissing) as caught:
            receipt_image(chinese, PaperGeometry.of_width(58))
        assert "fonts-wqy-microhei" in caught.value.hint
    finally:
        rendering.load_fonts.cache_clear()


def test_a_configured_cjk_font_that_does_not_exist_is_refused(chinese, tmp_path):
    with pytest.raises(FontMissing, match="does not exist"):
        receipt_image(chinese, PaperGeometry.of_width(58), cjk_font=tmp_path / "missing.ttc")


def test_a_grey_logo_is_dithered_and_scaled_to_the_paper(english, tmp_path):
    logo = tmp_path / "logo.png"
    Image.linear_gradient("L").resize((800, 200)).save(logo)
    img = logo_image(logo, 384)
    assert img.mode == "1" and img.width == 384 and img.height <= 160
    black = img.histogram()[0]
    assert 0.2 < black / (img.width * img.height) < 0.8  # grey became a dot pattern, not one block
    page = receipt_image(dataclasses.replace(english, logo=logo), PaperGeometry.of_width(58))
    assert contains(page, img)


@pytest.mark.skipif(not rendering.CJK_BOLD_COLLECTION.is_file(), reason="fonts-noto-cjk is not installed")
def test_bold_chinese_lines_print_heavier_than_normal_ones(chinese):
    """合计 and the shop name keep their weight in Chinese: Noto Sans CJK SC Bold, not the regular face."""
    paper = PaperGeometry.of_width(58)

    def ink(style: rendering.Style) -> int:
        page = rendering.blocks_image([rendering.Line("合计已付款", style)], paper)
        return page.convert("L").histogram()[0]

    assert ink(rendering.Style.BOLD) > 1.3 * ink(rendering.Style.NORMAL)


def ink_columns(page: Image.Image) -> tuple[int, int]:
    """The leftmost and rightmost inked dot columns of a drawn line."""
    left, _top, right, _bottom = ImageChops.invert(page.convert("L")).getbbox()
    return left, right


def line_image(text: str) -> Image.Image:
    return blocks_image([Line(text)], PaperGeometry.of_width(58))


def test_full_width_punctuation_takes_half_its_two_columns_on_paper():
    """「付款证明（原像）：」 reads as one phrase: each bracket and the colon drawn in one cell, not two."""
    cell = DOTS[58] // 32
    plain = ink_columns(line_image("付款证明原像"))
    punctuated = ink_columns(line_image("付款证明（原像）："))
    assert punctuated[1] - plain[1] <= 3 * cell  # three marks, one cell each (not six)
    # A mark's ink touches its neighbours' cells: no blank cell between 明 and （ or between ） and ：
    gaps = [
        x for x in range(punctuated[0], punctuated[1]) if not any(ink_in(line_image("付款证明（原像）："), x))
    ]
    assert max(run_lengths(gaps), default=0) < cell


def test_a_right_aligned_amount_ends_at_the_paper_edge_after_compressed_punctuation():
    left = "税率9%，计税金额"
    line = pair_lines(left, "¥4.62", 32)[0].text
    assert ink_columns(line_image(line))[1] == ink_columns(line_image(" " * (32 - 5) + "¥4.62"))[1]


def test_a_full_line_of_wrapped_chinese_starts_at_the_left_edge_as_the_others_do():
    full = "付款证明（原像）：" + "一" * 7  # 32 columns, no space: a wrapped line, not an amount
    assert ink_columns(line_image(full))[0] == ink_columns(line_image("付" + "一" * 15))[0]


def ink_in(page: Image.Image, x: int) -> list[bool]:
    grey = page.convert("L")
    return [grey.getpixel((x, y)) < 128 for y in range(grey.height)]


def run_lengths(columns: list[int]) -> list[int]:
    """Lengths of the runs of consecutive numbers in `columns`."""
    runs: list[int] = []
    for i, x in enumerate(columns):
        if i and columns[i - 1] == x - 1:
            runs[-1] += 1
        else:
            runs.append(1)
    return runs
