"""Print jobs as the print queue keeps them: their record, their store (a port) and their timing.

`kiosk.storage.print_jobs.PrintJobRepository` implements `PrintJobStore` on the
kiosk's SQLite file (migration 002's `print_jobs` table).
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from kiosk.i18n import N_
from kiosk.services.receipts import Copy

# Kept in a job's last_error (after any printer problem) from the restart until it prints.
INTERRUPTED = N_("The kiosk restarted while this receipt was printing: it prints again marked DUPLICATE?")
DUPLICATE_NOTICE = N_("DUPLICATE? reprint after power cut")


class JobState(enum.StrEnum):
    QUEUED = "queued"
    PRINTING = "printing"
    PRINTED = "printed"
    WAITING = "failed-waiting"


@dataclass(frozen=True)
class PrintJob:
    id: int
    sale_id: int
    copy: Copy
    reprint: bool
    state: JobState
    attempts: int
    last_error: str | None
    created_at_ms: int
    next_attempt_ms: int
    printed_at_ms: int | None

    @property
    def interrupted(self) -> bool:
        """A restart cut off this job while it was printing: its paper may already be out."""
        return INTERRUPTED in (self.last_error or "")


class PrintJobStore(Protocol):
    def queue_first_copies(self, sale_id: int, copies: Sequence[Copy], at_ms: int) -> list[PrintJob]:
        """Queue a sale's first receipts unless they are queued already; returns them, oldest first."""

    def queue_reprint(self, sale_id: int, copy: Copy, at_ms: int) -> PrintJob:
        """Queue one more copy."""

    def newest_sale_id(self) -> int | None:
        """The newest sale that has a print job."""

    def jobs(self, sale_id: int | None = None) -> list[PrintJob]:
        """Every job (of one sale), oldest first."""

    def get(self, job_id: int) -> PrintJob:
        """The job; KeyError if there is none."""

    def unprinted_count(self) -> int:
        """Jobs whose receipt has not come out yet."""

    def requeue_unfinished(self, at_ms: int, interrupted_note: str) -> int:
        """At start-up: queue again what an earlier run left, noting the ones cut off mid-print."""

    def next_due(self) -> PrintJob | None:
        """The oldest job not printed yet: queued, waiting, or left 'printing' by a failed attempt."""

    def mark_printing(self, job_id: int, attempts: int, at_ms: int) -> None: ...

    def mark_printed(self, job_id: int, at_ms: int) -> None: ...

    def mark_waiting(self, job_id: int, error: str, next_attempt_ms: int, at_ms: int) -> None: ...


@dataclass(frozen=True)
class Backoff:
    """Delay before trying a failing printer again: first_s, doubling, at most max_s."""

    first_s: float = 0.5
    max_s: float = 15.0

    def delay_ms(self, failures: int) -> int:
        return int(min(self.max_s, self.first_s * 2 ** max(0, failures - 1)) * 1000)
