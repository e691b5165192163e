"""The example receipts in docs/receipts are what the code prints now.

How: tools/receipts renders every example again (English and Chinese, 58 and 80 mm) into a scratch
folder, and each one's description in receipts.json (every line's text and style, every QR's data,
the image's size) and its .txt must equal the committed ones. The committed PNG must be the one its
description was written with (its SHA-256 is in receipts.json) and as big as it says.

Why not pixels: the same receipt rasterises a little differently under another FreeType or with
another CJK face installed (WenQuanYi or Noto), while the description is exact where a receipt goes
stale (a word, a wrap, a style, a line more or less).
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from PIL import Image

from tools.receipts.render import INDEX, render

ROOT = Path(__file__).resolve().parents[2]
COMMITTED = ROOT / "docs" / "receipts"
FIX = (
    "run scripts/regenerate-receipts.sh (or scripts/regenerate-docs.sh), then open the PNGs and look at them"
)


def test_committed_receipts_are_what_the_code_prints(tmp_path):
    now = render(tmp_path)
    was = json.loads((COMMITTED / INDEX).read_text(encoding="utf-8"))
    assert sorted(was) == sorted(now), f"receipts added or gone: {FIX}"
    assert sorted(p.stem for p in COMMITTED.glob("*.png")) == sorted(now), f"stray or missing PNGs: {FIX}"
    stale = []
    for name, description in now.items():
        png = COMMITTED / f"{name}.png"
        assert hashlib.sha256(png.read_bytes()).hexdigest() == was[name]["png_sha256"], f"{png}: {FIX}"
        assert list(Image.open(png).size) == was[name]["size"], f"{png}: {FIX}"
        text = (COMMITTED / f"{name}.txt").read_text(encoding="utf-8")
        if text != (tmp_path / f"{name}.txt").read_text(encoding="utf-8"):
            stale.append(f"{name}.txt")
        for key in ("blocks", "size"):
            if was[name][key] != description[key]:
                stale.append(f"{name}: {key}")
    assert not stale, f"stale example receipts ({FIX}):\n" + "\n".join(stale)


def test_the_examples_show_what_a_shop_prints(tmp_path):
    """Items (a long name wrapped) and a tip, cash and change, paid late, VAT per rate, a refund voucher."""
    render(tmp_path)

    def text(name: str) -> str:
        return (tmp_path / f"{name}.txt").read_text(encoding="utf-8")

    assert "2× Oat-milk flat white with\nextra vanilla syrup and cinnamon\n" in text("sale-items-tip-58mm-en")
    assert "Tip" in text("sale-items-tip-80mm-en") and "小费" in text("sale-items-tip-58mm-zh")
    assert "Change" in text("cash-change-58mm-en") and "找零" in text("cash-change-80mm-zh")
    assert "PAID LATE" in text("paid-late-58mm-en") and "过期后到账" in text("paid-late-58mm-zh")
    assert "Tax 20% on £5.83" in text("vat-58mm-en") and "价税合计" in text("vat-80mm-zh")
    assert "REFUND" in text("refund-80mm-en") and "退款单" in text("refund-58mm-zh")
