-- Halts act per scope: a kill switch halts global, a venue or an instrument, and a cancel-all takes our
-- open orders off a scope without changing its trading state. The kill switch's rows name their target
-- (ids as in trading_state_changes, -1 for "any"; names beside them); rows stored before this version
-- were global kill switches and are marked so. Cancel-alls get their own table: who, when, why, the
-- target, and how many open orders risk counted in the scope (the orders execution cancelled).

ALTER TABLE kill_switch_events ADD COLUMN target_venue_id INT, ADD COLUMN target_instrument_id INT,
    ADD COLUMN target_venue TEXT, ADD COLUMN target_symbol TEXT;
UPDATE kill_switch_events SET target_venue_id = -1, target_instrument_id = -1 WHERE target_venue_id IS NULL;

CREATE TABLE cancel_all_events (
    run_id               TEXT        NOT NULL,
    seq                  BIGINT      NOT NULL,
    timestamp_nanos      BIGINT      NOT NULL,
    event_time           TIMESTAMPTZ GENERATED ALWAYS AS (to_timestamp(timestamp_nanos::float8 / 1e9)) STORED,
    request_id           BIGINT      NOT NULL,
    principal            TEXT,
    reason               TEXT,
    target_venue_id      INT,
    target_instrument_id INT,
    target_venue         TEXT,
    target_symbol        TEXT,
    applied              BOOLEAN,
    open_orders          BIGINT,
    message              TEXT,
    PRIMARY KEY (run_id, seq)
);

COMMENT ON COLUMN cancel_all_events.open_orders IS
    'our open orders risk counted in the scope when the cancel-all was applied (each one cancelled); NULL when refused';
