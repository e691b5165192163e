"""mempool.space prices: GET /api/v1/prices.

Answer: {"time": 1703252411, "USD": 43753, "EUR": 40545, "GBP": 37818, "CAD": 58542,
"CHF": 37506, "AUD": 64585, "JPY": 6213941}: whole numbers, `time` Unix seconds. A currency
its own feeds failed for is -1. mempool.space averages exchanges and refreshes about hourly,
so its `time` is often too old to count; it is off by default.
"""

from __future__ import annotations

from kiosk.rates.provider import (
    JsonGetter,
    ProviderQuote,
    QuoteErrorKind,
    dig,
    parse_price,
    parse_unix_seconds,
)

NAME = "mempool"


class Mempool:
    name = NAME
    currencies = frozenset({"USD", "EUR", "GBP", "CAD", "CHF", "AUD", "JPY"})

    def __init__(self, base_url: str, timeout_s: float) -> None:
        self._http = JsonGetter(NAME, base_url, timeout_s)

    def fetch(self, currency: str) -> ProviderQuote:
        body = self._http.get("/api/v1/prices")
        value = dig(body, NAME, currency)
        if value == -1:
            raise self._http.error(QuoteErrorKind.UNSUPPORTED, f"has no {currency} price right now")
        return ProviderQuote(
            NAME, currency, parse_price(value, NAME), parse_unix_seconds(dig(body, NAME, "time"), NAME)
        )

    def close(self) -> None:
        self._http.close()
