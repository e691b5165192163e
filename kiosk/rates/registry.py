"""Build the market rate source from the [rates] config section."""

from __future__ import annotations

from collections.abc import Callable

from kiosk.clock import now_ms
from kiosk.config import RatesConfig
from kiosk.domain.money import Currency
from kiosk.errors import ConfigError
from kiosk.rates.aggregator import MedianRate
from kiosk.rates.bitstamp import Bitstamp
from kiosk.rates.coinbase import Coinbase
from kiosk.rates.coingecko import CoinGecko
from kiosk.rates.kraken import Kraken
from kiosk.rates.median import Policy
from kiosk.rates.mempool import Mempool
from kiosk.rates.provider import PriceProvider

# Each is built from its `rates.<name>_url` and `rates.timeout_seconds`.
PROVIDERS: dict[str, type[PriceProvider]] = {
    p.name: p for p in (Kraken, Coinbase, Bitstamp, CoinGecko, Mempool)
}


def make_rate_source(
    config: RatesConfig, currency: Currency, clock_ms: Callable[[], int] = now_ms
) -> MedianRate:
    """The chosen providers that quote `currency`, combined by median; call `.start()` to begin fetching."""
    names = list(dict.fromkeys(n.strip().lower() for n in config.providers.split(",") if n.strip()))
    unknown = [n for n in names if n not in PROVIDERS]
    if unknown:
        raise ConfigError(
            f"rates.providers: unknown provider {unknown[0]!r}", "Use some of: " + ", ".join(PROVIDERS)
        )
    _check(config)
    quoting = [n for n in names if currency.code in PROVIDERS[n].currencies]
    if len(quoting) < config.min_sources:
        could = [n for n, p in PROVIDERS.items() if currency.code in p.currencies]
        raise ConfigError(
            f"rates: {len(quoting)} of the chosen providers quote {currency.code} "
            f"but rates.min_sources is {config.min_sources}",
            f"List more of those that do in rates.providers: {', '.join(could) or 'none'}",
        )
    providers = [PROVIDERS[n](getattr(config, f"{n}_url"), config.timeout_seconds) for n in quoting]
    return MedianRate(
        providers,
        currency,
        Policy(config.min_sources, config.outlier_percent, config.max_quote_age_seconds * 1000),
        max_age_s=config.max_age_seconds,
        refresh_s=config.refresh_seconds,
        retry_s=config.retry_seconds,
        timeout_s=config.timeout_seconds,
        clock_ms=clock_ms,
    )


def _check(c: RatesConfig) -> None:
    if c.min_sources < 1:
        raise ConfigError(
            "rates.min_sources must be 1 or more", "Use 2, so one bad source cannot set the price"
        )
    if c.outlier_percent <= 0:
        raise ConfigError("rates.outlier_percent must be above 0", 'Use "2"')
    if min(c.timeout_seconds, c.refresh_seconds, c.retry_seconds, c.max_quote_age_seconds) <= 0:
        raise ConfigError("rates: timeouts, refresh and ages must be above 0", "")
    if c.refresh_seconds >= c.max_age_seconds or c.max_quote_age_seconds > c.max_age_seconds:
        raise ConfigError(
            "rates.max_age_seconds must exceed rates.refresh_seconds and rates.max_quote_age_seconds",
            "Otherwise the rate expires between refreshes: e.g. refresh 60, quote age 180, max age 300",
        )
