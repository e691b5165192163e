"""Set-up saves Noto Sans CJK SC (regular and bold) out of Debian's collections (kiosk/ui/fontfaces.py)."""

from __future__ import annotations

import pytest
from PIL import Image, ImageChops, ImageDraw, ImageFont

from kiosk.ui import fontfaces

BOLD = fontfaces.COLLECTIONS / "NotoSansCJK-Bold.ttc"
needs_noto = pytest.mark.skipif(not BOLD.is_file(), reason="fonts-noto-cjk is not installed")
SC_INDEX = 2  # the collections' order: JP, KR, SC, TC, HK, then the Mono ones
DIFFERING = "直骨角"  # drawn differently in Japanese and Simplified Chinese


def drawn(font: ImageFont.FreeTypeFont) -> Image.Image:
    image = Image.new("L", (200, 80), 255)
    ImageDraw.Draw(image).text((4, 4), DIFFERING, font=font, fill=0)
    return image


@needs_noto
def test_the_saved_faces_are_the_simplified_chinese_ones_not_the_collections_first(tmp_path):
    written = fontfaces.extract(tmp_path)
    assert sorted(p.name for p in written) == ["NotoSansCJKsc-Bold.otf", "NotoSansCJKsc-Regular.otf"]
    faces = fontfaces.installed_faces(tmp_path)
    bold = ImageFont.truetype(str(faces["Bold"]), 48)
    assert bold.getname() == ("Noto Sans CJK SC", "Bold")
    japanese = drawn(ImageFont.truetype(str(BOLD), 48, index=0))
    chinese = drawn(ImageFont.truetype(str(BOLD), 48, index=SC_INDEX))
    assert ImageChops.difference(drawn(bold), chinese).getbbox() is None
    assert ImageChops.difference(drawn(bold), japanese).getbbox() is not None
    assert fontfaces.extract(tmp_path) == []  # set-up runs it every time: nothing to redo


def test_without_the_collections_nothing_is_saved_and_the_screen_falls_back(tmp_path):
    assert fontfaces.extract(tmp_path / "fonts", collections=tmp_path / "none") == []
    assert fontfaces.installed_faces(tmp_path / "fonts") == {}
