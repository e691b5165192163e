-- The central books (issue 19): every kiosk's outbox events, as they were written, once each.
CREATE TABLE fleet.terminals (
    terminal_id text PRIMARY KEY CHECK (terminal_id ~ '^[a-z0-9][a-z0-9_-]{0,39}$'),
    shop        text NOT NULL DEFAULT '',
    timezone    text NOT NULL DEFAULT 'UTC',
    currency    text NOT NULL DEFAULT 'SAT',  -- the shop's: its cash drawer's
    added_at    timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE fleet.events (
    terminal_id  text   NOT NULL REFERENCES fleet.terminals,
    seq          bigint NOT NULL CHECK (seq > 0),
    key          uuid   NOT NULL UNIQUE,
    at_ms        bigint NOT NULL,
    kind         text   NOT NULL,
    ref_id       bigint NOT NULL,
    state        text,
    payment_hash text,
    amount_msat  bigint,
    amount       numeric,
    currency     text,
    rate         numeric,
    rate_source  text,
    cashier_id   bigint,
    payload      jsonb  NOT NULL,
    received_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (terminal_id, seq)
);

CREATE INDEX events_record ON fleet.events (terminal_id, kind, ref_id, seq DESC);

-- Each sync round's word on what the kiosk still holds: the backlog the central side cannot see.
CREATE TABLE fleet.heartbeats (
    terminal_id text   NOT NULL REFERENCES fleet.terminals,
    at          timestamptz NOT NULL DEFAULT now(),
    last_seq    bigint NOT NULL,
    backlog     bigint NOT NULL
);

CREATE INDEX heartbeats_latest ON fleet.heartbeats (terminal_id, at DESC);

-- A kiosk's role (fleet_kiosk_<terminal id>, a member of fleet_kiosk) may insert its own rows and
-- read none: a stolen kiosk's credential cannot read or alter another kiosk's books, nor its own.
ALTER TABLE fleet.events ENABLE ROW LEVEL SECURITY;
ALTER TABLE fleet.heartbeats ENABLE ROW LEVEL SECURITY;
CREATE POLICY own_events ON fleet.events FOR INSERT TO fleet_kiosk
    WITH CHECK (current_user::text = 'fleet_kiosk_' || terminal_id);
CREATE POLICY own_heartbeats ON fleet.heartbeats FOR INSERT TO fleet_kiosk
    WITH CHECK (current_user::text = 'fleet_kiosk_' || terminal_id);
CREATE POLICY report_events ON fleet.events FOR SELECT TO fleet_report USING (true);
CREATE POLICY report_heartbeats ON fleet.heartbeats FOR SELECT TO fleet_report USING (true);

GRANT USAGE ON SCHEMA fleet TO fleet_kiosk, fleet_report;
GRANT INSERT ON fleet.events, fleet.heartbeats TO fleet_kiosk;
GRANT SELECT ON fleet.terminals, fleet.events, fleet.heartbeats TO fleet_report;
