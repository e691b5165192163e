-- Every sale the kiosk ever charged, and each state it went through.
CREATE TABLE sales (
    id                   INTEGER PRIMARY KEY AUTOINCREMENT,
    created_at_ms        INTEGER NOT NULL,
    updated_at_ms        INTEGER NOT NULL,
    state                TEXT    NOT NULL,
    amount_msat          INTEGER NOT NULL CHECK (amount_msat > 0),
    memo                 TEXT    NOT NULL,
    currency             TEXT    NOT NULL,
    fiat_amount          TEXT,             -- Decimal as text: exact
    rate                 TEXT,             -- price of 1 BTC in currency, Decimal as text
    rate_source          TEXT,
    bolt11               TEXT,
    payment_hash         TEXT UNIQUE,
    expires_at_ms        INTEGER,
    deadline_ms          INTEGER,
    grace_until_ms       INTEGER,
    preimage             TEXT,
    amount_received_msat INTEGER,
    paid_at_ms           INTEGER,
    settled_late         INTEGER NOT NULL DEFAULT 0,
    error                TEXT
);

CREATE INDEX sales_state ON sales (state);

CREATE TABLE sale_events (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    sale_id    INTEGER NOT NULL REFERENCES sales (id),
    at_ms      INTEGER NOT NULL,
    from_state TEXT,
    to_state   TEXT NOT NULL
);

CREATE INDEX sale_events_sale ON sale_events (sale_id);
