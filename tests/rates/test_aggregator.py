"""The market rate against loopback providers: fresh, stale, failing, disagreeing, and recovering."""

from __future__ import annotations

import dataclasses
import threading
import time
from decimal import Decimal
from pathlib import Path

import pytest

from kiosk.config import RatesConfig, parse
from kiosk.domain.money import currency
from kiosk.errors import ConfigError
from kiosk.rates.aggregator import MedianRate
from kiosk.rates.registry import make_rate_source
from tests.doubles.rate_servers import Fault, RateServer
from tests.rates.conftest import FakeClock
from tests.support.wait import wait_until

USD = currency("USD")
FOUR = "kraken, coinbase, bitstamp, coingecko"
FIAT_OFF = "fiat charging is off, sats still work"


def config(servers: dict[str, RateServer], **changes: object) -> RatesConfig:
    urls = {f"{kind}_url": server.url for kind, server in servers.items()}
    return dataclasses.replace(RatesConfig(enabled=True, timeout_seconds=0.3, **urls), **changes)


@pytest.fixture
def clock(servers) -> FakeClock:
    """On a whole second, the providers' timestamps all 'now'."""
    clock = FakeClock(int(time.time()) * 1000)
    for server in servers.values():
        server.published_s = clock() // 1000
    return clock


@pytest.fixture
def rates(servers, clock):
    source = make_rate_source(config(servers), USD, clock)
    yield source
    source.close()


def set_prices(servers: dict[str, RateServer], **prices: str) -> None:
    for kind, price in prices.items():
        servers[kind].prices["USD"] = price


def test_a_fresh_rate_is_the_median_and_says_where_it_came_from(servers, rates, clock):
    set_prices(servers, kraken="95010", coinbase="94990", bitstamp="95000.50", coingecko="95001")
    rate = rates.refresh()
    assert rate == rates.current()
    assert rate.btc_price == Decimal("95000.75")
    assert rate.source == "median of kraken, coinbase, bitstamp, coingecko"
    clock.advance(45)
    status = rates.status()
    assert (status.usable, status.message, status.age_seconds) == (True, "Rate 45 s old from 4 sources", 45)


def test_before_the_first_answer_there_is_no_rate(rates):
    assert rates.current() is None
    assert rates.status().message == f"Fetching the exchange rate: {FIAT_OFF}"


def test_an_old_rate_is_never_used(servers, rates, clock):
    rates.refresh()
    clock.advance(300)
    assert rates.current() is not None
    clock.advance(1)
    assert rates.current() is None
    status = rates.status()
    assert not status.usable
    assert status.message == f"No fresh exchange rate (last 5 min ago): {FIAT_OFF}"
    assert status.age_seconds == 301


def test_a_failed_round_keeps_the_last_rate_only_while_it_is_fresh(servers, rates, clock):
    first = rates.refresh()
    for server in servers.values():
        server.fault = Fault.HTTP_500
    clock.advance(100)
    assert rates.refresh() is None
    assert rates.current() == first
    status = rates.status()
    assert status.message == "Rate 100 s old from 4 sources"
    assert "kraken: HTTP 500" in status.detail and "0 fresh price(s), 2 needed" in status.detail
    clock.advance(201)
    assert rates.current() is None


def test_all_providers_down_then_back(servers, rates, clock):
    rates.refresh()
    for server in servers.values():
        server.stop()
    clock.advance(12 * 60)
    assert rates.refresh() is None
    assert rates.current() is None
    status = rates.status()
    assert status.message == f"No fresh exchange rate (last 12 min ago): {FIAT_OFF}"
    for kind in ("kraken", "coinbase", "bitstamp", "coingecko"):
        assert f"{kind}: cannot connect" in status.detail
    for server in servers.values():
        server.published_s = clock() // 1000
        server.start()
    assert rates.refresh() is not None
    assert rates.status().message == "Rate 0 s old from 4 sources"


def test_never_any_rate_when_all_are_down_from_the_start(servers, rates):
    for server in servers.values():
        server.stop()
    assert rates.refresh() is None
    assert rates.current() is None
    assert rates.status().message == f"No exchange rate yet: {FIAT_OFF}"


def test_mixed_failures_leave_too_few_sources(servers, rates):
    servers["kraken"].fault = Fault.HTTP_500
    servers["coinbase"].fault = Fault.SLOW
    servers["bitstamp"].fault = Fault.GARBAGE
    started = time.monotonic()
    assert rates.refresh() is None
    assert time.monotonic() - started < 1.5  # the slow one is given up on
    detail = rates.status().detail
    assert "kraken: HTTP 500" in detail
    assert "coinbase: no answer within 0.3 s" in detail
    assert "bitstamp: answer is not JSON" in detail
    assert "1 fresh price(s), 2 needed" in detail


def test_an_outlier_is_left_out_of_the_rate(servers, rates):
    set_prices(servers, kraken="95000", coinbase="95020", bitstamp="47500", coingecko="94990")
    rate = rates.refresh()
    assert rate.btc_price == Decimal("95000")
    assert rate.source == "median of kraken, coinbase, coingecko"
    assert rates.status().message.endswith("from 3 sources")


def test_a_stale_quote_does_not_count_and_ages_nothing(servers, rates, clock):
    servers["bitstamp"].published_s = clock() // 1000 - 3600
    servers["bitstamp"].prices["USD"] = "60000"
    rate = rates.refresh()
    assert rate.source == "median of kraken, coinbase, coingecko"
    assert "bitstamp too old" not in rates.status().detail  # enough fresh ones: not a problem


def test_two_sources_that_disagree_give_no_rate(servers, clock):
    source = make_rate_source(config(servers, providers="kraken, coinbase"), USD, clock)
    try:
        set_prices(servers, kraken="95000", coinbase="99000")
        assert source.refresh() is None
        assert "prices disagree by more than 2%" in source.status().detail
    finally:
        source.close()


def test_a_provider_missing_the_currency_is_passed_over(servers, clock):
    eur = currency("EUR")
    for kind in ("kraken", "coinbase", "bitstamp"):
        servers[kind].prices = {"EUR": "88000"}
    servers["coingecko"].prices = {"USD": "95000"}  # answers {"bitcoin": {}} for eur
    source = make_rate_source(config(servers), eur, clock)
    try:
        rate = source.refresh()
        assert (rate.btc_price, rate.currency) == (Decimal("88000"), eur)
        assert "coingecko: no bitcoin price in EUR" in source.status().detail
    finally:
        source.close()


def test_a_rate_limited_provider_rests_as_asked(servers, rates, clock):
    gecko = servers["coingecko"]
    gecko.fault, gecko.retry_after = Fault.HTTP_429, "120"
    rates.refresh()
    asked = len(gecko.requests)
    gecko.fault = None
    clock.advance(60)
    rates.refresh()
    assert len(gecko.requests) == asked
    assert "coingecko: asked the kiosk to slow down" in rates.status().detail
    clock.advance(61)
    gecko.published_s = clock() // 1000
    rates.refresh()
    assert len(gecko.requests) == asked + 1
    assert rates.status().message.endswith("from 4 sources")


def test_a_clock_set_back_makes_the_rate_untrusted(servers, rates, clock):
    rates.refresh()
    clock.advance(-3600)
    assert rates.current() is None


def test_background_refresh_retries_then_stops_on_close(servers):
    for server in servers.values():
        server.fault = Fault.HTTP_500
    source = make_rate_source(config(servers, retry_seconds=0.05, refresh_seconds=0.1), USD).start()
    try:
        wait_until(lambda: source.status().message.startswith("No exchange rate yet"), 5, "a failed round")
        for server in servers.values():
            server.fault = None
        rate = wait_until(source.current, 5, "a rate after the providers recover")
        assert rate.source.startswith("median of")
    finally:
        started = time.monotonic()
        source.close()
    assert time.monotonic() - started < 2
    assert "rates" not in {t.name for t in threading.enumerate()}  # a stopped source has no one left to ask


def test_current_never_waits_for_the_network(servers):
    for server in servers.values():
        server.fault = Fault.SLOW
    source = make_rate_source(config(servers, timeout_seconds=1.0), USD).start()
    try:
        started = time.monotonic()
        assert source.current() is None
        source.status()
        assert time.monotonic() - started < 0.1
    finally:
        source.close()


@pytest.mark.parametrize(
    ("changes", "match"),
    [
        ({"providers": "kraken, binance"}, "unknown provider 'binance'"),
        ({"min_sources": 0}, "min_sources must be 1 or more"),
        ({"outlier_percent": Decimal(0)}, "outlier_percent must be above 0"),
        ({"refresh_seconds": 300.0}, "max_age_seconds must exceed"),
        ({"max_quote_age_seconds": 400}, "max_age_seconds must exceed"),
    ],
)
def test_bad_settings_are_config_errors(servers, changes, match):
    with pytest.raises(ConfigError, match=match):
        make_rate_source(config(servers, **changes), USD)


def test_a_currency_too_few_providers_quote_is_a_config_error(servers):
    with pytest.raises(ConfigError, match="1 of the chosen providers quote KES") as caught:
        make_rate_source(config(servers), currency("KES"))
    assert "coinbase" in caught.value.hint


def test_only_providers_quoting_the_currency_are_asked(servers, clock):
    source = make_rate_source(
        config(servers, providers="kraken, bitstamp, coinbase, coingecko"), currency("JPY")
    )
    try:
        for kind in ("kraken", "coinbase", "coingecko"):
            servers[kind].prices = {"JPY": "14500000"}
        assert source.refresh().source == "median of kraken, coinbase, coingecko"
        assert servers["bitstamp"].requests == []  # Bitstamp has no BTC/JPY
    finally:
        source.close()


def test_the_rates_section_is_read_from_the_config_file():
    cfg = parse(
        {
            "rates": {
                "enabled": True,
                "providers": "kraken, coinbase",
                "outlier_percent": "1.5",
                "min_sources": 2,
            }
        },
        Path("/etc/kiosk.toml"),
    )
    assert cfg.rates.enabled and cfg.rates.outlier_percent == Decimal("1.5")
    assert isinstance(make_rate_source(cfg.rates, USD), MedianRate)
