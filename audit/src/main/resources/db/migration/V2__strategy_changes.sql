-- A trader's strategy commands (parameters, start, stop) with who, when, why and the strategy's
-- answer; keyed, like every table, by the journal sequence of the control event.
CREATE TABLE strategy_changes (
    seq               BIGINT      NOT NULL PRIMARY KEY,
    timestamp_nanos   BIGINT      NOT NULL,
    event_time        TIMESTAMPTZ GENERATED ALWAYS AS (to_timestamp(timestamp_nanos::float8 / 1e9)) STORED,
    request_id        BIGINT      NOT NULL,
    principal         TEXT,
    reason            TEXT,
    command           TEXT        NOT NULL,
    parameter_key     TEXT,
    requested_value   BIGINT      NOT NULL,
    applied           BOOLEAN,
    old_value         BIGINT,
    message           TEXT
);
