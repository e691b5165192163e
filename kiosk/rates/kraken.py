"""Kraken public ticker: GET /0/public/Ticker?pair=XBTUSD.

Answer (HTTP 200 even for errors):
    {"error": [], "result": {"XXBTZUSD": {"a": [...], "b": [...], "c": ["67000.10000", "0.001"], ...}}}
`c` is the last trade closed [price, lot volume]. The result key is Kraken's own pair
name (XXBTZUSD, XBTCHF, ...), so the single entry is taken whatever its name.
Errors come as {"error": ["EQuery:Unknown asset pair"]} or ["EGeneral:Too many requests"].
"""

from __future__ import annotations

from kiosk.rates.provider import JsonGetter, ProviderQuote, QuoteError, QuoteErrorKind, dig, parse_price

NAME = "kraken"


class Kraken:
    name = NAME
    currencies = frozenset({"USD", "EUR", "GBP", "CAD", "CHF", "JPY", "AUD"})

    def __init__(self, base_url: str, timeout_s: float) -> None:
        self._http = JsonGetter(NAME, base_url, timeout_s)

    def fetch(self, currency: str) -> ProviderQuote:
        body = self._http.get("/0/public/Ticker", {"pair": f"XBT{currency}"})
        errors = dig(body, NAME, "error")
        if errors:
            raise _error(errors)
        result = dig(body, NAME, "result")
        if not isinstance(result, dict) or len(result) != 1:
            raise self._http.error(QuoteErrorKind.MALFORMED, "answer has no single ticker")
        (ticker,) = result.values()
        last = dig(ticker, NAME, "c")
        if not isinstance(last, list) or not last:
            raise self._http.error(QuoteErrorKind.MALFORMED, "ticker has no last trade price")
        return ProviderQuote(NAME, currency, parse_price(last[0], NAME))

    def close(self) -> None:
        self._http.close()


def _error(errors: object) -> QuoteError:
    text = "; ".join(map(str, errors)) if isinstance(errors, list) else str(errors)
    if "Unknown asset pair" in text:
        return QuoteError(NAME, QuoteErrorKind.UNSUPPORTED, text)
    if "Too many requests" in text or "Rate limit" in text:
        return QuoteError(NAME, QuoteErrorKind.RATE_LIMITED, text)
    return QuoteError(NAME, QuoteErrorKind.REFUSED, text)
