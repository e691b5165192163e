"""Where a line of text may break, and greedy wrapping by any width measure.

The break opportunities are Unicode's line breaking algorithm (UAX #14, from
`uniseg`): Chinese may break between any two characters, but closing
punctuation (，。、：？！）」 …) never starts a line and opening punctuation
(（「“ …) never ends one. One tailoring on top, as Chinese typesetting wants:
a run of Latin letters or digits stays with the Chinese characters it touches
("U盘", "第12号", "4到8位", "PIN码", "约$950"), so a number never parts from its measure
word. And a few function characters keep to the character they belong to: the adverbs and
prefixes that come before a verb or a number (已连接, 未付款, 不能, 再试, 第一, 每张) never end
a line, the particles after a word (收银机的, 好了, 吗, 我们) never start one. Chinese may
break between any two characters, but a ragged UI line ending in "…Wi-Fi 已" reads as a word
torn off its verb. This is no dictionary (a phrase segmenter was tried: BudouX's Chinese model
splits 收银机 and keeps 已 apart; jieba's dictionary costs tens of MiB): a closed set of
characters whose place in a sentence is fixed. Spaces remain break opportunities, and a line
drops the spaces it ends with.

The same rules lay out the screens (kiosk/ui/text_layout.py, measured with the
label's font) and the receipts (measured in display columns).
"""

from __future__ import annotations

import functools
import unicodedata
from collections.abc import Callable

from uniseg.linebreak import LineBreak, line_break, line_break_boundaries

Measure = Callable[[str], float]

# Letters, digits and a number's currency sign or percent that stay with touching Chinese ("约$950.00").
_TOGETHER = (LineBreak.AL, LineBreak.NU, LineBreak.HL, LineBreak.PR, LineBreak.PO)
BOUND_TO_NEXT = frozenset("已未不没别再将第每")  # adverbs and prefixes: with what follows
BOUND_TO_PREVIOUS = frozenset("的了吗呢吧们")  # particles and the plural suffix: with what precedes


def has_wide(text: str) -> bool:
    """Whether `text` holds a wide (CJK) character: only such text needs these rules on screen."""
    return any(unicodedata.east_asian_width(char) in "WF" for char in text)


@functools.lru_cache(maxsize=4096)
def break_points(text: str) -> tuple[int, ...]:
    """The indices (0 < i < len(text)) before which a line may start."""
    if not text:
        return ()
    points = []
    for index in line_break_boundaries(text):
        if 0 < index < len(text) and not _held_together(text[index - 1], text[index]):
            points.append(index)
    return tuple(points)


def wrap(text: str, width: float, measure: Measure, used: float = 0) -> list[str]:
    """`text` in lines no wider than `width` (by `measure`), broken at `break_points` only.

    Explicit newlines stay. `used` is how much of the first line other text
    already takes (a styled run continuing a line): when the first piece does
    not fit beside it, the first line is "". A piece with no break opportunity
    that is still too wide (a long hash, a long word) is cut where it must.
    """
    lines: list[str] = []
    for paragraph in text.split("\n"):
        lines += _wrap_paragraph(paragraph, width, measure, used)
        used = 0
    return lines


def _wrap_paragraph(text: str, width: float, measure: Measure, used: float) -> list[str]:
    if measure(text.rstrip(" ")) <= width - used:
        return [text.rstrip(" ")]  # fits: no need for the (slow, pure-Python) break opportunities
    lines: list[str] = []
    line = ""
    room = width - used
    for piece in _pieces(text):
        candidate = line + piece
        if measure(candidate.rstrip(" ")) <= room or (not line and room == width):
            line = candidate
            continue
        lines.append(line.rstrip(" "))
        line, room = piece, width
    lines.append(line.rstrip(" "))
    return [cut for line in lines for cut in _cut_to_fit(line, width, measure)]


def _pieces(text: str) -> list[str]:
    starts = (0, *break_points(text))
    ends = (*starts[1:], len(text))
    return [text[start:end] for start, end in zip(starts, ends, strict=True)]


def _cut_to_fit(line: str, width: float, measure: Measure) -> list[str]:
    """A line wider than `width` (no break opportunity in it) cut into pieces that fit."""
    cuts: list[str] = []
    while line and measure(line) > width:
        end = 1
        while end < len(line) and measure(line[: end + 1]) <= width:
            end += 1
        cuts.append(line[:end])
        line = line[end:]
    return [*cuts, line] if line or not cuts else cuts


def _held_together(before: str, after: str) -> bool:
    left, right = line_break(before), line_break(after)
    if left is LineBreak.ID and right is LineBreak.ID:
        return before in BOUND_TO_NEXT or after in BOUND_TO_PREVIOUS
    if left is LineBreak.ID:
        return right in _TOGETHER
    return right is LineBreak.ID and left in _TOGETHER
