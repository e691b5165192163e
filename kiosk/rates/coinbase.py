"""Coinbase spot price: GET /v2/prices/BTC-USD/spot.

Answer: {"data": {"amount": "67000.005", "base": "BTC", "currency": "USD"}}.
Errors come with an HTTP error status and {"errors": [{"id": "not_found", "message": "..."}]}.
Coinbase converts its BTC price into every currency it lists, so it quotes all the kiosk's currencies.
"""

from __future__ import annotations

from kiosk.domain.money import CURRENCIES, SATS
from kiosk.rates.provider import JsonGetter, ProviderQuote, QuoteErrorKind, dig, parse_price

NAME = "coinbase"


class Coinbase:
    name = NAME
    currencies = frozenset(CURRENCIES) - {SATS.code}

    def __init__(self, base_url: str, timeout_s: float) -> None:
        self._http = JsonGetter(NAME, base_url, timeout_s)

    def fetch(self, currency: str) -> ProviderQuote:
        body = self._http.get(f"/v2/prices/BTC-{currency}/spot")
        quoted = dig(body, NAME, "data", "currency")
        base = dig(body, NAME, "data").get("base", "BTC")
        if quoted != currency or base != "BTC":
            raise self._http.error(
                QuoteErrorKind.MALFORMED, f"answer is for {base}-{quoted}, not BTC-{currency}"
            )
        return ProviderQuote(NAME, currency, parse_price(dig(body, NAME, "data", "amount"), NAME))

    def close(self) -> None:
        self._http.close()
