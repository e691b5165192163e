from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kiosk.domain.money import SATS, Fiat, Rate, currency, fiat_to_msat
from kiosk.domain.pricing import CannotPrice, quote
from kiosk.domain.tips import parse_presets, tip_for_percent

USD = currency("USD")
JPY = currency("JPY")
RATE = Rate(Decimal("95000"), USD, "test", 0)


@pytest.mark.parametrize(
    ("subtotal", "percent", "unit", "tip"),
    [
        (Decimal("4.55"), Decimal(10), USD, Decimal("0.46")),  # 0.455 rounds half up
        (Decimal("10.00"), Decimal("12.5"), USD, Decimal("1.25")),
        (Decimal("1234"), Decimal(15), JPY, Decimal("185")),  # 185.1 yen, no decimals
        (Decimal("999"), Decimal(10), SATS, Decimal("100")),  # 99.9 sats
        (Decimal("5.00"), Decimal(0), USD, Decimal("0.00")),
    ],
)
def test_percent_tips_round_to_the_currency(subtotal, percent, unit, tip):
    assert tip_for_percent(subtotal, percent, unit) == tip


def test_presets_are_parsed_and_checked():
    assert parse_presets("10, 15 ,20%") == (Decimal(10), Decimal(15), Decimal(20))
    assert parse_presets("") == ()
    for bad in ("ten", "0", "150", "-5", "nan"):
        with pytest.raises(ValueError, match="percentage"):
            parse_presets(bad)


def test_a_fiat_tip_is_recorded_on_its_own_and_adds_up():
    q = quote(Decimal("4.50"), USD, RATE, 1_000_000, tip=Decimal("0.68"))
    assert q.fiat.amount == Decimal("5.18")
    assert q.tip_fiat.amount == Decimal("0.68")
    assert q.amount_msat == fiat_to_msat(Fiat(Decimal("5.18"), USD), RATE)
    assert q.amount_msat - q.tip_msat == fiat_to_msat(Fiat(Decimal("4.50"), USD), RATE)


def test_a_sats_tip():
    q = quote(Decimal(1000), SATS, None, 1_000_000, tip=Decimal(150))
    assert (q.amount_msat, q.tip_msat, q.tip_fiat) == (1_150_000, 150_000, None)


def test_the_limit_applies_to_the_total_with_tip():
    quote(Decimal(900), SATS, None, 1000, tip=Decimal(100))
    with pytest.raises(CannotPrice, match="limit"):
        quote(Decimal(900), SATS, None, 1000, tip=Decimal(101))


def test_negative_tip_is_refused():
    with pytest.raises(CannotPrice, match="negative"):
        quote(Decimal(900), SATS, None, 1000, tip=Decimal(-1))


cents = st.integers(min_value=1, max_value=10**7).map(lambda c: Decimal(c).scaleb(-2))
prices = st.integers(min_value=1_000, max_value=10**9).map(Decimal)
percents = st.sampled_from([Decimal(p) for p in ("5", "10", "12.5", "15", "18", "20", "25")])


@given(subtotal=cents, percent=percents, price=prices)
def test_tip_parts_always_add_up_and_never_overcharge(subtotal, percent, price):
    rate = Rate(price, USD, "test", 0)
    tip = tip_for_percent(subtotal, percent, USD)
    try:
        q = quote(subtotal, USD, rate, 10**12, tip=tip)
    except CannotPrice:
        return  # under one sat: refused, never charged
    base = fiat_to_msat(Fiat(subtotal, USD), rate)
    assert q.tip_msat >= 0
    assert q.amount_msat - q.tip_msat == base
    # the invoice is never worth more than the total shown
    assert Decimal(q.amount_msat) * price / Decimal(10**11) <= q.fiat.amount
