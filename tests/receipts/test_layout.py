from __future__ import annotations

import dataclasses
from decimal import Decimal

import pytest
from wcwidth import wcswidth

from kiosk.config import ShopConfig
from kiosk.domain.sale import Charge, Invoice, InvoiceCreated, Sale, SaleItem, Settled, transition
from kiosk.services.receipts import (
    COLUMNS,
    Copy,
    Line,
    Qr,
    Style,
    pair_lines,
    receipt_for,
    receipt_layout,
    receipt_lines,
    utc_offset,
    wrap,
)


def paid_sale(late: bool = False) -> Sale:
    sale = transition(
        Sale(
            7,
            0,
            4_736_000,
            "Flat white",
            currency="USD",
            fiat_amount=Decimal("4.50"),
            rate=Decimal("95000.37"),
            rate_source="kraken",
        ),
        Charge(0),
    )
    sale = transition(sale, InvoiceCreated(Invoice("lnbcrt1x", "5d" * 32, 9_000), 1, 9_000, 99_000))
    # 2026-01-15 12:00:00 UTC
    return transition(sale, Settled("a7" * 32, 4_736_000, 1_768_478_400_000))


@pytest.mark.parametrize("width", [58, 80])
@pytest.mark.parametrize("name", ["english", "chinese", "merchant"])
def test_no_line_is_wider_than_the_paper(request, name, width):
    receipt = request.getfixturevalue(name)
    for line in receipt_lines(receipt, COLUMNS[width]):
        assert wcswidth(line) <= COLUMNS[width], line


def test_receipt_from_a_sale_has_shop_time_zone_rate_and_proof():
    shop = ShopConfig(name="Kaffeehaus", address="Hauptstr. 1", tax_id="DE123", timezone="Europe/Berlin")
    receipt = receipt_for(paid_sale(), shop)
    text = "\n".join(receipt_lines(receipt, 32))
    assert "2026-01-15 13:00 UTC+1" in text  # 12:00 UTC in Berlin
    assert "$4.50" in text and "4,736 sats" in text
    assert "1 BTC = $95,000" in text and "kraken" in text
    assert "Tax ID DE123" in text and "Hauptstr. 1" in text
    assert "a7" * 16 in text and "5d" * 16 in text
    assert "PAID LATE" not in text and "MERCHANT COPY" not in text
    assert "Tip" not in text  # a sale has no tip yet: nothing invented


def test_no_qr_of_the_proof_only_the_hash_and_preimage_in_full():
    """A phone camera reads "HASH:… PREIMAGE:…" as meaningless text: the receipt prints no QR."""
    receipt = receipt_for(paid_sale(), ShopConfig())
    blocks = receipt_layout(receipt, 32)
    assert not [b for b in blocks if isinstance(b, Qr)]
    text = "".join(b.text for b in blocks if isinstance(b, Line))
    assert "5d" * 32 in text and "a7" * 32 in text


def test_an_unpaid_sale_has_no_receipt():
    sale = transition(Sale(1, 0, 1_000, ""), Charge(0))
    with pytest.raises(ValueError, match="not paid"):
        receipt_for(sale, ShopConfig())


def test_paid_late_and_merchant_copy_are_marked_big(english):
    late = dataclasses.replace(english, late=True, copy=Copy.MERCHANT)
    big = [b.text.strip() for b in receipt_layout(late, 32) if isinstance(b, Line) and b.style is Style.BIG]
    assert "*** PAID LATE ***" in big and "MERCHANT COPY" in big


def test_a_tip_gets_its_own_line(english):
    lines = receipt_lines(dataclasses.replace(english, tip="$0.50"), 32)
    assert "Tip" + " " * 24 + "$0.50" in lines


def test_amounts_are_right_aligned_to_the_last_column(english):
    lines = receipt_lines(english, 48)
    total = next(line for line in lines if line.startswith("TOTAL"))
    assert len(total) == 48 and total.endswith("$4.50")


def test_chinese_text_is_centred_and_wrapped_by_display_width(chinese):
    lines = receipt_lines(chinese, 32)
    name = lines[0]
    assert name.strip() == "上海小笼包店" and wcswidth(name) == (32 - 12) // 2 + 12
    assert "小笼包 ×2, 豆浆 ×1" in lines


def test_wrap_breaks_cjk_runs_anywhere_and_keeps_words_whole():
    assert wrap("小笼包" * 6, 10) == ["小笼包小笼", "包小笼包小", "笼包小笼包", "小笼包"]
    assert wrap("almond croissant with butter", 16) == ["almond croissant", "with butter"]
    assert wrap("", 10) == [""]


def test_a_catalog_sale_with_a_tip_lists_items_subtotal_and_tip():
    sale = dataclasses.replace(
        paid_sale(),
        fiat_amount=Decimal("11.73"),
        tip_msat=1_610_000,
        tip_fiat=Decimal("1.53"),
        items=(SaleItem("Latte", 2, Decimal("3.50")), SaleItem("Croissant", 1, Decimal("3.20"))),
    )
    lines = receipt_lines(receipt_for(sale, ShopConfig()), 32)
    body = lines[lines.index(next(x for x in lines if x.startswith("Sale #"))) + 1 :]
    assert [line.split()[0] for line in body[1:9]] == [
        "2×", "1×", "-" * 32, "Subtotal", "Tip", "TOTAL", "Paid", "Rate"
    ]  # fmt: skip
    assert body[1].endswith("$7.00") and body[2].endswith("$3.20")
    assert body[4].endswith("$10.20") and body[5].endswith("$1.53") and body[6].endswith("$11.73")
    assert "Flat white" not in lines  # the memo only repeats the items


LONG = "Oat-milk flat white with extra bourbon vanilla syrup and cinnamon"


@pytest.mark.parametrize("columns", [32, 42, 48])
def test_a_long_item_name_wraps_whole_words_and_its_amount_ends_the_last_line(columns):
    sale = dataclasses.replace(paid_sale(), items=(SaleItem(LONG, 2, Decimal("6.50")),))
    lines = receipt_lines(receipt_for(sale, ShopConfig()), columns)
    first = next(i for i, line in enumerate(lines) if line.startswith("2× Oat-milk"))
    last = next(i for i, line in enumerate(lines) if line.endswith("$13.00"))
    item = lines[first : last + 1]
    assert len(item) > 1 and all(wcswidth(line) <= columns for line in item)
    assert " ".join(" ".join(item).split()[:-1]) == f"2× {LONG}"  # every word, none cut


def test_a_long_chinese_item_name_wraps_between_characters():
    item = SaleItem("燕麦拿铁加额外波本香草糖浆和肉桂粉", 2, Decimal("6.50"))
    sale = dataclasses.replace(paid_sale(), items=(item,))
    lines = receipt_lines(receipt_for(sale, ShopConfig()), 32)
    assert "2× 燕麦拿铁加额外波本香草糖浆和" in lines
    assert next(line for line in lines if line.startswith("肉桂粉")).endswith("$13.00")


def test_an_indented_label_keeps_its_indent():
    assert [line.text for line in pair_lines("  Tips", "$1.00", 16)] == ["  Tips     $1.00"]


def test_a_sats_tip_is_shown_in_sats():
    sale = dataclasses.replace(paid_sale(), currency="SAT", fiat_amount=None, rate=None, tip_msat=236_000)
    lines = receipt_lines(receipt_for(sale, ShopConfig()), 32)
    assert any(x.startswith("Subtotal") and x.endswith("4,500 sats") for x in lines)
    assert any(x.startswith("Tip") and x.endswith("236 sats") for x in lines)


def test_a_notice_is_printed_big_under_the_header(english):
    lines = receipt_lines(dataclasses.replace(english, notice="DUPLICATE? reprint after power cut"), 32)
    header_end = next(i for i, line in enumerate(lines) if line.startswith("Sale #"))
    assert any("DUPLICATE?" in line for line in lines[:header_end])


@pytest.mark.parametrize(
    ("zone", "shown"),
    [
        ("Asia/Shanghai", "UTC+8"),
        ("Asia/Kolkata", "UTC+5:30"),
        ("America/St_Johns", "UTC-3:30"),
        ("UTC", "UTC"),
    ],
)
def test_receipts_name_the_time_zone_by_its_utc_offset_not_an_ambiguous_abbreviation(zone, shown):
    """ "CST" is China's, Cuba's and the US Central time: an offset reads the same in every language."""
    receipt = receipt_for(paid_sale(), ShopConfig(name="Shop", timezone=zone))
    assert utc_offset(receipt.paid_at) == shown
    when = next(line for line in receipt_lines(receipt, 32) if "2026-01-15" in line)
    assert when.endswith(shown) and "CST" not in when, when


def test_the_default_memo_the_shop_name_is_not_printed_twice():
    shop = ShopConfig(name="Kaffeehaus")
    lines = receipt_lines(receipt_for(dataclasses.replace(paid_sale(), memo="Kaffeehaus"), shop), 32)
    assert [line.strip() for line in lines].count("Kaffeehaus") == 1
    custom = receipt_lines(receipt_for(dataclasses.replace(paid_sale(), memo="Table 4"), shop), 32)
    assert "Table 4" in custom
