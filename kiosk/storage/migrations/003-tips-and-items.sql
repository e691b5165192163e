-- Tips are recorded on their own; catalog sales keep their lines.
ALTER TABLE sales ADD COLUMN tip_msat INTEGER NOT NULL DEFAULT 0 CHECK (tip_msat >= 0);
ALTER TABLE sales ADD COLUMN tip_fiat TEXT;  -- Decimal as text, in the sale's currency

CREATE TABLE sale_items (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    sale_id    INTEGER NOT NULL REFERENCES sales (id),
    name       TEXT    NOT NULL,
    quantity   INTEGER NOT NULL CHECK (quantity > 0),
    unit_price TEXT    NOT NULL  -- Decimal as text, in the sale's currency (sats for a sats sale)
);

CREATE INDEX sale_items_sale ON sale_items (sale_id);
