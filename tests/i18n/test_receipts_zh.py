"""Receipts in the kiosk's language: every label in Chinese, printed as GB18030 text or an image."""

from __future__ import annotations

import dataclasses

import pytest
from wcwidth import wcswidth

from kiosk import i18n
from kiosk.config import ShopConfig
from kiosk.hardware.rendering import CHINESE_MODE_ON, PrintFormat, receipt_bytes
from kiosk.services.receipt_image import receipt_image
from kiosk.services.receipts import COLUMNS, Copy, PaperGeometry, receipt_for, receipt_lines
from tests.receipts.escpos_text import printed_text
from tests.receipts.test_layout import paid_sale

SHOP = ShopConfig(
    name="上海小笼包店", address="南京东路100号", tax_id="91310000MA1FL0000X", timezone="Asia/Shanghai"
)
LABELS = ["单号：7", "合计", "已付款", "汇率", "汇率来源", "已通过闪电网络付款", "支付哈希："]
ENGLISH_LABELS = ["Sale #", "TOTAL", "Paid", "Rate", "PAID with Lightning", "Payment hash"]


@pytest.fixture
def zh():
    i18n.set_language("zh_CN")
    yield
    i18n.set_language("en")


def text(receipt, width: int = 58) -> str:
    return "\n".join(receipt_lines(receipt, COLUMNS[width]))


def test_every_label_is_chinese_and_amounts_are_in_cong(zh):
    printed = text(receipt_for(paid_sale(), SHOP))
    for label in [*LABELS, "税号：91310000MA1FL0000X", "4,736聪", "$4.50"]:
        assert label in printed
    for english in ENGLISH_LABELS:
        assert english not in printed


def test_late_and_merchant_copies_are_marked_in_chinese(zh):
    late = receipt_for(paid_sale(late=True), SHOP, Copy.MERCHANT)
    printed = text(late)
    assert "商户联" in printed and "MERCHANT" not in printed


@pytest.mark.parametrize("width", [58, 80])
def test_no_chinese_line_is_wider_than_the_paper(zh, width):
    receipt = dataclasses.replace(receipt_for(paid_sale(), SHOP), late=True)
    lines = receipt_lines(receipt, COLUMNS[width])
    assert "*** 过期后到账 ***" in "\n".join(lines)
    assert all(wcswidth(line) <= COLUMNS[width] for line in lines)


def test_a_gb18030_printer_prints_the_chinese_labels_as_text(zh):
    receipt = receipt_for(paid_sale(), SHOP)
    data = receipt_bytes(receipt, PrintFormat(PaperGeometry.of_width(58), cjk="gb18030"))
    assert CHINESE_MODE_ON in data and "合计".encode("gb18030") in data
    assert printed_text(data) == receipt_lines(receipt, 32)


def test_other_printers_get_the_chinese_receipt_as_an_image(zh):
    receipt = receipt_for(paid_sale(), SHOP)
    data = receipt_bytes(receipt, PrintFormat(PaperGeometry.of_width(58)))
    assert printed_text(data) == []  # no text bytes: the printer needs no Chinese font
    assert receipt_image(receipt, PaperGeometry.of_width(58)).height > 500


def test_the_language_at_printing_time_decides(zh):
    receipt = receipt_for(paid_sale(), SHOP)
    i18n.set_language("en")
    assert "TOTAL" in text(receipt) and "合计" not in text(receipt)
