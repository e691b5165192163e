"""Properties of turning an entered amount into sats, checked with exact fractions.

For any currency, rate and keypad entry: the invoice is never negative, never above
the kiosk's limit, at most one sat under the exact value, and never worth more
than the fiat amount on screen; the keypad never makes more decimals than the
currency has.
"""

from __future__ import annotations

import math
from decimal import Decimal
from fractions import Fraction

from hypothesis import assume, example, given
from hypothesis import strategies as st

from kiosk.domain.entry import AmountEntry
from kiosk.domain.money import (
    CURRENCIES,
    MSAT_PER_BTC,
    MSAT_PER_SAT,
    SAT_PER_BTC,
    Fiat,
    Rate,
    fiat_to_msat,
    msat_to_fiat,
)
from kiosk.domain.pricing import CannotPrice, quote

FIAT = [c for c in CURRENCIES.values() if not c.is_sats]

currencies = st.sampled_from(FIAT)
# Prices from a fraction of a unit to 10^13, with up to 30 significant digits (more than Decimal's 28).
prices = st.builds(
    lambda digits, scale: Decimal(f"{digits}e-{scale}"),  # exact: scaleb() would round to 28 digits
    st.integers(1, 10**30),
    st.integers(0, 24),
).filter(lambda p: Decimal("0.0001") <= p <= Decimal(10) ** 13)
limits = st.integers(1, 10**10)  # max_sats
keys = st.lists(st.sampled_from([*"0123456789", "00", "back", "clear"]), max_size=30)


def exact_value(msat: int, rate: Rate) -> Fraction:
    """What an msat amount is worth in fiat, with no rounding at all."""
    return Fraction(msat) * Fraction(rate.btc_price) / MSAT_PER_BTC


@given(currencies, st.integers(0, 10**12), prices)
@example(CURRENCIES["USD"], 100, Decimal("100000.000000000000000000000001"))  # $1: 1e8/p rounds up to 1000
def test_conversion_is_whole_sats_at_most_one_under_and_never_over_the_amount_shown(cur, units, price):
    fiat = Fiat(Decimal(units).scaleb(-cur.decimals), cur)
    rate = Rate(price, cur, "test", 0)
    msat = fiat_to_msat(fiat, rate)
    exact_sats = Fraction(fiat.amount) * SAT_PER_BTC / Fraction(price)
    assert msat >= 0 and msat % MSAT_PER_SAT == 0
    assert 0 <= exact_sats - msat // MSAT_PER_SAT < 1
    assert exact_value(msat, rate) <= Fraction(fiat.amount)
    assert msat_to_fiat(msat, rate).amount <= fiat.amount


@given(currencies, st.integers(1, 10**9), st.integers(2, 10**12), st.integers(20, 30))
def test_a_price_a_hair_above_a_whole_sat_count_rounds_down(cur, units, sats, digits):
    """At the price that makes the amount worth exactly `sats`, nudged up in its `digits`-th digit,
    the exact value is just under `sats`: the invoice must be `sats - 1`, never `sats`."""
    amount = Decimal(units).scaleb(-cur.decimals)
    exact_price = Fraction(amount) * SAT_PER_BTC / sats
    magnitude = Decimal(exact_price.numerator).adjusted() - Decimal(exact_price.denominator).adjusted()
    scale = digits - magnitude
    price = Decimal(f"{math.floor(exact_price * 10**scale) + 1}e-{scale}")
    assume(Decimal("0.0001") <= price <= Decimal(10) ** 13)
    rate = Rate(price, cur, "test", 0)
    msat = fiat_to_msat(Fiat(amount, cur), rate)
    assert msat == (sats - 1) * MSAT_PER_SAT
    assert exact_value(msat, rate) <= Fraction(amount)


@given(currencies, prices, limits, keys)
def test_a_keypad_entry_is_priced_within_the_limit_or_refused(cur, price, max_sats, presses):
    entry = AmountEntry(cur, Decimal(10) ** 9)
    for key in presses:
        entry = entry.press(key)
    rate = Rate(price, cur, "test", 0)
    try:
        q = quote(entry.value, cur, rate, max_sats)
    except CannotPrice:
        exact_msat = Fraction(entry.value) * MSAT_PER_BTC / Fraction(price)
        assert entry.value == 0 or exact_msat < MSAT_PER_SAT or exact_msat > max_sats * MSAT_PER_SAT
        return
    assert 0 < q.amount_msat <= max_sats * MSAT_PER_SAT
    assert q.fiat == Fiat(entry.value, cur) and q.rate == rate
    assert exact_value(q.amount_msat, rate) <= Fraction(entry.value)


@given(currencies, st.integers(0, 10**9), keys)
def test_the_keypad_never_makes_more_decimals_than_the_currency_has(cur, maximum_units, presses):
    maximum = Decimal(maximum_units).scaleb(-cur.decimals)
    entry = AmountEntry(cur, maximum)
    for key in presses:
        entry = entry.press(key)
        assert entry.value == entry.value.quantize(cur.quantum)
        assert -entry.value.as_tuple().exponent <= cur.decimals
        assert Decimal(0) <= entry.value <= maximum
        Fiat(entry.value, cur)  # constructs: the amount is valid for the currency


@given(prices, st.integers(1, 10**12))
def test_a_rate_for_another_currency_is_never_used(price, units):
    usd, eur = CURRENCIES["USD"], CURRENCIES["EUR"]
    try:
        fiat_to_msat(Fiat(Decimal(units).scaleb(-2), usd), Rate(price, eur, "test", 0))
    except ValueError as exc:
        assert "rate is for EUR" in str(exc)
    else:
        raise AssertionError("a EUR rate priced a USD amount")
