from __future__ import annotations

import dataclasses
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from kiosk.services.receipt_image import CJK_FONTS, find_font
from kiosk.services.receipts import Copy, Receipt

ENGLISH = Receipt(
    shop_name="Demo Café",
    address="12 Harbour Street\nBrighton BN1 1AA",
    tax_id="GB123456789",
    sale_id=42,
    paid_at=datetime(2026, 3, 14, 15, 9, tzinfo=ZoneInfo("Europe/London")),
    memo="Flat white, almond croissant",
    amount_sats="4,736 sats",
    amount_fiat="$4.50",
    rate="1 BTC = $95,000",
    rate_source="demo rate",
    payment_hash="5d" * 32,
    preimage="a7" * 32,
    late=False,
    footer="Thank you!",
)

CHINESE = dataclasses.replace(
    ENGLISH,
    shop_name="上海小笼包店",
    address="上海市黄浦区南京东路100号",
    tax_id="91310000MA1FL0000X",
    paid_at=datetime(2026, 3, 14, 12, 30, tzinfo=ZoneInfo("Asia/Shanghai")),
    memo="小笼包 ×2, 豆浆 ×1",
    amount_fiat="¥58.00",
    rate="1 BTC = ¥690,000",
    footer="谢谢光临!",
)


@pytest.fixture
def english() -> Receipt:
    return ENGLISH


@pytest.fixture
def chinese() -> Receipt:
    if find_font(CJK_FONTS, ":lang=zh-cn") is None:
        pytest.skip("no CJK font installed: sudo apt install fonts-wqy-microhei")
    return CHINESE


@pytest.fixture
def merchant() -> Receipt:
    return dataclasses.replace(ENGLISH, copy=Copy.MERCHANT)
