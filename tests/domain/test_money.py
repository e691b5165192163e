from decimal import Decimal

import pytest

from kiosk.domain.entry import AmountEntry
from kiosk.domain.money import (
    SATS,
    Fiat,
    Rate,
    UnknownCurrency,
    currency,
    fiat_to_msat,
    format_fiat,
    format_sats,
    msat_to_fiat,
)
from kiosk.domain.pricing import CannotPrice, quote

USD, JPY, EUR, KWD = currency("USD"), currency("jpy"), currency("EUR"), currency("KWD")


def rate(price: str, cur=USD) -> Rate:
    return Rate(Decimal(price), cur, "test", 0)


def test_fiat_refuses_floats_and_extra_decimals():
    with pytest.raises(TypeError):
        Fiat(4.5, USD)
    with pytest.raises(ValueError, match="more decimals"):
        Fiat(Decimal("4.505"), USD)
    with pytest.raises(ValueError):
        Fiat(Decimal("1.5"), JPY)
    assert Fiat(Decimal("1.505"), KWD).amount == Decimal("1.505")


def test_conversion_rounds_down_to_a_whole_sat():
    # $4.50 at $95,000/BTC = 4736.842... sats -> 4736 sats
    assert fiat_to_msat(Fiat(Decimal("4.50"), USD), rate("95000")) == 4_736_000


def test_conversion_never_charges_more_than_shown():
    r = rate("95000")
    shown = Fiat(Decimal("4.50"), USD)
    assert msat_to_fiat(fiat_to_msat(shown, r), r).amount <= shown.amount


def test_conversion_refuses_a_rate_for_another_currency():
    with pytest.raises(ValueError, match="rate is for EUR"):
        fiat_to_msat(Fiat(Decimal("1.00"), USD), rate("90000", EUR))


def test_rate_must_be_a_positive_decimal():
    with pytest.raises(ValueError):
        Rate(Decimal(0), USD, "x", 0)
    with pytest.raises(ValueError):
        Rate(95000.0, USD, "x", 0)


def test_formatting():
    assert format_sats(4_736_000) == "4,736 sats"
    assert format_sats(1_000) == "1 sat"
    assert format_sats(1_500) == "1.5 sats"
    assert format_fiat(Fiat(Decimal("1234.50"), USD)) == "$1,234.50"
    assert format_fiat(Fiat(Decimal("1200"), JPY)) == "¥1,200"
    assert format_fiat(Fiat(Decimal("12.50"), currency("CHF"))) == "CHF 12.50"


def test_unknown_currency_lists_known_ones():
    with pytest.raises(UnknownCurrency, match="USD"):
        currency("XYZ")


@pytest.mark.parametrize(
    ("cur", "keys", "value"),
    [
        (USD, "125", Decimal("1.25")),
        (USD, ["4", "00"], Decimal("4.00")),
        (JPY, "125", Decimal("125")),
        (KWD, "1", Decimal("0.001")),
        (SATS, "2100", Decimal("2100")),
    ],
)
def test_cash_register_entry(cur, keys, value):
    entry = AmountEntry(cur, Decimal("1000000"))
    for k in keys:
        entry = entry.press(k)
    assert entry.value == value


def test_entry_back_clear_leading_zeros_and_limit():
    entry = AmountEntry(USD, Decimal("10.00"))
    for k in "0012":
        entry = entry.press(k)
    assert entry.digits == "12" and entry.value == Decimal("0.12")
    assert entry.press("back").value == Decimal("0.01")
    assert entry.press("clear").is_empty
    for k in "99":  # 12 -> 129 -> 1299 would be $12.99 > $10.00: ignored
        entry = entry.press(k)
    assert entry.value == Decimal("1.29")
    assert entry.press("9").value == Decimal("1.29")
    with pytest.raises(ValueError):
        entry.press(".")


def test_quote_in_fiat_records_the_rate():
    q = quote(Decimal("4.50"), USD, rate("95000"), max_sats=1_000_000)
    assert q.amount_msat == 4_736_000 and q.fiat == Fiat(Decimal("4.50"), USD)
    assert q.rate is not None and q.rate.source == "test"


def test_quote_in_sats_needs_no_rate():
    assert quote(Decimal(2100), SATS, None, max_sats=1_000_000).amount_msat == 2_100_000


@pytest.mark.parametrize(
    ("value", "cur", "r", "message"),
    [
        (Decimal(0), USD, rate("95000"), "above zero"),
        (Decimal("4.50"), USD, None, "No exchange rate for USD"),
        (Decimal("4.50"), USD, rate("90000", EUR), "No exchange rate"),
        (Decimal("0.0001"), KWD, rate("1", KWD), "more decimals"),
        (Decimal("0.001"), KWD, rate("30000000", KWD), "less than one sat"),
        (Decimal(2_000_000), SATS, None, "limit of 1,000,000 sats"),
    ],
)
def test_quote_refusals(value, cur, r, message):
    with pytest.raises((CannotPrice, ValueError), match=message):
        quote(value, cur, r, max_sats=1_000_000)
