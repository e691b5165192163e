"""CoinGecko simple price.

GET /api/v3/simple/price?ids=bitcoin&vs_currencies=usd&include_last_updated_at=true

Answer: {"bitcoin": {"usd": 67187.33, "last_updated_at": 1711356300}}; the price is a
JSON number (read as Decimal), `last_updated_at` Unix seconds. A currency CoinGecko does not
quote is simply missing from the object. Over its rate limit it answers HTTP 429.
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

NAME = "coingecko"

# Of /api/v3/simple/supported_vs_currencies, those the kiosk knows (it has no KES).
SUPPORTED = {"USD", "EUR", "GBP", "CHF", "CNY", "JPY", "KRW", "HKD", "TWD", "SGD", "AUD", "CAD", "NZD"}
SUPPORTED |= {"SEK", "NOK", "DKK", "PLN", "CZK", "HUF", "BRL", "ARS", "MXN", "ZAR", "NGN", "INR", "THB"}
SUPPORTED |= {"VND", "BHD", "KWD"}


class CoinGecko:
    name = NAME
    currencies = frozenset(SUPPORTED)

    def __init__(self, base_url: str, timeout_s: float) -> None:
        self._http = JsonGetter(NAME, base_url, timeout_s)

    def fetch(self, currency: str) -> ProviderQuote:
        code = currency.lower()
        params = {"ids": "bitcoin", "vs_currencies": code, "include_last_updated_at": "true"}
        coin = dig(self._http.get("/api/v3/simple/price", params), NAME, "bitcoin")
        if not isinstance(coin, dict) or code not in coin:
            raise self._http.error(QuoteErrorKind.UNSUPPORTED, f"no bitcoin price in {currency}")
        published = coin.get("last_updated_at")
        return ProviderQuote(
            NAME,
            currency,
            parse_price(coin[code], NAME),
            None if published is None else parse_unix_seconds(published, NAME),
        )

    def close(self) -> None:
        self._http.close()
