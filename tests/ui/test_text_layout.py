"""Real Kivy labels in Chinese break where Chinese may, at 800x480 and 720x1280 (kiosk/ui/text_layout.py).

Each size runs in its own headless process (a Kivy window's size is fixed once it opens).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from kiosk.services.linebreak import break_points
from tests.i18n.test_linebreak import CLOSING, OPENING, PAID_LATE, PIN, USB, WHOLE

ROOT = Path(__file__).resolve().parents[2]
HELPER = Path(__file__).with_name("label_lines.py")
# A bold run, then a plain one a line long (36 characters at 800x480, 21 at 720x1280) and "。":
# Kivy alone starts the plain run on a new line and the line after it with "。".
LINE = {(800, 480): 36, (720, 1280): 21}
BOLD_RUN = {size: "[b]" + "一" * 10 + "[/b]" + "二" * n + "。" for size, n in LINE.items()}


def label_lines(size: tuple[int, int], *texts: str, kivy_only: bool = False) -> list[dict]:
    env = {**os.environ, "SDL_VIDEODRIVER": "offscreen", "KIVY_NO_CONSOLELOG": "1", "PYTHONPATH": str(ROOT)}
    flags = ["--kivy-only"] if kivy_only else []
    args = [sys.executable, str(HELPER), str(size[0]), str(size[1]), *flags, *texts]
    result = subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


def bad_breaks(lines: list[str]) -> list[str]:
    found = [line for line in lines if line[:1] in CLOSING or line[-1:] in OPENING]
    found += [word for word in WHOLE if word in "".join(lines) and not any(word in line for line in lines)]
    return found


@pytest.mark.ui
@pytest.mark.parametrize("size", [(800, 480), (720, 1280)])
def test_chinese_labels_break_between_characters_and_never_before_closing_punctuation(size):
    texts = (PAID_LATE, PIN, USB, BOLD_RUN[size])
    for text, label in zip(texts, label_lines(size, *texts), strict=True):
        assert label["window"] == list(size)
        assert len(label["lines"]) >= 2 or text in (PIN, USB), label  # these two wrap at both sizes
        assert bad_breaks(label["lines"]) == [], label
        assert all(width <= label["room"] for width in label["widths"]), label
        plain = text.replace("[b]", "").replace("[/b]", "")
        if text is BOLD_RUN[size]:
            assert label["lines"][0].startswith("一" * 10 + "二"), label  # the plain run goes on beside
        assert "".join(label["lines"]).replace(" ", "") == plain.replace(" ", "")


@pytest.mark.ui
def test_kivy_alone_starts_a_line_with_a_full_stop_and_ignores_zero_width_spaces():
    """Why the hook exists: Kivy breaks only at ASCII spaces, even with U+200B at every opportunity."""
    with_zwsp = "".join(
        ("\u200b" if index in break_points(PAID_LATE) else "") + char for index, char in enumerate(PAID_LATE)
    )
    plain, marked, bold = label_lines((720, 1280), PAID_LATE, with_zwsp, BOLD_RUN[720, 1280], kivy_only=True)
    assert bold["lines"] == ["一" * 10, "二" * 21, "。"], bold
    assert "。" in [line[:1] for line in plain["lines"]], plain
    assert "。" in [line[:1] for line in marked["lines"]], marked
