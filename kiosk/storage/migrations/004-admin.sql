-- The admin area: the PIN and its lockout, shifts closed with a Z-report, settings changed on the device.

-- One row: the PIN's scrypt record and the failed attempts since the last good one. Kept on disk so a
-- restart (pulling the plug) does not reset the lockout.
CREATE TABLE admin_pin (
    id              INTEGER PRIMARY KEY CHECK (id = 1),
    hash_record     TEXT,                    -- scrypt$n$r$p$salt$hash; NULL until the merchant sets one
    failures        INTEGER NOT NULL DEFAULT 0,
    locked_until_ms INTEGER NOT NULL DEFAULT 0,
    updated_at_ms   INTEGER NOT NULL
);

-- A shift runs from opened_at_ms until it is closed; money counts in the shift it arrived in
-- (paid_at_ms), attempts (failed, expired, cancelled) in the shift they were made in.
CREATE TABLE shifts (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    opened_at_ms INTEGER NOT NULL,
    closed_at_ms INTEGER CHECK (closed_at_ms IS NULL OR closed_at_ms >= opened_at_ms)
);

-- At most one open shift.
CREATE UNIQUE INDEX shifts_one_open ON shifts ((closed_at_ms IS NULL)) WHERE closed_at_ms IS NULL;

-- Settings the merchant changed on the device; they override the config file's value.
CREATE TABLE settings (
    key           TEXT PRIMARY KEY,
    value         TEXT NOT NULL,
    updated_at_ms INTEGER NOT NULL
);

-- The admin's history is read newest first and by time window (Z-report).
CREATE INDEX sales_paid_at ON sales (paid_at_ms) WHERE paid_at_ms IS NOT NULL;
CREATE INDEX sales_created_at ON sales (created_at_ms);
