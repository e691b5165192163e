"""Combining quotes: exact numbers for every rule (freshness, median, outliers, agreement)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from kiosk.domain.money import currency
from kiosk.rates.median import FetchedQuote, NoAgreement, Policy, combine
from kiosk.rates.provider import ProviderQuote

USD = currency("USD")
NOW = 1_700_000_000_000
POLICY = Policy(min_sources=2, outlier_percent=Decimal("2"), max_quote_age_ms=180_000)


def q(provider: str, price: str, published_ago_s: float | None = None, code: str = "USD") -> FetchedQuote:
    published = None if published_ago_s is None else NOW - int(published_ago_s * 1000)
    return FetchedQuote(ProviderQuote(provider, code, Decimal(price), published), NOW)


def test_median_of_three_names_its_sources():
    rate, used = combine(
        [q("kraken", "95010"), q("coinbase", "94990"), q("bitstamp", "95000")], USD, POLICY, NOW
    )
    assert rate.btc_price == Decimal("95000")
    assert rate.source == "median of kraken, coinbase, bitstamp"
    assert used == ["kraken", "coinbase", "bitstamp"]
    assert rate.currency == USD


def test_median_of_an_even_count_is_the_exact_midpoint():
    rate, _ = combine([q("a", "95000.01"), q("b", "95000.02")], USD, POLICY, NOW)
    assert rate.btc_price == Decimal("95000.015")


def test_an_outlier_is_left_out():
    quotes = [q("kraken", "95000"), q("coinbase", "95100"), q("bitstamp", "9500"), q("coingecko", "94900")]
    rate, used = combine(quotes, USD, POLICY, NOW)
    assert used == ["kraken", "coinbase", "coingecko"]
    assert rate.btc_price == Decimal("95000")


def test_a_quote_exactly_at_the_outlier_limit_counts():
    _, used = combine([q("a", "98"), q("b", "100"), q("c", "102")], USD, POLICY, NOW)
    assert used == ["a", "b", "c"]  # median 100: both are exactly 2% off
    _, used = combine([q("a", "97.99"), q("b", "100"), q("c", "102")], USD, POLICY, NOW)
    assert used == ["b", "c"]


def test_two_sources_that_disagree_give_no_rate():
    with pytest.raises(NoAgreement, match=r"disagree by more than 2% \(kraken 95000, coinbase 105000\)"):
        combine([q("kraken", "95000"), q("coinbase", "105000")], USD, POLICY, NOW)


def test_one_source_is_not_enough():
    with pytest.raises(NoAgreement, match="1 fresh price"):
        combine([q("kraken", "95000")], USD, POLICY, NOW)
    with pytest.raises(NoAgreement, match="0 fresh price"):
        combine([], USD, POLICY, NOW)


def test_one_source_is_enough_when_configured_so():
    rate, _ = combine([q("kraken", "95000")], USD, Policy(1, Decimal("2"), 180_000), NOW)
    assert rate.source == "kraken"


def test_stale_quotes_are_dropped_and_named():
    quotes = [q("kraken", "95000"), q("mempool", "60000", published_ago_s=3600)]
    with pytest.raises(NoAgreement, match=r"1 fresh price\(s\) \(mempool too old\)"):
        combine(quotes, USD, POLICY, NOW)
    _, used = combine([*quotes, q("bitstamp", "95002", published_ago_s=180)], USD, POLICY, NOW)
    assert used == ["kraken", "bitstamp"]


def test_the_rate_is_as_old_as_its_oldest_quote():
    rate, _ = combine([q("kraken", "95000"), q("bitstamp", "95000", published_ago_s=40)], USD, POLICY, NOW)
    assert rate.fetched_at_ms == NOW - 40_000


def test_a_timestamp_from_the_future_counts_as_the_fetch_time():
    rate, _ = combine([q("kraken", "95000"), q("bitstamp", "95000", published_ago_s=-600)], USD, POLICY, NOW)
    assert rate.fetched_at_ms == NOW


def test_quotes_for_another_currency_never_count():
    with pytest.raises(NoAgreement):
        combine([q("kraken", "95000"), q("coinbase", "88000", code="EUR")], USD, POLICY, NOW)
