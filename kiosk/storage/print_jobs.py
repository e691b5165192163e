"""Print jobs (migration 002): the `PrintJobStore` port on SQLite, one fixed statement per change."""

from __future__ import annotations

from collections.abc import Sequence

from kiosk.services.print_jobs import JobState, PrintJob
from kiosk.services.receipts import Copy
from kiosk.storage.database import Database, Row

_QUEUE = (
    "INTO print_jobs (sale_id, copy, reprint, state, created_at_ms, updated_at_ms, next_attempt_ms) "
    "VALUES (?, ?, ?, 'queued', ?, ?, ?)"
)


class PrintJobRepository:
    """Implements `kiosk.services.print_jobs.PrintJobStore`."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def queue_first_copies(self, sale_id: int, copies: Sequence[Copy], at_ms: int) -> list[PrintJob]:
        with self._db.transaction() as conn:
            conn.executemany(
                "INSERT OR IGNORE " + _QUEUE,
                [(sale_id, copy.value, 0, at_ms, at_ms, at_ms) for copy in copies],
            )
            rows = conn.execute(
                "SELECT * FROM print_jobs WHERE sale_id = ? AND reprint = 0 ORDER BY id", (sale_id,)
            ).fetchall()
        return [_job(r) for r in rows]

    def queue_reprint(self, sale_id: int, copy: Copy, at_ms: int) -> PrintJob:
        with self._db.transaction() as conn:
            cur = conn.execute("INSERT " + _QUEUE, (sale_id, copy.value, 1, at_ms, at_ms, at_ms))
            return _job(conn.execute("SELECT * FROM print_jobs WHERE id = ?", (cur.lastrowid,)).fetchone())

    def newest_sale_id(self) -> int | None:
        with self._db.read() as conn:
            return conn.execute("SELECT MAX(sale_id) FROM print_jobs").fetchone()[0]

    def jobs(self, sale_id: int | None = None) -> list[PrintJob]:
        with self._db.read() as conn:
            if sale_id is None:
                rows = conn.execute("SELECT * FROM print_jobs ORDER BY id").fetchall()
            else:
                rows = conn.execute(
                    "SELECT * FROM print_jobs WHERE sale_id = ? ORDER BY id", (sale_id,)
                ).fetchall()
        return [_job(r) for r in rows]

    def get(self, job_id: int) -> PrintJob:
        with self._db.read() as conn:
            row = conn.execute("SELECT * FROM print_jobs WHERE id = ?", (job_id,)).fetchone()
        if row is None:
            raise KeyError(job_id)
        return _job(row)

    def unprinted_count(self) -> int:
        with self._db.read() as conn:
            return conn.execute("SELECT COUNT(*) FROM print_jobs WHERE state != 'printed'").fetchone()[0]

    def requeue_unfinished(self, at_ms: int, interrupted_note: str) -> int:
        with self._db.transaction() as conn:
            cut_off = conn.execute(
                "UPDATE print_jobs SET state = 'queued', next_attempt_ms = ?, updated_at_ms = ?, "
                "last_error = ? WHERE state = 'printing'",
                (at_ms, at_ms, interrupted_note),
            ).rowcount
            waiting = conn.execute(
                "UPDATE print_jobs SET state = 'queued', next_attempt_ms = ?, updated_at_ms = ? "
                "WHERE state = 'failed-waiting'",
                (at_ms, at_ms),
            ).rowcount
        return cut_off + waiting

    def next_due(self) -> PrintJob | None:
        with self._db.read() as conn:
            row = conn.execute(
                "SELECT * FROM print_jobs WHERE state != 'printed' ORDER BY id LIMIT 1"
            ).fetchone()
        return None if row is None else _job(row)

    def mark_printing(self, job_id: int, attempts: int, at_ms: int) -> None:
        self._update(
            "UPDATE print_jobs SET state = 'printing', attempts = ?, updated_at_ms = ? WHERE id = ?",
            (attempts, at_ms, job_id),
        )

    def mark_printed(self, job_id: int, at_ms: int) -> None:
        self._update(
            "UPDATE print_jobs SET state = 'printed', printed_at_ms = ?, updated_at_ms = ? WHERE id = ?",
            (at_ms, at_ms, job_id),
        )

    def mark_waiting(self, job_id: int, error: str, next_attempt_ms: int, at_ms: int) -> None:
        self._update(
            "UPDATE print_jobs SET state = 'failed-waiting', last_error = ?, next_attempt_ms = ?, "
            "updated_at_ms = ? WHERE id = ?",
            (error, next_attempt_ms, at_ms, job_id),
        )

    def _update(self, statement: str, params: tuple[object, ...]) -> None:
        with self._db.transaction() as conn:
            if conn.execute(statement, params).rowcount != 1:
                raise KeyError(params[-1])


def _job(row: Row) -> PrintJob:
    return PrintJob(
        id=row["id"],
        sale_id=row["sale_id"],
        copy=Copy(row["copy"]),
        reprint=bool(row["reprint"]),
        state=JobState(row["state"]),
        attempts=row["attempts"],
        last_error=row["last_error"],
        created_at_ms=row["created_at_ms"],
        next_attempt_ms=row["next_attempt_ms"],
        printed_at_ms=row["printed_at_ms"],
    )
