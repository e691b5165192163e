"""The Chinese catalog keeps to the glossary and the typography rules in its header comments."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from kiosk import i18n
from kiosk.domain.cart import memo_for
from kiosk.domain.sale import SaleItem

CATALOG = i18n.catalog_path("zh_CN")
CJK = r"[\u3400-\u9fff]"
FULL_WIDTH_PUNCTUATION = "，。、：；？！（）“”"
# Placeholders that always stand for a number: no space between them and Chinese.
NUMBERS = "count|seconds|n|sale_id|sale|low|high|rows|number|size|byte|max_sats"
NUMBERS += "|asked|printed|waiting|first|last"
# 12, 1,000 or {seconds}; not the 8 of UTF-8
NUMBER = rf"((?<![\w.-])\d[\d,]*(?![\w.-])|\{{({NUMBERS})(:[^}}]*)?\}})"
FORBIDDEN = {
    "发票": "a tax invoice (fapiao): a Lightning invoice is 收款码",
    "收款机": "the kiosk is 收银机",
    "逾期": "an overdue debt: paid late is 过期后到账",
    "延迟付款": "paid late is 过期后到账",
    "日结": "a per-shift report is 交班报表",
    "结班": "closing a shift is 交班",
    "#": "a sale in a sentence is 第12号订单, as a field 单号：12",
}
GLOSSARY = {
    "Paid late": "过期后到账",
    "paid late": "过期后到账",
    "Late payment received": "过期后到账",
    "*** PAID LATE ***": "*** 过期后到账 ***",
    "Shift report": "交班报表",
    "Z-REPORT": "交班报表",
    "Close shift": "交班",
    "Newer": "上一页",
    "Older": "下一页",
    "Expires in {countdown}": "剩余 {countdown}",
    "invoice shown": "已显示收款码",
    ", ": "、",
    "payment hash …{end}": "支付哈希 …{end}",
}


@pytest.fixture(scope="module")
def catalog():
    with CATALOG.open("rb") as po:
        return read_po(po, locale="zh_CN")


@pytest.fixture
def zh():
    i18n.set_language("zh_CN")
    yield
    i18n.set_language("en")


def translations(catalog) -> list[tuple[str, str]]:
    return [(m.id, m.string) for m in catalog if m.id and m.string]


def test_no_translation_uses_a_word_the_glossary_rules_out(catalog):
    found = [
        (word, why, text)
        for _, text in translations(catalog)
        for word, why in FORBIDDEN.items()
        if word in text
    ]
    assert found == []


def test_each_glossary_term_is_the_one_word_used(catalog):
    assert {msgid: catalog[msgid].string for msgid in GLOSSARY} == GLOSSARY
    assert all(word in catalog.header_comment for word in ("Glossary", "收款码", "过期后到账", "交班报表"))


def test_no_space_between_chinese_and_numbers_nor_beside_full_width_punctuation(catalog):
    digit = re.compile(rf"{CJK} +{NUMBER}|{NUMBER} +{CJK}")
    punctuation = re.compile(f" [{FULL_WIDTH_PUNCTUATION}]|[{FULL_WIDTH_PUNCTUATION}] ")
    assert [text for _, text in translations(catalog) if digit.search(text)] == []
    assert [text for _, text in translations(catalog) if punctuation.search(text)] == []


def test_the_issues_examples_read_as_chinese_typesetting_wants(zh):
    assert (
        i18n._("Sale #{sale_id} is not paid, so it has no receipt")
        .format(sale_id=12)
        .startswith("第12号订单")
    )
    assert "（4到8位数字）" in i18n._("Choose an admin PIN (4 to 8 digits)")
    assert "U盘" in i18n._("No USB stick found")
    assert i18n.language_name("zh_CN") == "简体中文"


def test_item_lists_are_joined_with_the_chinese_enumeration_comma(zh):
    items = (SaleItem("拿铁", 2, Decimal(4)), SaleItem("牛角包", 1, Decimal(3)))
    assert memo_for("演示咖啡馆", items, separator=i18n.list_separator()) == "演示咖啡馆: 2× 拿铁、1× 牛角包"
    assert i18n._("median of {sources}").format(
        sources=i18n.list_separator().join(["kraken", "coinbase"])
    ) == ("kraken、coinbase 的中位数")


def test_english_lists_keep_the_comma():
    items = (SaleItem("Latte", 2, Decimal(4)), SaleItem("Croissant", 1, Decimal(3)))
    assert (
        memo_for("Demo Café", items, separator=i18n.list_separator()) == "Demo Café: 2× Latte, 1× Croissant"
    )


def test_every_screen_text_has_its_own_name():
    """A second `NAME = ...` in strings.py silently replaces the first: the node status once said its
    channel count was "it does not know this invoice" (the Recent screen's text)."""
    import ast

    from kiosk.ui import strings

    tree = ast.parse(Path(strings.__file__).read_text(encoding="utf-8"))
    names = [
        t.id
        for node in tree.body
        if isinstance(node, ast.Assign)
        for t in node.targets
        if isinstance(t, ast.Name)
    ]
    texts = [name for name in names if name.isupper()]
    assert sorted({n for n in texts if texts.count(n) > 1}) == []
