"""What the screens show, checked without a window."""

from __future__ import annotations

from decimal import Decimal

from kiosk.domain.entry import AmountEntry
from kiosk.domain.money import SATS, Rate, currency
from kiosk.domain.sale import Invoice, Sale, SaleState
from kiosk.ui import strings, viewmodels

USD = currency("USD")
RATE = Rate(Decimal("95000"), USD, "demo rate", 0)


def typed(unit, keys: str, maximum: str = "1000000") -> AmountEntry:
    entry = AmountEntry(unit, Decimal(maximum))
    for key in keys:
        entry = entry.press(key)
    return entry


def test_empty_keypad_prompts_and_cannot_charge():
    view = viewmodels.keypad_view(typed(USD, ""), RATE, 1_000_000)
    assert view.amount == "$0.00"
    assert view.equivalent == strings.ENTER_AMOUNT
    assert not view.can_charge
    assert view.problem == ""


def test_fiat_amount_shows_sats_equivalent_and_rate_source():
    view = viewmodels.keypad_view(typed(USD, "1250"), RATE, 1_000_000)
    assert view.amount == "$12.50"
    # 12.50 / 95000 BTC = 13,157.89 sats, rounded down.
    assert view.equivalent == "≈ 13,157 sats"
    assert view.rate_note == "1 BTC = $95,000.00 · demo rate"
    assert view.can_charge
    assert view.quote is not None and view.quote.amount_msat == 13_157_000


def test_sats_amount_shows_fiat_equivalent():
    view = viewmodels.keypad_view(typed(SATS, "21000"), RATE, 1_000_000)
    assert view.amount == "21,000 sats"
    assert view.equivalent == "≈ $19.95"
    assert view.quote is not None and view.quote.amount_msat == 21_000_000


def test_fiat_without_rate_says_to_charge_in_sats():
    view = viewmodels.keypad_view(typed(USD, "500"), None, 1_000_000)
    assert not view.can_charge
    assert "charge in sats" in view.problem
    assert view.rate_note == strings.NO_RATE


def test_sats_without_rate_still_charge():
    view = viewmodels.keypad_view(typed(SATS, "500"), None, 1_000_000)
    assert view.can_charge
    assert view.equivalent == ""
    assert view.rate_note == ""


def test_amount_over_the_limit_is_refused_with_the_limit():
    view = viewmodels.keypad_view(typed(USD, "99900"), RATE, 1_000_000)
    assert not view.can_charge
    assert "1,000,000 sats" in view.problem


def sale(**fields) -> Sale:
    base = dict(id=7, created_at_ms=0, amount_msat=13_157_000, memo="", state=SaleState.AWAITING_PAYMENT)
    base.update(fields)
    return Sale(**base)


def test_sale_amounts_fiat_first_then_sats():
    assert viewmodels.sale_amounts(sale(fiat_amount=Decimal("12.50"), currency="USD")) == (
        "$12.50",
        "13,157 sats",
    )
    assert viewmodels.sale_amounts(sale()) == ("13,157 sats", "")


def test_countdown_rounds_up_and_turns_urgent_under_30_s():
    s = sale(deadline_ms=300_000)
    assert viewmodels.countdown(s, 0) == ("05:00", False)
    assert viewmodels.countdown(s, 1) == ("05:00", False)
    assert viewmodels.countdown(s, 1_000) == ("04:59", False)
    assert viewmodels.countdown(s, 270_000) == ("00:30", False)
    assert viewmodels.countdown(s, 270_001) == ("00:30", False)
    assert viewmodels.countdown(s, 271_000) == ("00:29", True)
    assert viewmodels.countdown(s, 400_000) == ("00:00", True)


def test_error_notice_splits_message_and_next_step():
    notice = viewmodels.notice_for(sale(state=SaleState.FAILED, error="Node down\nCheck the cable"))
    assert (notice.title, notice.body) == ("Node down", "Check the cable")
    assert notice.detail == "Sale #7 · 13,157 sats"


def test_error_notice_without_hint_still_gives_a_next_step():
    notice = viewmodels.notice_for(sale(state=SaleState.FAILED, error="Disk full"))
    assert (notice.title, notice.body) == ("Disk full", strings.ERROR_FALLBACK_HINT)


def test_expired_and_cancelled_notices():
    assert viewmodels.notice_for(sale(state=SaleState.EXPIRED)).title == strings.EXPIRED_TITLE
    assert viewmodels.notice_for(sale(state=SaleState.CANCELLED)).title == strings.CANCELLED_TITLE


def test_receipt_note_follows_the_sale():
    assert viewmodels.receipt_note(sale(state=SaleState.PAID)) == strings.RECEIPT_PRINTING
    assert viewmodels.receipt_note(sale(state=SaleState.RECEIPT_PRINTED)) == strings.RECEIPT_PRINTED


def test_paid_amount_shows_what_was_received():
    paid = sale(state=SaleState.PAID, amount_received_msat=13_158_000, invoice=Invoice("lnbc", "h", 0))
    assert viewmodels.sale_amounts(paid) == ("13,158 sats", "")


def test_currency_toggle_swaps_shop_currency_and_sats():
    assert viewmodels.other_unit(USD, USD) is SATS
    assert viewmodels.other_unit(SATS, USD) is USD
