"""One rate from several quotes: drop stale quotes, take the median, drop outliers, require agreement.

Pure: no I/O and no clock of its own, so every rule is tested with exact numbers.
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from kiosk.domain.money import Currency, Rate
from kiosk.i18n import _, list_separator
from kiosk.rates.provider import ProviderQuote


@dataclass(frozen=True)
class FetchedQuote:
    quote: ProviderQuote
    fetched_at_ms: int

    @property
    def as_of_ms(self) -> int:
        """When the price was true: the provider's own time, never later than when it reached us."""
        published = self.quote.published_at_ms
        return self.fetched_at_ms if published is None else min(published, self.fetched_at_ms)


@dataclass(frozen=True)
class Policy:
    min_sources: int
    outlier_percent: Decimal
    max_quote_age_ms: int


class NoAgreement(Exception):
    """Too few fresh, agreeing quotes: there is no rate to trust."""


def combine(
    quotes: Sequence[FetchedQuote], currency: Currency, policy: Policy, now_ms: int
) -> tuple[Rate, list[str]]:
    """The median of the fresh quotes that lie within `outlier_percent` of the median of all fresh ones.

    Returns the rate and the providers it came from. The rate's time is that of its
    oldest quote, so its age is never understated.
    """
    ours = [q for q in quotes if q.quote.currency == currency.code]
    fresh = [q for q in ours if now_ms - q.as_of_ms <= policy.max_quote_age_ms]
    stale = [q.quote.provider for q in ours if now_ms - q.as_of_ms > policy.max_quote_age_ms]
    if len(fresh) < policy.min_sources:
        also = f" ({', '.join(stale)} too old)" if stale else ""
        raise NoAgreement(f"{len(fresh)} fresh price(s){also}, {policy.min_sources} needed")
    middle = statistics.median(q.quote.btc_price for q in fresh)
    agreeing = [q for q in fresh if abs(q.quote.btc_price - middle) * 100 <= policy.outlier_percent * middle]
    if len(agreeing) < policy.min_sources:
        prices = ", ".join(f"{q.quote.provider} {q.quote.btc_price}" for q in fresh)
        raise NoAgreement(
            f"prices disagree by more than {policy.outlier_percent}% ({prices}); "
            f"{policy.min_sources} must agree"
        )
    names = [q.quote.provider for q in agreeing]
    median = _("median of {sources}").format(sources=list_separator().join(names))
    source = names[0] if len(names) == 1 else median
    price = statistics.median(q.quote.btc_price for q in agreeing)
    return Rate(price, currency, source, min(q.as_of_ms for q in agreeing)), names
