"""Store and forward: the kiosk's outbox sent to the central books in order, in batches, with backoff.

The outbox (`kiosk.storage.outbox`) is written with every change to the books, in
the same SQLite transaction; nothing about selling waits for this. The central side
(`kiosk.fleet.central`, PostgreSQL) ignores an event it already has, by (terminal,
sequence) and by key, so a batch sent twice, a kiosk killed between the central commit
and its own "sent" mark, or a ledger restored from a backup never counts anything twice.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Protocol

from kiosk.errors import KioskError
from kiosk.i18n import _
from kiosk.services.fleet_events import Event
from kiosk.services.print_jobs import Backoff

log = logging.getLogger(__name__)


class FleetUnavailable(KioskError):
    """The central books could not take the batch now (network, database down, refused credential)."""


@dataclass(frozen=True)
class OutboxStatus:
    sent_seq: int  # every event up to this one is in the central books
    last_seq: int
    oldest_unsent_ms: int | None
    last_attempt_ms: int | None
    last_sent_ms: int | None
    last_error: str | None

    @property
    def backlog(self) -> int:
        return self.last_seq - self.sent_seq

    def backlog_age_ms(self, now_ms: int) -> int:
        return 0 if self.oldest_unsent_ms is None else max(0, now_ms - self.oldest_unsent_ms)


class Outbox(Protocol):
    """The kiosk's side (`kiosk.storage.outbox.OutboxRepository`)."""

    def unsent(self, limit: int) -> list[Event]:
        """The oldest events not yet in the central books, in sequence order."""

    def mark_sent(self, seq: int, at_ms: int) -> None:
        """Every event up to `seq` is in the central books."""

    def mark_failed(self, error: str, at_ms: int) -> None: ...

    def status(self) -> OutboxStatus: ...

    def unsent_between(self, from_ms: int, until_ms: int) -> int:
        """How many events made from `from_ms` up to and including `until_ms` are not yet sent."""


class CentralBooks(Protocol):
    """The central side (`kiosk.fleet.central.PostgresBooks`)."""

    def send(self, terminal_id: str, events: Sequence[Event], backlog: int) -> None:
        """Insert the events in one transaction, skipping those it has; FleetUnavailable if not."""

    def close(self) -> None: ...


class FleetSync:
    """Sends the outbox; `sync_all` for the CLI, `start` for the kiosk's background thread."""

    def __init__(
        self,
        outbox: Outbox,
        books: CentralBooks,
        terminal_id: str,
        clock_ms: Callable[[], int],
        batch: int = 500,
        backoff: Backoff | None = None,
        idle_s: float = 30.0,
    ) -> None:
        self._outbox = outbox
        self._books = books
        self._terminal = terminal_id
        self._clock_ms = clock_ms
        self._batch = batch
        self._backoff = backoff or Backoff(first_s=1.0, max_s=300.0)
        self._idle_s = idle_s
        self._stop = threading.Event()
        self._wake = threading.Event()
        self._thread: threading.Thread | None = None

    def send_batch(self) -> int:
        """Send the next batch; how many events it held (0: none left). FleetUnavailable if not sent."""
        events = self._outbox.unsent(self._batch)
        if not events:
            return 0
        backlog = self._outbox.status().backlog
        try:
            self._books.send(self._terminal, events, backlog - len(events))
        except FleetUnavailable as exc:
            self._outbox.mark_failed(str(exc), self._clock_ms())
            raise
        self._outbox.mark_sent(events[-1].seq, self._clock_ms())
        return len(events)

    def sync_all(self) -> int:
        """Send until nothing is left; how many went. FleetUnavailable at the first batch that fails."""
        sent = 0
        while count := self.send_batch():
            sent += count
        return sent

    def status(self) -> OutboxStatus:
        return self._outbox.status()

    def poke(self) -> None:
        """Something new is in the outbox: send it now rather than at the next idle round."""
        self._wake.set()

    def start(self) -> FleetSync:
        self._thread = threading.Thread(target=self._run, name="fleet-sync", daemon=True)
        self._thread.start()
        return self

    def close(self) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout=10)
        self._books.close()

    def _run(self) -> None:
        failures = 0
        while not self._stop.is_set():
            try:
                self.sync_all()
                failures, wait_s = 0, self._idle_s
            except FleetUnavailable as exc:
                failures += 1
                wait_s = self._backoff.delay_ms(failures) / 1000
                log.warning("central books unreachable (try %d): %s", failures, exc)
            except Exception:  # a bug must not end the thread: the outbox keeps the events
                failures += 1
                wait_s = self._backoff.delay_ms(failures) / 1000
                log.exception("fleet sync failed")
                self._outbox.mark_failed(
                    _("Internal error while sending; see the kiosk's log"), self._clock_ms()
                )
            self._wake.wait(wait_s)
            self._wake.clear()
