"""Settlement watcher: one scheduler thread with a deadline heap, one push-stream thread per node.

Every watched invoice is an entry in a heap ordered by when it is next looked
up: every `poll_interval_s` while its QR code is on screen, then ever more
slowly (up to MAX_LATE_POLL_S) until its grace ends, so a late payment is
still seen. The node's push stream only *wakes* an entry (moves its lookup to
now): a settlement counts only when a lookup shows it with proof (see
`settlement_proof`), so a forged or duplicated notification pays nothing
twice. Two threads and the node's one stream serve any number of invoices.

Deadlines are counted on the monotonic clock from the moment the watch
starts, so a jump of the wall clock cannot move them; a settlement the ledger
cannot record yet (a full disk) is tried again.
"""

from __future__ import annotations

import heapq
import itertools
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field

from kiosk.clock import steady_ms
from kiosk.errors import BackendError, ErrorKind
from kiosk.services.node_port import InvoiceStatus, LightningBackend, StopSignal
from kiosk.services.settlement_proof import Anomaly, Unproven, proof_of, unproven

log = logging.getLogger(__name__)

MAX_LATE_POLL_S = 300.0
MAX_RECONNECT_S = 30.0


@dataclass(frozen=True)
class Watch:
    sale_id: int
    payment_hash: str
    amount_msat: int
    deadline_ms: int
    grace_until_ms: int
    on_screen: bool = True  # False: the sale was cancelled or expired; only slow polling is left


@dataclass
class _Entry:
    watch: Watch
    anchor_wall_ms: int  # wall time at the start of the watch ...
    anchor_steady_ms: int  # ... and the monotonic time then
    on_screen: bool
    late_interval_s: float
    due_ms: int = 0  # monotonic time of the next lookup; the heap holds stale copies too
    deadline_told: bool = False
    anomalies: set[Unproven] = field(default_factory=set)


class SettlementWatcher:
    def __init__(
        self,
        backend: LightningBackend,
        on_settled: Callable[[int, InvoiceStatus], None],
        on_deadline: Callable[[int], None],
        clock_ms: Callable[[], int],
        poll_interval_s: float = 1.0,
        steady_ms: Callable[[], int] = steady_ms,
        on_anomaly: Callable[[Anomaly], None] | None = None,
    ) -> None:
        self._backend = backend
        self._proof = proof_of(backend)
        self._on_settled = on_settled
        self._on_deadline = on_deadline
        self._on_anomaly = on_anomaly
        self._clock_ms = clock_ms
        self._steady_ms = steady_ms
        self._poll_s = poll_interval_s
        self._entries: dict[int, _Entry] = {}
        self._by_hash: dict[str, int] = {}
        self._heap: list[tuple[int, int, int]] = []  # (due_ms, tie-breaker, sale_id)
        self._seq = itertools.count()
        self._changed = threading.Condition()
        self._stop = StopSignal()
        self._lookups = 0
        self._threads = [
            threading.Thread(target=self._schedule, name="settlement-scheduler", daemon=True),
            threading.Thread(target=self._stream, name=f"settlement-push-{backend.name}", daemon=True),
        ]
        for thread in self._threads:
            thread.start()

    @property
    def lookups(self) -> int:
        """Invoice lookups sent so far."""
        with self._changed:
            return self._lookups

    def watch(self, watch: Watch) -> None:
        """Start watching an invoice (idempotent per sale); its first lookup is now."""
        with self._changed:
            if watch.sale_id in self._entries or self._stop.is_set():
                return
            entry = _Entry(watch, self._clock_ms(), self._steady_ms(), watch.on_screen, self._poll_s)
            self._entries[watch.sale_id] = entry
            self._by_hash[watch.payment_hash] = watch.sale_id
            self._due(entry, 0)

    def off_screen(self, sale_id: int) -> None:
        """The sale's QR code left the screen (cancelled): only slow polling watches it now."""
        with self._changed:
            entry = self._entries.get(sale_id)
            if entry is not None and entry.on_screen:
                entry.on_screen = False
                self._due(entry, self._poll_s)

    def watching(self) -> set[int]:
        with self._changed:
            return set(self._entries)

    def close(self, timeout: float = 5.0) -> None:
        self._stop.set()  # also cuts the push stream's blocked read
        with self._changed:
            self._changed.notify_all()
        for thread in self._threads:
            thread.join(timeout)

    # The scheduler -----------------------------------------------------------------

    def _due(self, entry: _Entry, in_s: float) -> None:
        """Look the entry up `in_s` seconds from now (caller holds the lock)."""
        entry.due_ms = self._steady_ms() + int(in_s * 1000)
        heapq.heappush(self._heap, (entry.due_ms, next(self._seq), entry.watch.sale_id))
        self._changed.notify_all()

    def _next_due(self) -> _Entry | None:
        """Wait for the earliest due entry; None once closed."""
        with self._changed:
            while not self._stop.is_set():
                if not self._heap:
                    self._changed.wait()
                    continue
                due_ms, _seq, sale_id = self._heap[0]
                wait_ms = due_ms - self._steady_ms()
                if wait_ms > 0:
                    self._changed.wait(wait_ms / 1000)
                    continue
                heapq.heappop(self._heap)
                entry = self._entries.get(sale_id)
                if entry is not None and entry.due_ms == due_ms:  # otherwise a stale copy
                    entry.due_ms = -1  # being looked up: a wake now schedules one more lookup
                    return entry
            return None

    def _schedule(self) -> None:
        while (entry := self._next_due()) is not None:
            try:
                self._visit(entry)
            except Exception:  # a bug must not stop the watching of every other sale
                log.exception("sale %s: the settlement watcher failed; trying again", entry.watch.sale_id)
                with self._changed:
                    self._due(entry, self._poll_s)

    def _visit(self, entry: _Entry) -> None:
        watch = entry.watch
        if not entry.deadline_told and self._now_ms(entry) >= watch.deadline_ms:
            entry.deadline_told = self._told(self._on_deadline, watch.sale_id)
            entry.on_screen = not entry.deadline_told
        status = self._lookup(watch)
        again_s: float | None = None
        if status is not None and status.is_paid:
            reason = unproven(status, watch.payment_hash, watch.amount_msat, self._proof)
            if reason is None:
                if self._told(self._on_settled, watch.sale_id, status):
                    self._forget(entry)
                    return
                again_s = self._poll_s  # not recorded yet: try again soon
            else:
                self._anomaly(entry, reason, status)
        now = self._now_ms(entry)
        if now >= watch.grace_until_ms:
            self._forget(entry)
            return
        if again_s is None and entry.on_screen and now < watch.deadline_ms:
            again_s = min(self._poll_s, (watch.deadline_ms - now) / 1000)
        elif again_s is None:
            again_s = entry.late_interval_s
            entry.late_interval_s = min(entry.late_interval_s * 2, MAX_LATE_POLL_S)
        with self._changed:
            if entry.due_ms == -1:  # not woken by a push meanwhile
                self._due(entry, max(min(again_s, (watch.grace_until_ms - now) / 1000), 0))

    def _now_ms(self, entry: _Entry) -> int:
        """Wall time as of the watch's start, moved on by the monotonic clock."""
        return entry.anchor_wall_ms + self._steady_ms() - entry.anchor_steady_ms

    def _forget(self, entry: _Entry) -> None:
        with self._changed:
            self._entries.pop(entry.watch.sale_id, None)
            self._by_hash.pop(entry.watch.payment_hash, None)

    def _anomaly(self, entry: _Entry, reason: Unproven, status: InvoiceStatus) -> None:
        """A 'paid' answer without proof: the sale stays payable; logged and kept once per kind."""
        if reason in entry.anomalies:
            return
        entry.anomalies.add(reason)
        watch = entry.watch
        anomaly = Anomaly(
            self._now_ms(entry),
            watch.sale_id,
            watch.payment_hash,
            reason,
            status.amount_received_msat,
            watch.amount_msat,
        )
        log.warning("sale %s: the node says paid, without proof: %s", watch.sale_id, anomaly.text)
        if self._on_anomaly is not None:
            try:
                self._on_anomaly(anomaly)
            except Exception:
                log.exception("sale %s: could not record the anomaly", watch.sale_id)

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
        with self._changed:
            self._lookups += 1
        try:
            return self._backend.invoice_status(watch.payment_hash)
        except BackendError as exc:
            log.warning("sale %s: lookup failed: %s", watch.sale_id, exc.message)
            return None

    # The push stream -----------------------------------------------------------------

    def _wake(self, payment_hash: str | None) -> None:
        """Look an invoice up now (None: every invoice on screen), unless it is being looked up."""
        with self._changed:
            if payment_hash is None:
                woken = [e for e in self._entries.values() if e.on_screen]
            else:
                sale_id = self._by_hash.get(payment_hash)
                woken = [self._entries[sale_id]] if sale_id in self._entries else []
            for entry in woken:
                self._due(entry, 0)

    def _on_screen(self) -> frozenset[str]:
        """The hashes whose QR code is on screen: LNbits keeps a push channel open for these only."""
        with self._changed:
            return frozenset(
                e.watch.payment_hash
                for e in self._entries.values()
                if e.on_screen and self._now_ms(e) < e.watch.deadline_ms
            )

    def _stream(self) -> None:
        backoff = 0.5
        while not self._stop.is_set():
            try:
                for payment_hash in self._backend.push(self._on_screen, self._stop):
                    backoff = 0.5
                    self._wake(payment_hash)
                if not self._stop.is_set():
                    return  # this node has no push channel: polling alone watches
            except BackendError as exc:
                if self._stop.is_set():
                    return
                level = logging.DEBUG if exc.kind is ErrorKind.TIMEOUT else logging.INFO
                log.log(level, "%s push stream lost (%s); reconnecting", self._backend.name, exc.message)
                self._wake(None)  # look up what is on screen at once: a settlement may have been missed
                self._stop.wait(backoff)
                backoff = min(backoff * 2, MAX_RECONNECT_S)
