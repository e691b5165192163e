"""The screenshots in docs/tour are what the code shows now, in both languages and orientations.

How: the tour is run again (the real app, headless, on the demo node) and every screen's
description is compared with the one committed beside its PNG: each visible text (words after
masking clock times, dates, hashes and scratch paths), its box in the window, its type size,
and where the QR code is (tools/tour/structure.py). The committed PNG must be the one its
description was written with (its SHA-256 is in the JSON), so a PNG cannot go stale behind a
fresh JSON.

Why not pixels: the same screen renders a few pixels differently under another Mesa or FreeType
(Debian 12 and 13, a CI runner), and the QR and the times differ in every run, so a pixel
comparison needs masks and tolerances that either miss a changed word or fail on a new machine.
The description is exact where staleness shows (a word, a wrap width, a size, a moved button)
and blind to what varies. It costs one tour per language and orientation, about 30 s each on
2 cores, which is also what proves every screen is reached.

When it fails: scripts/regenerate-docs.sh, then open the PNGs and look at them.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from PIL import Image

from tests.ui.test_main import ROOT, TOUR, run_main

pytestmark = pytest.mark.ui
FIX = "run scripts/regenerate-docs.sh, then open the PNGs and look at them"
CASES = [
    ("en", 800, 480, "docs/tour"),
    ("en", 720, 1280, "docs/tour/portrait"),
    ("zh_CN", 800, 480, "docs/tour/zh"),
    ("zh_CN", 720, 1280, "docs/tour/zh/portrait"),
]


def shows(path: Path) -> tuple[str, list[dict]]:
    data = json.loads(path.read_text(encoding="utf-8"))
    return data["png_sha256"], data["shows"]


def _inside(box: list[int], height: int) -> bool:
    """Not cut at the top or bottom; sideways is how the catalog's category tabs scroll."""
    _, y, _, h = box
    return y >= 0 and y + h <= height


def first_difference(committed: list[dict], now: list[dict]) -> str:
    for was, is_ in zip(committed, now, strict=False):
        if was != is_:
            return f"committed {was} / code {is_}"
    return f"committed {len(committed)} texts / code {len(now)}"


@pytest.mark.parametrize(("language", "width", "height", "folder"), CASES)
def test_committed_tour_is_what_the_code_shows(tmp_path, language, width, height, folder):
    config = tmp_path / "kiosk.toml"
    config.write_text(f'[ui]\nlanguage = "{language}"\nwidth = {width}\nheight = {height}\n')
    out = tmp_path / "tour"
    result = run_main("--config", str(config), "--demo", "--tour", str(out), cwd=tmp_path, timeout=240)
    assert result.returncode == 0, result.stderr[-3000:]
    assert not (tmp_path / "var").exists(), "the tour must not write into the shop's var/"
    committed = ROOT / folder
    rendered = sorted(p.stem for p in out.glob("*.png"))
    assert rendered == TOUR
    assert rendered == sorted(p.stem for p in committed.glob("*.png")), f"screens added or gone: {FIX}"
    stale = []
    for name in rendered:
        assert Image.open(out / f"{name}.png").size == (width, height)
        png, description = committed / f"{name}.png", committed / f"{name}.json"
        assert description.is_file(), f"{folder}/{name}.json is missing: {FIX}"
        digest, was = shows(description)
        assert hashlib.sha256(png.read_bytes()).hexdigest() == digest, f"{png} is not its JSON's: {FIX}"
        _, now = shows(out / f"{name}.json")
        cut = [t["text"] for t in now if "box" in t and not _inside(t["box"], height)]
        assert not cut, f"{folder}/{name}: text runs off the screen: {cut}"
        if was != now:
            stale.append(f"{folder}/{name}: {first_difference(was, now)}")
    assert not stale, f"stale screenshots ({FIX}):\n" + "\n".join(stale)
