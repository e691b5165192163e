"""Bitstamp ticker: GET /api/v2/ticker/btcusd/.

Answer: {"timestamp": "1723398353", "open": "60940", "high": "61868", "low": "59959",
"last": "60192", "volume": "1008.29813067", "vwap": "60962", "bid": "60173", "ask": "60175",
"side": "1", "open_24": "60652", "percent_change_24": "-0.76"}. Every value is a string;
`timestamp` is Unix seconds. An unknown pair is an HTTP 404.
"""

from __future__ import annotations

from kiosk.rates.provider import JsonGetter, ProviderQuote, dig, parse_price, parse_unix_seconds

NAME = "bitstamp"


class Bitstamp:
    name = NAME
    currencies = frozenset({"USD", "EUR", "GBP"})

    def __init__(self, base_url: str, timeout_s: float) -> None:
        self._http = JsonGetter(NAME, base_url, timeout_s)

    def fetch(self, currency: str) -> ProviderQuote:
        body = self._http.get(f"/api/v2/ticker/btc{currency.lower()}/")
        return ProviderQuote(
            NAME,
            currency,
            parse_price(dig(body, NAME, "last"), NAME),
            parse_unix_seconds(dig(body, NAME, "timestamp"), NAME),
        )

    def close(self) -> None:
        self._http.close()
