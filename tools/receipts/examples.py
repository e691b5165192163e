"""The example receipts in docs/receipts: sales made by the domain, laid out and drawn by the kiosk's code.

Each example is a sale priced the way the kiosk prices one (Order -> Quote -> draft_sale -> the
sale's events), then `receipt_for` and `receipt_layout`, drawn by `blocks_image`: the raster an
image-mode printer gets (tests/receipts prove the ESC/POS bytes carry exactly that image). Beside
each PNG goes its text (what a text-mode printer prints) and, in receipts.json, its lines, its
blocks, its size and its PNG's SHA-256 (tests/docs/test_receipts_current.py compares them with
what the code makes now).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from kiosk import i18n
from kiosk.config import ShopConfig
from kiosk.domain.cart import memo_for
from kiosk.domain.money import Rate, currency
from kiosk.domain.pricing import NO_TAX, Order, Quote
from kiosk.domain.refund import Refund, RefundMode, RefundState
from kiosk.domain.sale import (
    CashReceived,
    Charge,
    DeadlinePassed,
    Invoice,
    InvoiceCreated,
    Sale,
    SaleItem,
    Settled,
    transition,
)
from kiosk.domain.tax import TaxPolicy
from kiosk.domain.tender import Tender
from kiosk.services.receipts import Block, receipt_for, receipt_layout
from kiosk.services.refund_slip import refund_slip
from kiosk.services.sale_draft import cash_change, draft_sale

PAID_AT_MS = 1_773_500_940_000  # 2026-03-14 15:09 UTC
MAX_SATS = 10_000_000


@dataclass(frozen=True)
class Shop:
    """One language's example shop: its config, its rate and what it sells."""

    config: ShopConfig
    rate: Decimal
    items: tuple[SaleItem, ...]  # the catalog sale's, the first with a long name
    vat_items: tuple[SaleItem, ...]  # lines with two tax rates
    tip: Decimal
    cash_value: Decimal
    cash_handed: Decimal


SHOPS = {
    "en": Shop(
        ShopConfig(
            name="Demo Café",
            address="12 Harbour Street\nBrighton BN1 1AA",
            tax_id="GB123456789",
            currency="GBP",
            timezone="Europe/London",
            footer="Thank you!",
        ),
        Decimal("71250.40"),
        (
            SaleItem("Oat-milk flat white with extra vanilla syrup and cinnamon", 2, Decimal("4.20")),
            SaleItem("Almond croissant", 1, Decimal("3.20")),
        ),
        (
            SaleItem("Latte", 2, Decimal("3.50"), Decimal(20)),
            SaleItem("Sourdough loaf", 1, Decimal("4.80"), Decimal(0)),
        ),
        Decimal("1.50"),
        Decimal("6.30"),
        Decimal("10.00"),
    ),
    "zh_CN": Shop(
        ShopConfig(
            name="上海小笼包店",
            address="上海市黄浦区南京东路100号",
            tax_id="91310000MA1FL0000X",
            currency="CNY",
            timezone="Asia/Shanghai",
            footer="谢谢光临！",
        ),
        Decimal("690000.00"),
        (
            SaleItem("蟹粉小笼包（八只装，附姜丝香醋蘸料）", 2, Decimal("38.00")),
            SaleItem("豆浆", 1, Decimal("6.00")),
        ),
        (
            SaleItem("鲜肉小笼包", 2, Decimal("28.00"), Decimal(9)),
            SaleItem("瓶装矿泉水", 1, Decimal("3.00"), Decimal(13)),
        ),
        Decimal("5.00"),
        Decimal("44.00"),
        Decimal("50.00"),
    ),
}


def catalog_with_tip(shop: Shop, columns: int) -> list[Block]:
    quote = _order(shop, shop.items).priced(_rate(shop), MAX_SATS, shop.tip)
    memo = memo_for(shop.config.name, shop.items, separator=i18n.list_separator())
    return _layout(_lightning(101, quote, memo), shop, columns)


def cash_with_change(shop: Shop, columns: int) -> list[Block]:
    quote = Order(shop.cash_value, currency(shop.config.currency)).cash()
    change = cash_change(quote, shop.cash_handed)
    draft = dataclasses.replace(draft_sale(quote, shop.config.name, PAID_AT_MS, Tender.CASH), id=102)
    return _layout(transition(draft, CashReceived(shop.cash_handed, change, PAID_AT_MS)), shop, columns)


def paid_late(shop: Shop, columns: int) -> list[Block]:
    quote = Order(shop.cash_value, currency(shop.config.currency)).priced(_rate(shop), MAX_SATS)
    return _layout(_lightning(103, quote, shop.config.name, late=True), shop, columns)


def vat(shop: Shop, columns: int) -> list[Block]:
    quote = _order(shop, shop.vat_items, TaxPolicy(included=True)).priced(_rate(shop), MAX_SATS)
    memo = memo_for(shop.config.name, shop.vat_items, separator=i18n.list_separator())
    return _layout(_lightning(104, quote, memo), shop, columns)


def refund(shop: Shop, columns: int) -> list[Block]:
    """The slip of a refund paid back as a Lightning voucher (its QR is an LNURL a wallet claims)."""
    voucher = "lnurl1dp68gurn8ghj7mrww4exctnxd9shg6npvchxxmmd9akxuatjdskhqcte8aek2umnd9hku0f4xyeqw3jk"
    done = Refund(
        1, 101, "example", shop.cash_value, 0, Tender.LIGHTNING, RefundMode.VOUCHER,
        RefundState.DONE, PAID_AT_MS + 600_000, voucher=voucher,
    )  # fmt: skip
    return refund_slip(done, shop.config.currency, shop.config, columns)


def _rate(shop: Shop) -> Rate:
    return Rate(shop.rate, currency(shop.config.currency), "kraken", PAID_AT_MS)


def _order(shop: Shop, items: tuple[SaleItem, ...], tax: TaxPolicy = NO_TAX) -> Order:
    return Order(sum((i.total for i in items), Decimal(0)), currency(shop.config.currency), items, tax)


def _lightning(sale_id: int, quote: Quote, memo: str, late: bool = False) -> Sale:
    """A sale charged a minute before PAID_AT_MS and paid then: in time, or after its invoice expired."""
    sale = dataclasses.replace(draft_sale(quote, memo, PAID_AT_MS - 60_000), id=sale_id)
    sale = transition(sale, Charge(PAID_AT_MS - 60_000))
    invoice = Invoice(f"lnbc{sale_id}", f"{sale_id:02x}5d" * 16, PAID_AT_MS - 1_000)
    sale = transition(
        sale, InvoiceCreated(invoice, PAID_AT_MS - 59_000, PAID_AT_MS - 1_000, PAID_AT_MS + 3_600_000)
    )
    if late:
        sale = transition(sale, DeadlinePassed(PAID_AT_MS - 1_000))
    return transition(sale, Settled(f"{sale_id:02x}a7" * 16, quote.amount_msat, PAID_AT_MS))


def _layout(sale: Sale, shop: Shop, columns: int) -> list[Block]:
    return receipt_layout(receipt_for(sale, shop.config), columns)


Example = Callable[[Shop, int], list[Block]]
EXAMPLES: dict[str, Example] = {
    "sale-items-tip": catalog_with_tip,
    "cash-change": cash_with_change,
    "paid-late": paid_late,
    "vat": vat,
    "refund": refund,
}
