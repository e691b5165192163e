"""The one place where work crosses between checkout's worker threads and the UI thread."""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import Future

from kivy.clock import Clock

from kiosk.domain.sale import Sale
from kiosk.services.checkout import Checkout

log = logging.getLogger(__name__)


class SaleBridge:
    """Runs blocking calls on checkout's workers and hands their news to the UI thread.

    Checkout calls listeners on whichever worker changed the sale; the UI may
    only be touched from its own thread, so every update and every crash of a
    worker is re-posted with Clock.schedule_once, in the order it happened.
    """

    def __init__(
        self,
        checkout: Checkout,
        on_sale: Callable[[Sale], None],
        on_failure: Callable[[BaseException], None],
    ) -> None:
        self._checkout = checkout
        self._on_sale = on_sale
        self._on_failure = on_failure
        checkout.subscribe(self._from_worker)

    def run(self, fn: Callable[..., object], *args: object) -> Future:
        """Run `fn(*args)` off the UI thread; the UI never waits on network, disk or printer."""
        future = self._checkout.submit(fn, *args)
        future.add_done_callback(self._finished)
        return future

    def _from_worker(self, sale: Sale) -> None:
        self._to_ui(self._on_sale, sale)

    def _finished(self, future: Future) -> None:
        if future.cancelled():
            return
        error = future.exception()
        if error is not None:
            log.error("background task failed", exc_info=error)
            self._to_ui(self._on_failure, error)

    @staticmethod
    def _to_ui(fn: Callable[[object], None], value: object) -> None:
        Clock.schedule_once(lambda _dt: fn(value))
