"""Each provider against a loopback double of its real API: the price, the request, and every failure."""

from __future__ import annotations

import time
from decimal import Decimal

import pytest

from kiosk.rates.bitstamp import Bitstamp
from kiosk.rates.coinbase import Coinbase
from kiosk.rates.coingecko import CoinGecko
from kiosk.rates.kraken import Kraken
from kiosk.rates.mempool import Mempool
from kiosk.rates.provider import PriceProvider, QuoteError, QuoteErrorKind
from tests.doubles.rate_servers import Fault, RateServer
from tests.rates.conftest import KINDS

CLASSES = {"kraken": Kraken, "coinbase": Coinbase, "bitstamp": Bitstamp, "coingecko": CoinGecko}
CLASSES["mempool"] = Mempool
TIMEOUT_S = 0.3

# What each provider is asked for USD, as its own API spells it.
REQUESTS = {
    "kraken": "/0/public/Ticker?pair=XBTUSD",
    "coinbase": "/v2/prices/BTC-USD/spot",
    "bitstamp": "/api/v2/ticker/btcusd/",
    "coingecko": "/api/v3/simple/price?ids=bitcoin&vs_currencies=usd&include_last_updated_at=true",
    "mempool": "/api/v1/prices",
}
# Providers that write prices as JSON numbers only get whole numbers from mempool.space.
EXACT = {"kraken": "67012.34567", "coinbase": "67012.345", "bitstamp": "67012", "mempool": "67012"}
EXACT["coingecko"] = "67012.123456789012345678"  # more digits than a float holds


def provider(kind: str, server: RateServer) -> PriceProvider:
    return CLASSES[kind](server.url, TIMEOUT_S)


def fetch_error(p: PriceProvider, currency: str = "USD") -> QuoteError:
    with pytest.raises(QuoteError) as caught:
        p.fetch(currency)
    return caught.value


@pytest.mark.parametrize("kind", KINDS)
def test_reads_the_exact_price_with_the_providers_own_request(kind, servers):
    server = servers[kind]
    server.prices["USD"] = EXACT[kind]
    quote = provider(kind, server).fetch("USD")
    assert quote.btc_price == Decimal(EXACT[kind])
    assert str(quote.btc_price) == EXACT[kind]  # no float ever rounded it
    assert (quote.provider, quote.currency) == (kind, "USD")
    assert server.requests == [REQUESTS[kind]]


@pytest.mark.parametrize("kind", ["bitstamp", "coingecko", "mempool"])
def test_keeps_the_providers_own_timestamp(kind, servers):
    servers[kind].published_s = 1_700_000_000
    assert provider(kind, servers[kind]).fetch("USD").published_at_ms == 1_700_000_000_000


@pytest.mark.parametrize("kind", ["kraken", "coinbase"])
def test_providers_without_a_timestamp_leave_it_to_the_fetch_time(kind, servers):
    assert provider(kind, servers[kind]).fetch("USD").published_at_ms is None


@pytest.mark.parametrize(
    ("kind", "code"), [("kraken", "CHF"), ("kraken", "EUR"), ("coinbase", "EUR"), ("bitstamp", "GBP")]
)
def test_other_currencies(kind, code, servers):
    servers[kind].prices = {code: "81234.5"}
    quote = provider(kind, servers[kind]).fetch(code)
    assert (quote.currency, quote.btc_price) == (code, Decimal("81234.5"))


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize(
    ("fault", "expected"),
    [
        (Fault.HTTP_500, QuoteErrorKind.HTTP_ERROR),
        (Fault.HTTP_429, QuoteErrorKind.RATE_LIMITED),
        (Fault.GARBAGE, QuoteErrorKind.MALFORMED),
        (Fault.WRONG_SHAPE, QuoteErrorKind.MALFORMED),
        (Fault.SLOW, QuoteErrorKind.TIMEOUT),
    ],
)
def test_faults_are_typed_errors_naming_the_provider(kind, fault, expected, servers):
    servers[kind].fault = fault
    started = time.monotonic()
    error = fetch_error(provider(kind, servers[kind]))
    assert error.kind is expected
    assert error.provider == kind and str(error).startswith(f"{kind}: ")
    assert time.monotonic() - started < servers[kind].slow_s  # never waits out a slow server


@pytest.mark.parametrize("kind", KINDS)
def test_a_provider_that_is_down_is_unreachable(kind, servers):
    servers[kind].stop()
    assert fetch_error(provider(kind, servers[kind])).kind is QuoteErrorKind.UNREACHABLE


def test_rate_limit_keeps_the_retry_after_pause(servers):
    server = servers["coingecko"]
    server.fault, server.retry_after = Fault.HTTP_429, "42"
    assert fetch_error(provider("coingecko", server)).retry_after_s == 42.0
    server.retry_after = "Wed, 21 Oct 2015 07:28:00 GMT"  # a date: the kiosk's own pause applies
    assert fetch_error(provider("coingecko", server)).retry_after_s is None


@pytest.mark.parametrize(
    ("kind", "expected"),
    [
        ("kraken", QuoteErrorKind.UNSUPPORTED),  # {"error": ["EQuery:Unknown asset pair"]}
        ("coingecko", QuoteErrorKind.UNSUPPORTED),  # {"bitcoin": {}}
        ("mempool", QuoteErrorKind.UNSUPPORTED),  # "EUR": -1
        ("coinbase", QuoteErrorKind.HTTP_ERROR),  # 404 {"errors": [...]}
        ("bitstamp", QuoteErrorKind.HTTP_ERROR),  # 404 page
    ],
)
def test_a_currency_the_provider_does_not_have(kind, expected, servers):
    servers[kind].prices = {"USD": "95000"}
    assert fetch_error(provider(kind, servers[kind]), "EUR").kind is expected


@pytest.mark.parametrize("kind", ["kraken", "coinbase", "bitstamp"])
@pytest.mark.parametrize("bad", ["0", "-95000", "NaN", "Infinity", "", "95,000"])
def test_prices_that_are_not_positive_numbers_are_refused(kind, bad, servers):
    servers[kind].prices["USD"] = bad
    assert fetch_error(provider(kind, servers[kind])).kind is QuoteErrorKind.MALFORMED


@pytest.mark.parametrize("kind", ["coingecko", "mempool"])
@pytest.mark.parametrize("bad", ["0", "-95000", "null", "true", "[]"])
def test_json_numbers_that_are_not_prices_are_refused(kind, bad, servers):
    servers[kind].prices["USD"] = bad
    assert fetch_error(provider(kind, servers[kind])).kind is QuoteErrorKind.MALFORMED


def test_coinbase_refuses_an_answer_for_another_pair(servers):
    server = servers["coinbase"]
    server.prices = {"EUR": "88000"}
    p = provider("coinbase", server)
    server.answer = lambda path: (200, '{"data":{"amount":"88000","base":"BTC","currency":"EUR"}}', {})
    assert fetch_error(p).kind is QuoteErrorKind.MALFORMED


def test_kraken_errors_in_a_200_answer():
    server = RateServer("kraken").start()
    try:
        p = provider("kraken", server)
        for body, kind in [
            ('{"error":["EGeneral:Too many requests"]}', QuoteErrorKind.RATE_LIMITED),
            ('{"error":["EService:Unavailable"]}', QuoteErrorKind.REFUSED),
            ('{"error":[],"result":{}}', QuoteErrorKind.MALFORMED),
        ]:
            server.answer = lambda path, body=body: (200, body, {})
            assert fetch_error(p).kind is kind
    finally:
        server.stop()


@pytest.mark.parametrize("kind", KINDS)
def test_each_provider_lists_what_it_quotes(kind):
    currencies = CLASSES[kind].currencies
    assert "USD" in currencies and "SAT" not in currencies
