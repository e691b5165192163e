-- Receipts waiting for, being sent to, or done on the printer. A job outlives a
-- restart: one left in 'printing' by a power cut is queued again at start-up.
CREATE TABLE print_jobs (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    sale_id         INTEGER NOT NULL REFERENCES sales (id),
    copy            TEXT    NOT NULL CHECK (copy IN ('customer', 'merchant')),
    reprint         INTEGER NOT NULL DEFAULT 0,
    state           TEXT    NOT NULL CHECK (state IN ('queued', 'printing', 'printed', 'failed-waiting')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    last_error      TEXT,
    created_at_ms   INTEGER NOT NULL,
    updated_at_ms   INTEGER NOT NULL,
    next_attempt_ms INTEGER NOT NULL,
    printed_at_ms   INTEGER
);

-- A sale's first receipts are queued once, however often its payment is reported.
CREATE UNIQUE INDEX print_jobs_first_copy ON print_jobs (sale_id, copy) WHERE reprint = 0;
CREATE INDEX print_jobs_pending ON print_jobs (state, next_attempt_ms);
