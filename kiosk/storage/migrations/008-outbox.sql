-- Issue 19: every change to the books (a sale's state, a refund, a shift's float, a shift's close) is
-- also an immutable event here, written in the same transaction as the change, waiting to be sent to
-- the central PostgreSQL (kiosk/fleet). Selling never waits for it to be sent.
CREATE TABLE outbox (
    seq          INTEGER PRIMARY KEY AUTOINCREMENT,  -- the terminal's sequence: 1, 2, 3 ... (a rollback leaves no gap)
    key          TEXT    NOT NULL UNIQUE,            -- a UUIDv7 (RFC 9562): unique across every kiosk
    at_ms        INTEGER NOT NULL,
    kind         TEXT    NOT NULL CHECK (kind IN ('sale', 'refund', 'float', 'shift_close')),
    ref_id       INTEGER NOT NULL,                   -- the sale's, refund's or shift's id in this ledger
    state        TEXT,
    payment_hash TEXT,
    amount_msat  INTEGER,
    amount       TEXT,                               -- Decimal as text, in `currency`
    currency     TEXT,
    rate         TEXT,                               -- price of 1 BTC in currency, Decimal as text
    rate_source  TEXT,
    cashier_id   INTEGER,
    payload      TEXT    NOT NULL                    -- JSON: the whole record as it stands after the change
);

CREATE TRIGGER outbox_immutable BEFORE UPDATE ON outbox
BEGIN
    SELECT RAISE(ABORT, 'outbox events are immutable');
END;

CREATE TRIGGER outbox_kept BEFORE DELETE ON outbox
BEGIN
    SELECT RAISE(ABORT, 'outbox events are kept');
END;

-- How far the central books have the outbox: every event up to sent_seq is there.
CREATE TABLE outbox_sync (
    id              INTEGER PRIMARY KEY CHECK (id = 1),
    sent_seq        INTEGER NOT NULL DEFAULT 0,
    last_attempt_ms INTEGER,
    last_sent_ms    INTEGER,
    last_error      TEXT
);

INSERT INTO outbox_sync (id) VALUES (1);
