"""Write the example receipts: a PNG (the image-mode raster) and a .txt (text mode) per example,
language and paper width, and receipts.json describing every one.

    .venv/bin/python -m tools.receipts.render docs/receipts
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

from kiosk import i18n
from kiosk.services.receipt_image import blocks_image
from kiosk.services.receipts import Block, Line, Logo, PaperGeometry, Qr
from tools.receipts.examples import EXAMPLES, SHOPS

WIDTHS = (58, 80)
SHORT = {"en": "en", "zh_CN": "zh"}
INDEX = "receipts.json"


def describe(block: Block) -> dict[str, str]:
    """What a block is, exactly: a line's text and style, a QR's data, a logo's file name."""
    if isinstance(block, Line):
        return {"text": block.text, "style": block.style.value}
    if isinstance(block, Qr):
        return {"qr": block.data}
    assert isinstance(block, Logo)
    return {"logo": block.path.name}


def render(out: Path) -> dict[str, dict]:
    """Every example into `out`; returns what receipts.json holds (also written there)."""
    out.mkdir(parents=True, exist_ok=True)
    index: dict[str, dict] = {}
    try:
        for language, short in SHORT.items():
            i18n.set_language(language)
            for width in WIDTHS:
                paper = PaperGeometry.of_width(width)
                for example, make in EXAMPLES.items():
                    name = f"{example}-{width}mm-{short}"
                    blocks = make(SHOPS[language], paper.columns)
                    image = blocks_image(blocks, paper)
                    image.save(out / f"{name}.png")
                    lines = [b.text for b in blocks if isinstance(b, Line)]
                    (out / f"{name}.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
                    index[name] = {
                        "png_sha256": hashlib.sha256((out / f"{name}.png").read_bytes()).hexdigest(),
                        "size": list(image.size),
                        "blocks": [describe(b) for b in blocks],
                    }
    finally:
        i18n.set_language(i18n.DEFAULT_LANGUAGE)
    text = json.dumps(index, ensure_ascii=False, indent=1, sort_keys=True) + "\n"
    (out / INDEX).write_text(text, encoding="utf-8")
    return index


if __name__ == "__main__":
    folder = Path(sys.argv[1] if len(sys.argv) > 1 else "docs/receipts")
    made = render(folder)
    print(f"{folder}: {len(made)} receipts (PNG and text), {INDEX}")
