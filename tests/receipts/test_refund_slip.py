"""The refund slip as printed: the refund, its time with the shop's UTC offset, the voucher's QR."""

from __future__ import annotations

from decimal import Decimal

import pytest
from wcwidth import wcswidth

from kiosk import i18n
from kiosk.config import ShopConfig
from kiosk.domain.refund import Refund, RefundMode, RefundState
from kiosk.domain.tender import Tender
from kiosk.hardware.rendering import PrintFormat, blocks_bytes
from kiosk.services.receipts import COLUMNS, Line, PaperGeometry, Qr
from kiosk.services.refund_slip import refund_slip
from tests.receipts.escpos_text import printed_text

SHOP = ShopConfig(name="Demo Café", timezone="Asia/Shanghai")
VOUCHER = Refund(
    3, 12, "k", Decimal("4.50"), 4_736_000, Tender.LIGHTNING, RefundMode.VOUCHER, RefundState.DONE,
    1_768_478_400_000, voucher="lnurl1dp68gurn8ghj7um9",
)  # fmt: skip


@pytest.mark.parametrize("width", [58, 80])
def test_the_slip_prints_the_refund_its_local_time_with_offset_and_the_voucher_qr(width):
    blocks = refund_slip(VOUCHER, "USD", SHOP, COLUMNS[width])
    data = blocks_bytes(blocks, PrintFormat(PaperGeometry.of_width(width)))
    text = "\n".join(printed_text(data))
    assert "REFUND" in text and "For sale #12" in text and "$4.50" in text
    assert "2026-01-15 20:00 UTC+8" in text  # 12:00 UTC in Shanghai, never "CST"
    assert [b.data for b in blocks if isinstance(b, Qr)] == ["LNURL1DP68GURN8GHJ7UM9"]
    assert all(line == line.rstrip() for line in printed_text(data))  # no trailing spaces


@pytest.mark.parametrize("width", [58, 80])
def test_the_chinese_slip_fits_the_paper(width):
    i18n.set_language("zh_CN")
    try:
        blocks = refund_slip(VOUCHER, "USD", SHOP, COLUMNS[width])
    finally:
        i18n.set_language("en")
    lines = [b.text for b in blocks if isinstance(b, Line)]
    assert "退款单" in "".join(lines) and any(line.endswith("UTC+8") for line in lines)
    assert all(wcswidth(line) <= COLUMNS[width] for line in lines)
