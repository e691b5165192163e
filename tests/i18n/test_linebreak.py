"""Chinese line breaking (kiosk/services/linebreak.py) on the texts issue #17 found broken."""

from __future__ import annotations

import pytest
from wcwidth import wcswidth

from kiosk.services.linebreak import break_points, has_wide, wrap
from kiosk.services.receipts import wrap as receipt_wrap

CLOSING = "，。、：；！？）」』》】…%"
OPENING = "（「『《【“"
# The issue's examples, as the catalog now writes them (no spaces between Chinese and digits).
PAID_LATE = "第12号订单在收款码过期或取消后才付款。款项已到账：请把商品交给顾客，或与顾客协商处理。"
PIN = "设置管理PIN码（4到8位数字）"
USB = "请插入U盘（FAT 或 exFAT 格式），等几秒后再试。"
WHOLE = ("第12号", "4到8位", "U盘", "PIN码", "exFAT")


def columns(text: str) -> float:
    return wcswidth(text)


def assert_typeset(lines: list[str], text: str, width: float) -> None:
    assert "".join(lines).replace(" ", "") == text.replace(" ", "")
    for line in lines:
        assert columns(line) <= width, (line, width)
        assert line[:1] not in CLOSING, f"{line!r} starts with closing punctuation"
        assert line[-1:] not in OPENING, f"{line!r} ends with opening punctuation"
    for word in WHOLE:
        if word in text:
            assert any(word in line for line in lines), f"{word!r} split across {lines}"


@pytest.mark.parametrize("text", [PAID_LATE, PIN, USB])
@pytest.mark.parametrize("width", range(8, 41))
def test_the_issues_texts_break_only_where_chinese_may(text, width):
    assert_typeset(wrap(text, width, columns), text, width)


def test_break_points_keep_numbers_with_their_words_and_punctuation_off_line_starts():
    def pieces(text: str) -> list[str]:
        points = break_points(text)
        return [text[a:b] for a, b in zip((0, *points), (*points, len(text)), strict=True)]

    assert pieces("第12号已付款。") == ["第12号", "已付", "款。"]
    assert pieces("（4到8位数字）") == ["（4到8位", "数", "字）"]
    assert pieces("请插入U盘") == ["请", "插", "入U盘"]
    assert pieces("请点“确定”继续") == ["请", "点", "“确", "定”", "继", "续"]
    assert pieces("剩余 04:59") == ["剩", "余 ", "04:59"]
    assert pieces("上限（约$950.00）") == ["上", "限", "（约$950.00）"]  # was "（约 / $950.00）"


ERROR = "请确认节点正在运行、收银机的网线或 Wi-Fi 已连接，然后重试"  # zh/portrait/10-error


def test_an_adverb_stays_with_its_verb_and_a_particle_with_its_word():
    """「…Wi-Fi 已 ⏎ 连接」 was the portrait error screen: 已 never ends a line, 的 never starts one."""
    for width in range(8, 60):
        lines = wrap(ERROR, width, columns)
        assert_typeset(lines, ERROR, width)
        assert not any(line.endswith("已") or line.startswith("的") for line in lines), (width, lines)
    assert wrap(ERROR, 43, columns) == ["请确认节点正在运行、收银机的网线或 Wi-Fi", "已连接，然后重试"]
    assert wrap("第一第二第三", 4, columns) == ["第一", "第二", "第三"]
    assert wrap("收银机的网线", 6, columns) == ["收银", "机的网", "线"]


def test_a_lone_full_stop_never_starts_a_line():
    text = "一二三四五六。"
    assert wrap(text, 12, columns) == ["一二三四五", "六。"]  # Kivy's own wrap gave "一二三四五六" / "。"


def test_english_breaks_at_spaces_and_an_unbreakable_run_is_cut_where_it_must():
    assert wrap("almond croissant with butter", 16, columns) == ["almond croissant", "with butter"]
    assert wrap("a" * 10, 4, columns) == ["aaaa", "aaaa", "aa"]
    assert wrap("", 10, columns) == [""]
    assert wrap("一\n二", 10, columns) == ["一", "二"]


def test_a_run_that_continues_a_line_starts_on_a_new_one_when_its_first_piece_does_not_fit():
    assert wrap("已付款。", 8, columns, used=7) == ["", "已付款。"]
    assert wrap("已付款。", 8, columns, used=4) == ["已付", "款。"]


def test_receipts_wrap_chinese_by_display_columns_with_the_same_rules():
    lines = receipt_wrap(PAID_LATE, 32)
    assert_typeset(lines, PAID_LATE, 32)
    assert receipt_wrap("小笼包" * 6, 10) == ["小笼包小笼", "包小笼包小", "笼包小笼包", "小笼包"]
    assert receipt_wrap("almond  croissant\nwith butter", 16) == ["almond croissant", "with butter"]


def test_only_text_with_wide_characters_needs_the_rules():
    assert has_wide("收款") and has_wide("U盘")
    assert not has_wide("Charge 1,000 sats") and not has_wide("")
