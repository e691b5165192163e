"""Settlement watcher: the node's push channel and a polling loop, together, per invoice.

The push channel only *wakes* the polling loop, which then looks the invoice
up: a notification is always confirmed by a lookup, and one loop per invoice
means duplicate notifications give one settlement. After the kiosk's deadline
the loop keeps watching, more slowly, until the grace period ends, so a late
payment is still seen. Deadlines are counted on the monotonic clock from the
moment the watch starts, so a jump of the wall clock cannot move them; a
settlement the ledger cannot record yet (a full disk) is tried again.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass

from kiosk.backends.base import InvoiceStatus, LightningBackend
from kiosk.errors import BackendError
from kiosk.services.clocks import steady_ms

log = logging.getLogger(__name__)

MAX_LATE_POLL_S = 300.0
MAX_RECONNECT_S = 30.0


@dataclass(frozen=True)
class Watch:
    sale_id: int
    payment_hash: str
    deadline_ms: int
    grace_until_ms: int


class SettlementWatcher:
    def __init__(
        self,
        backend: LightningBackend,
        on_settled: Callable[[int, InvoiceStatus], None],
        on_deadline: Callable[[int], None],
        clock_ms: Callable[[], int],
        poll_interval_s: float = 1.0,
        steady_ms: Callable[[], int] = steady_ms,
    ) -> None:
        self._backend = backend
        self._on_settled = on_settled
        self._on_deadline = on_deadline
        self._clock_ms = clock_ms
        self._steady_ms = steady_ms
        self._poll_s = poll_interval_s
        self._closed = False
        self._running: dict[int, _Running] = {}
        self._lock = threading.Lock()
        self._lookups = 0

    @property
    def lookups(self) -> int:
        """Invoice lookups sent so far (every polling thread adds to it)."""
        with self._lock:
            return self._lookups

    def watch(self, watch: Watch) -> None:
        """Start watching an invoice (idempotent per sale)."""
        with self._lock:
            if watch.sale_id in self._running or self._closed:
                return
            run = _Running(threading.Event(), threading.Event(), [])
            for target, kind in ((self._poll, "poll"), (self._push, "push")):
                run.threads.append(
                    threading.Thread(
                        target=target, args=(watch, run), name=f"{kind}-{watch.sale_id}", daemon=True
                    )
                )
            self._running[watch.sale_id] = run
        for t in run.threads:
            t.start()

    def watching(self) -> set[int]:
        with self._lock:
            return set(self._running)

    def close(self, timeout: float = 5.0) -> None:
        with self._lock:
            self._closed = True
            runs = list(self._running.values())
        for run in runs:
            run.stop.set()
            run.wake.set()
        for run in runs:
            for t in run.threads:
                t.join(timeout)

    def _poll(self, watch: Watch, run: _Running) -> None:
        late_interval = self._poll_s
        deadline_told = False
        anchor_wall, anchor_steady = self._clock_ms(), self._steady_ms()

        def now_ms() -> int:
            """Wall time as of the watch's start, moved on by the monotonic clock."""
            return anchor_wall + self._steady_ms() - anchor_steady

        try:
            while not run.stop.is_set():
                now = now_ms()
                if not deadline_told and now >= watch.deadline_ms:
                    deadline_told = self._told(self._on_deadline, watch.sale_id)
                status = self._lookup(watch)
                if status is not None and status.is_paid and not run.stop.is_set():
                    if self._told(self._on_settled, watch.sale_id, status):
                        return
                    late_interval = self._poll_s  # not recorded yet: try again soon
                now = now_ms()
                if now >= watch.grace_until_ms:
                    return
                if now < watch.deadline_ms:
                    wait_s = min(self._poll_s, (watch.deadline_ms - now) / 1000)
                else:
                    wait_s = late_interval
                    late_interval = min(late_interval * 2, MAX_LATE_POLL_S)
                wait_s = min(wait_s, (watch.grace_until_ms - now) / 1000)
                if run.wake.wait(max(wait_s, 0)):
                    run.wake.clear()
        finally:
            run.stop.set()
            with self._lock:
                self._running.pop(watch.sale_id, None)

    @staticmethod
    def _told(listener: Callable[..., None], sale_id: int, *args: object) -> bool:
        """Tell the checkout; False if it could not record the news (e.g. the disk is full)."""
        try:
            listener(sale_id, *args)
        except Exception:
            log.exception("sale %s: could not record what the node said; trying again", sale_id)
            return False
        return True

    def _lookup(self, watch: Watch) -> InvoiceStatus | None:
        with self._lock:
            self._lookups += 1
        try:
            return self._backend.invoice_status(watch.payment_hash)
        except BackendError as exc:
            log.warning("sale %s: lookup failed: %s", watch.sale_id, exc.message)
            return None

    def _push(self, watch: Watch, run: _Running) -> None:
        backoff = 0.5
        while not run.stop.is_set():
            try:
                for _status in self._backend.watch(watch.payment_hash, run.stop):
                    backoff = 0.5
                    run.wake.set()
                return
            except BackendError as exc:
                log.info("sale %s: push channel lost (%s); reconnecting", watch.sale_id, exc.message)
                run.wake.set()  # look the invoice up at once: a settlement may have been missed
                run.stop.wait(backoff)
                backoff = min(backoff * 2, MAX_RECONNECT_S)


@dataclass
class _Running:
    stop: threading.Event
    wake: threading.Event
    threads: list[threading.Thread]
