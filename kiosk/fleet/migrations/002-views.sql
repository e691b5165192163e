-- Views for reports and BI tools (Metabase, Grafana, a spreadsheet over ODBC), read by fleet_report.
-- Each record (a sale, a refund, a shift) as its newest event has it.
CREATE VIEW fleet.latest AS
SELECT DISTINCT ON (e.terminal_id, r.record, e.ref_id) e.*, r.record, t.shop, t.timezone
  FROM fleet.events e JOIN fleet.terminals t USING (terminal_id),
       LATERAL (SELECT CASE WHEN e.kind IN ('float', 'shift_close') THEN 'shift' ELSE e.kind END AS record) r
 ORDER BY e.terminal_id, r.record, e.ref_id, e.seq DESC;

CREATE VIEW fleet.sales AS
SELECT terminal_id, shop, ref_id AS sale_id, state, payment_hash, currency,
       amount AS fiat_amount, amount_msat AS received_msat, rate, rate_source, cashier_id,
       payload ->> 'tender' AS tender,
       (payload ->> 'tip_msat')::bigint AS tip_msat,
       (payload ->> 'tip_fiat')::numeric AS tip_fiat,
       (payload ->> 'discount')::numeric AS discount,
       (payload ->> 'settled_late')::boolean AS settled_late,
       to_timestamp((payload ->> 'created_at_ms')::bigint / 1000.0) AS created_at,
       to_timestamp((payload ->> 'paid_at_ms')::bigint / 1000.0) AS paid_at,
       (to_timestamp((payload ->> 'paid_at_ms')::bigint / 1000.0) AT TIME ZONE timezone)::date AS day
  FROM fleet.latest WHERE kind = 'sale';

CREATE VIEW fleet.sale_taxes AS
SELECT l.terminal_id, l.shop, l.ref_id AS sale_id, l.currency,
       (to_timestamp((l.payload ->> 'paid_at_ms')::bigint / 1000.0) AT TIME ZONE l.timezone)::date AS day,
       (t ->> 'rate')::numeric AS rate, (t ->> 'net')::numeric AS net, (t ->> 'tax')::numeric AS tax
  FROM fleet.latest l, jsonb_array_elements(l.payload -> 'taxes') t
 WHERE l.kind = 'sale' AND l.payload ->> 'paid_at_ms' IS NOT NULL;

CREATE VIEW fleet.refunds AS
SELECT terminal_id, shop, ref_id AS refund_id, (payload ->> 'sale_id')::bigint AS sale_id, state,
       amount, amount_msat AS refunded_msat, payload ->> 'tender' AS tender, cashier_id,
       state <> 'failed' AS counts,
       to_timestamp((payload ->> 'created_at_ms')::bigint / 1000.0) AS created_at,
       (to_timestamp((payload ->> 'created_at_ms')::bigint / 1000.0) AT TIME ZONE timezone)::date AS day
  FROM fleet.latest WHERE kind = 'refund';

CREATE VIEW fleet.shifts AS
SELECT terminal_id, shop, ref_id AS shift_id,
       to_timestamp((payload ->> 'opened_at_ms')::bigint / 1000.0) AS opened_at,
       to_timestamp((payload ->> 'closed_at_ms')::bigint / 1000.0) AS closed_at,
       (payload ->> 'opening_float')::numeric AS opening_float,
       (payload ->> 'counted_cash')::numeric AS counted_cash,
       (payload ->> 'closed_by')::bigint AS closed_by
  FROM fleet.latest WHERE record = 'shift';

-- Paid sales per terminal, shop, cashier, tender and day (the shop's time zone), in each currency.
CREATE VIEW fleet.daily_sales AS
SELECT terminal_id, shop, day, currency, tender, cashier_id, count(*) AS sales,
       sum(fiat_amount) AS fiat_amount, sum(received_msat) AS received_msat,
       sum(tip_msat) AS tip_msat, sum(tip_fiat) AS tip_fiat, sum(discount) AS discount
  FROM fleet.sales WHERE paid_at IS NOT NULL
 GROUP BY terminal_id, shop, day, currency, tender, cashier_id;

CREATE VIEW fleet.daily_refunds AS
SELECT terminal_id, shop, day, tender, cashier_id, count(*) AS refunds,
       sum(amount) AS amount, sum(refunded_msat) AS refunded_msat
  FROM fleet.refunds WHERE counts
 GROUP BY terminal_id, shop, day, tender, cashier_id;

-- Sequence numbers a terminal's events skip: events that never arrived (a ledger restored from an
-- older backup, say). The kiosk sends in order, so a gap is never just "not sent yet".
CREATE VIEW fleet.gaps AS
SELECT terminal_id, prev + 1 AS first_missing, seq - 1 AS last_missing
  FROM (SELECT terminal_id, seq, lag(seq, 1, 0::bigint) OVER (PARTITION BY terminal_id ORDER BY seq) AS prev
          FROM fleet.events) s
 WHERE seq > prev + 1;

CREATE VIEW fleet.sync_status AS
SELECT t.terminal_id, t.shop, e.last_seq, e.events, e.last_received,
       e.last_received - to_timestamp(e.last_at_ms / 1000.0) AS lag,
       h.at AS last_heartbeat, h.backlog,
       (SELECT count(*) FROM fleet.gaps g WHERE g.terminal_id = t.terminal_id) AS gaps
  FROM fleet.terminals t
  LEFT JOIN LATERAL (SELECT max(seq) AS last_seq, count(*) AS events, max(received_at) AS last_received,
                            (array_agg(at_ms ORDER BY seq DESC))[1] AS last_at_ms
                       FROM fleet.events ev WHERE ev.terminal_id = t.terminal_id) e ON true
  LEFT JOIN LATERAL (SELECT at, backlog FROM fleet.heartbeats hb WHERE hb.terminal_id = t.terminal_id
                      ORDER BY at DESC LIMIT 1) h ON true;

GRANT SELECT ON ALL TABLES IN SCHEMA fleet TO fleet_report;
