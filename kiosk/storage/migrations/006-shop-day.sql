-- A whole shop day on one till (issue 16): cashiers, cash sales beside Lightning ones, taxes,
-- discounts, refunds, and the cash counted at a shift's close.

-- Staff who sign in on the till, each with a PIN (scrypt record, as admin_pin) and its own lockout.
CREATE TABLE staff (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    name            TEXT    NOT NULL UNIQUE,
    role            TEXT    NOT NULL CHECK (role IN ('owner', 'manager', 'cashier')),
    hash_record     TEXT    NOT NULL,
    failures        INTEGER NOT NULL DEFAULT 0,
    locked_until_ms INTEGER NOT NULL DEFAULT 0,
    active          INTEGER NOT NULL DEFAULT 1,
    created_at_ms   INTEGER NOT NULL
);

-- The sales table again, for one CHECK: a cash sale brings no msat (amount_msat 0), a Lightning one
-- always does. SQLite cannot change a CHECK in place; migrate() runs this with foreign keys off and
-- checks them before it commits, so sale_events, sale_items, print_jobs and anomalies keep their rows.
CREATE TABLE sales_006 (
    id                   INTEGER PRIMARY KEY AUTOINCREMENT,
    created_at_ms        INTEGER NOT NULL,
    updated_at_ms        INTEGER NOT NULL,
    state                TEXT    NOT NULL,
    amount_msat          INTEGER NOT NULL CHECK (amount_msat >= 0),
    memo                 TEXT    NOT NULL,
    currency             TEXT    NOT NULL,
    fiat_amount          TEXT,
    rate                 TEXT,
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
    error                TEXT,
    tip_msat             INTEGER NOT NULL DEFAULT 0 CHECK (tip_msat >= 0),
    tip_fiat             TEXT,
    tender               TEXT    NOT NULL DEFAULT 'lightning' CHECK (tender IN ('lightning', 'cash')),
    cashier_id           INTEGER REFERENCES staff (id),
    cash_tendered        TEXT,             -- Decimal as text: what the customer handed over
    cash_change          TEXT,
    discount             TEXT,             -- every discount on the sale (lines and order)
    tip_tax              TEXT,             -- the tip's tax, when tips are taxed
    tip_tax_rate         TEXT,
    CHECK (tender = 'cash' OR amount_msat > 0),
    CHECK (tender = 'lightning' OR (amount_msat = 0 AND fiat_amount IS NOT NULL))
);

INSERT INTO sales_006 (
    id, created_at_ms, updated_at_ms, state, amount_msat, memo, currency, fiat_amount, rate, rate_source,
    bolt11, payment_hash, expires_at_ms, deadline_ms, grace_until_ms, preimage, amount_received_msat,
    paid_at_ms, settled_late, error, tip_msat, tip_fiat
)
SELECT
    id, created_at_ms, updated_at_ms, state, amount_msat, memo, currency, fiat_amount, rate, rate_source,
    bolt11, payment_hash, expires_at_ms, deadline_ms, grace_until_ms, preimage, amount_received_msat,
    paid_at_ms, settled_late, error, tip_msat, tip_fiat
FROM sales;

DROP TABLE sales;
ALTER TABLE sales_006 RENAME TO sales;
CREATE INDEX sales_state ON sales (state);
CREATE INDEX sales_paid_at ON sales (paid_at_ms) WHERE paid_at_ms IS NOT NULL;
CREATE INDEX sales_created_at ON sales (created_at_ms);

ALTER TABLE sale_items ADD COLUMN tax_rate TEXT NOT NULL DEFAULT '0';  -- percent
ALTER TABLE sale_items ADD COLUMN discount TEXT NOT NULL DEFAULT '0';  -- off this line

-- A taxed sale's goods, per rate: net + tax = gross (the tip's tax is on the sale row).
CREATE TABLE sale_taxes (
    id      INTEGER PRIMARY KEY AUTOINCREMENT,
    sale_id INTEGER NOT NULL REFERENCES sales (id),
    rate    TEXT    NOT NULL,
    net     TEXT    NOT NULL,
    tax     TEXT    NOT NULL
);

CREATE INDEX sale_taxes_sale ON sale_taxes (sale_id);

-- Refunds: recorded (pending) before any money moves; the key makes a retry the same refund.
CREATE TABLE refunds (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    sale_id       INTEGER NOT NULL REFERENCES sales (id),
    key           TEXT    NOT NULL UNIQUE,
    amount        TEXT    NOT NULL,   -- Decimal as text, in the sale's currency
    amount_msat   INTEGER NOT NULL CHECK (amount_msat >= 0),
    tender        TEXT    NOT NULL CHECK (tender IN ('lightning', 'cash')),
    mode          TEXT    NOT NULL CHECK (mode IN ('record', 'voucher')),
    state         TEXT    NOT NULL CHECK (state IN ('pending', 'done', 'failed')),
    cashier_id    INTEGER REFERENCES staff (id),
    created_at_ms INTEGER NOT NULL,
    done_at_ms    INTEGER,
    voucher       TEXT,               -- the LNURL the customer scans
    voucher_id    TEXT,               -- the node's id for the withdraw link
    error         TEXT
);

CREATE INDEX refunds_sale ON refunds (sale_id);
CREATE INDEX refunds_created_at ON refunds (created_at_ms);

-- Who opened and closed a shift, the float it opened with and the cash counted at its close.
ALTER TABLE shifts ADD COLUMN opening_float TEXT;
ALTER TABLE shifts ADD COLUMN counted_cash TEXT;
ALTER TABLE shifts ADD COLUMN opened_by INTEGER REFERENCES staff (id);
ALTER TABLE shifts ADD COLUMN closed_by INTEGER REFERENCES staff (id);
