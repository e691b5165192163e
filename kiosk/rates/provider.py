"""What every price provider shares: its quote, its typed errors, and one GET of JSON.

Prices are read with `Decimal` straight from the JSON text (`parse_float=Decimal`),
so a float never touches a price.
"""

from __future__ import annotations

import enum
import json
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any, Protocol

import requests

from kiosk.errors import KioskError
from kiosk.http_bounds import AnswerTooLarge, AnswerTooSlow, read_body
from kiosk.i18n import _

# A price answer is a few hundred bytes; anything past this is refused while it is read.
MAX_ANSWER_BYTES = 256 * 1024


@dataclass(frozen=True)
class ProviderQuote:
    """Price of one bitcoin at one provider; `published_at_ms` is the provider's own time, if it gives one."""

    provider: str
    currency: str
    btc_price: Decimal
    published_at_ms: int | None = None


class QuoteErrorKind(enum.StrEnum):
    UNREACHABLE = "unreachable"
    TIMEOUT = "timeout"
    HTTP_ERROR = "http_error"
    RATE_LIMITED = "rate_limited"
    REFUSED = "refused"
    MALFORMED = "malformed"
    UNSUPPORTED = "unsupported"


class QuoteError(KioskError):
    """A provider gave no usable price; `retry_after_s` is set when it asked the kiosk to slow down."""

    def __init__(
        self, provider: str, kind: QuoteErrorKind, message: str, retry_after_s: float | None = None
    ) -> None:
        super().__init__(f"{provider}: {message}")
        self.provider = provider
        self.kind = kind
        self.retry_after_s = retry_after_s


class PriceProvider(Protocol):
    name: str
    currencies: frozenset[str]

    def fetch(self, currency: str) -> ProviderQuote:
        """The provider's current price for `currency`, or QuoteError."""
        ...

    def close(self) -> None: ...


class JsonGetter:
    """One HTTP session per provider, short timeouts, every failure turned into a QuoteError."""

    def __init__(self, provider: str, base_url: str, timeout_s: float) -> None:
        self.provider = provider
        self.base_url = base_url.rstrip("/")
        self.timeout_s = timeout_s
        self._session = requests.Session()
        self._session.headers["Accept"] = "application/json"

    def get(self, path: str, params: dict[str, str] | None = None) -> Any:
        try:
            url = self.base_url + path
            response = self._session.get(url, params=params, timeout=self.timeout_s, stream=True)
            body = read_body(response, MAX_ANSWER_BYTES, self.timeout_s)
        except requests.Timeout:
            raise self.error(QuoteErrorKind.TIMEOUT, f"no answer within {self.timeout_s:g} s") from None
        except requests.RequestException as exc:
            raise self.error(QuoteErrorKind.UNREACHABLE, f"cannot connect ({type(exc).__name__})") from None
        except AnswerTooLarge:
            message = _("an answer larger than {size} KiB, not read").format(size=MAX_ANSWER_BYTES // 1024)
            raise self.error(QuoteErrorKind.MALFORMED, message) from None
        except AnswerTooSlow:
            message = _("the answer did not finish within {seconds} s").format(seconds=f"{self.timeout_s:g}")
            raise self.error(QuoteErrorKind.TIMEOUT, message) from None
        if response.status_code == 429:
            raise QuoteError(
                self.provider,
                QuoteErrorKind.RATE_LIMITED,
                "too many requests (HTTP 429)",
                _retry_after(response.headers.get("Retry-After")),
            )
        if not response.ok:
            raise self.error(QuoteErrorKind.HTTP_ERROR, f"HTTP {response.status_code}")
        try:
            return json.loads(body, parse_float=Decimal)
        except (ValueError, RecursionError):  # RecursionError: nested deeper than the parser goes
            raise self.error(QuoteErrorKind.MALFORMED, "answer is not JSON") from None

    def error(self, kind: QuoteErrorKind, message: str) -> QuoteError:
        return QuoteError(self.provider, kind, message)

    def close(self) -> None:
        self._session.close()


def _retry_after(value: str | None) -> float | None:
    try:
        return max(0.0, float(value)) if value else None
    except ValueError:
        return None  # an HTTP date: the caller's own pause applies


def dig(data: Any, provider: str, *path: str) -> Any:
    """data[path[0]][path[1]]..., or a MALFORMED error naming the missing key."""
    for key in path:
        if not isinstance(data, dict) or key not in data:
            raise QuoteError(provider, QuoteErrorKind.MALFORMED, f"answer has no {'.'.join(path)}")
        data = data[key]
    return data


def parse_price(value: Any, provider: str) -> Decimal:
    """A positive, finite price from a JSON string, Decimal or integer (never a float or bool)."""
    try:
        if isinstance(value, bool) or not isinstance(value, str | int | Decimal):
            raise InvalidOperation
        result = Decimal(value)
    except InvalidOperation:
        raise QuoteError(provider, QuoteErrorKind.MALFORMED, f"price {value!r} is not a number") from None
    if not result.is_finite() or result <= 0:
        raise QuoteError(provider, QuoteErrorKind.MALFORMED, f"price {value!r} is not a positive number")
    return result


def parse_unix_seconds(value: Any, provider: str) -> int:
    """A Unix time in seconds (integer or digit string) as milliseconds."""
    if isinstance(value, str) and value.isdigit():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise QuoteError(provider, QuoteErrorKind.MALFORMED, f"timestamp {value!r} is not a Unix time")
    return value * 1000
