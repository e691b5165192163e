-- A node's "paid" that came without proof (no preimage, a preimage that does not hash to the
-- payment hash, or less received than asked): the sale stayed payable. Kept for `doctor` and the
-- owner. The preimage is never stored; the payment hash is public (it is in the QR code).
CREATE TABLE anomalies (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    at_ms         INTEGER NOT NULL,
    sale_id       INTEGER NOT NULL REFERENCES sales (id),
    payment_hash  TEXT NOT NULL,
    reason        TEXT NOT NULL CHECK (reason IN ('no_preimage', 'wrong_preimage', 'short')),
    received_msat INTEGER NOT NULL CHECK (received_msat >= 0),
    asked_msat    INTEGER NOT NULL CHECK (asked_msat > 0)
);
