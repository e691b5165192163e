"""The kiosk's market rate: every provider asked in the background, the median kept while it is fresh.

`current()` never blocks and never returns a rate older than `max_age_s`: once
the sources fail for that long, fiat charging stops (sats still work) rather than
charging at an old, default or 1:1 rate.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor, wait

from kiosk.clock import now_ms
from kiosk.domain.money import Currency, Rate
from kiosk.i18n import _
from kiosk.rates.median import FetchedQuote, NoAgreement, Policy, combine
from kiosk.rates.provider import PriceProvider, QuoteError, QuoteErrorKind
from kiosk.services.rates import FIAT_OFF, RateStatus

log = logging.getLogger(__name__)

CLOCK_BACK_TOLERANCE_MS = 5_000  # a rate "from the future" means the clock was set back: distrust it


class MedianRate:
    """A RateSource over several providers: `start()` refreshes it on a thread, `close()` stops it."""

    def __init__(
        self,
        providers: Sequence[PriceProvider],
        currency: Currency,
        policy: Policy,
        *,
        max_age_s: float,
        refresh_s: float,
        retry_s: float,
        timeout_s: float,
        clock_ms: Callable[[], int] = now_ms,
    ) -> None:
        self._providers = list(providers)
        self._currency = currency
        self._policy = policy
        self._max_age_ms = int(max_age_s * 1000)
        self._refresh_s = refresh_s
        self._retry_s = retry_s
        self._round_timeout_s = 2 * timeout_s + 1  # requests' timeout is per connect and per read
        self._clock_ms = clock_ms
        self._lock = threading.Lock()
        self._rate: Rate | None = None
        self._sources = 0
        self._rounds = 0
        self._problems = ""
        self._resting_until_ms: dict[str, int] = {}
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._pool = ThreadPoolExecutor(max_workers=len(self._providers), thread_name_prefix="rate-fetch")

    def current(self) -> Rate | None:
        with self._lock:
            rate = self._rate
        if rate is None:
            return None
        age_ms = self._clock_ms() - rate.fetched_at_ms
        return rate if -CLOCK_BACK_TOLERANCE_MS <= age_ms <= self._max_age_ms else None

    def status(self) -> RateStatus:
        with self._lock:
            rate, sources, rounds, problems = self._rate, self._sources, self._rounds, self._problems
        if rate is None:
            first = _("Fetching the exchange rate") if rounds == 0 else _("No exchange rate yet")
            return RateStatus(False, f"{first}: {_(FIAT_OFF)}", None, problems)
        age_s = max(0, self._clock_ms() - rate.fetched_at_ms) // 1000
        if self.current() is None:
            return RateStatus(
                False,
                _("No fresh exchange rate (last {age} ago): {fiat_off}").format(
                    age=_ago(age_s), fiat_off=_(FIAT_OFF)
                ),
                age_s,
                problems,
            )
        text = _("Rate {age} old from 1 source") if sources == 1 else _("Rate {age} old from {count} sources")
        return RateStatus(True, text.format(age=_ago(age_s), count=sources), age_s, problems)

    def refresh(self) -> Rate | None:
        """Ask every provider once, now; keep the combined rate if the quotes agree."""
        quotes, problems = self._fetch_round()
        try:
            rate, used = combine(quotes, self._currency, self._policy, self._clock_ms())
        except NoAgreement as exc:
            problems.append(str(exc))
            log.warning("no exchange rate this round: %s", "; ".join(problems))
            rate, used = None, []
        with self._lock:
            self._rounds += 1
            self._problems = "; ".join(problems)
            if rate is not None:
                self._rate, self._sources = rate, len(used)
        return rate

    def start(self) -> MedianRate:
        self._thread = threading.Thread(target=self._run, name="rates", daemon=True)
        self._thread.start()
        return self

    def close(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(self._round_timeout_s + 1)
        self._pool.shutdown(wait=False, cancel_futures=True)
        for provider in self._providers:
            provider.close()

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                ok = self.refresh() is not None
            except Exception:  # a bug must not end the refreshes: the rate would silently expire
                log.exception("exchange rate refresh failed")
                ok = False
            self._stop.wait(self._refresh_s if ok else self._retry_s)

    def _fetch_round(self) -> tuple[list[FetchedQuote], list[str]]:
        now = self._clock_ms()
        problems: list[str] = []
        futures: dict[Future[FetchedQuote], PriceProvider] = {}
        for provider in self._providers:
            if self._resting_until_ms.get(provider.name, 0) > now:
                problems.append(f"{provider.name}: asked the kiosk to slow down, skipped this round")
            else:
                futures[self._pool.submit(self._fetch, provider)] = provider
        wait(futures, timeout=self._round_timeout_s)
        quotes = []
        for future, provider in futures.items():
            if not future.done():
                future.cancel()
                problems.append(f"{provider.name}: no answer within {self._round_timeout_s:g} s")
                continue
            try:
                quotes.append(future.result())
            except QuoteError as exc:
                problems.append(str(exc))
                if exc.kind is QuoteErrorKind.RATE_LIMITED:
                    pause_s = exc.retry_after_s if exc.retry_after_s is not None else self._refresh_s
                    self._resting_until_ms[provider.name] = now + int(pause_s * 1000)
            except Exception:
                log.exception("%s: unexpected error reading the price", provider.name)
                problems.append(f"{provider.name}: unexpected error")
        return quotes, problems

    def _fetch(self, provider: PriceProvider) -> FetchedQuote:
        quote = provider.fetch(self._currency.code)
        return FetchedQuote(quote, self._clock_ms())


def _ago(seconds: int) -> str:
    """'45 s', '12 min', '3 h', '2 days': short enough for the status line."""
    if seconds < 120:
        return _("{n} s").format(n=seconds)
    if seconds < 120 * 60:
        return _("{n} min").format(n=seconds // 60)
    if seconds < 48 * 3600:
        return _("{n} h").format(n=seconds // 3600)
    return _("{n} days").format(n=seconds // 86400)
