-- The L3 audit trail (io.mme.audit.store.AuditStore drains the run's journals into these).
-- Unqualified names: Flyway runs this with the configured schema as the search path.
-- Every table's primary key is the journal's own key (the inbound sequence, or the order command's
-- cause sequence + ordinal), and every insert is ON CONFLICT DO NOTHING: a replayed write is a no-op.
-- Prices and quantities are exact NUMERIC (ticks x tick size, lots x lot size) beside the raw ticks
-- and lots; NULL when the instrument is not in the registry the store was given.
-- *_nanos are epoch nanoseconds as journaled; event_time is the same instant for people.

CREATE TABLE orders (
    cause_seq        BIGINT      NOT NULL,
    ordinal          INTEGER     NOT NULL,
    type             TEXT        NOT NULL,
    timestamp_nanos  BIGINT      NOT NULL,
    event_time       TIMESTAMPTZ GENERATED ALWAYS AS (to_timestamp(timestamp_nanos::float8 / 1e9)) STORED,
    venue_id         INTEGER     NOT NULL,
    venue            TEXT,
    instrument_id    INTEGER     NOT NULL,
    symbol           TEXT,
    owner_id         BIGINT      NOT NULL,
    client_order_id  BIGINT      NOT NULL,
    target_order_id  BIGINT      NOT NULL,
    side             TEXT,
    price            NUMERIC,
    price_ticks      BIGINT      NOT NULL,
    quantity         NUMERIC,
    quantity_lots    BIGINT      NOT NULL,
    time_in_force    TEXT,
    post_only        BOOLEAN     NOT NULL,
    market           BOOLEAN     NOT NULL,
    recovered        BOOLEAN     NOT NULL,
    PRIMARY KEY (cause_seq, ordinal)
);
CREATE INDEX orders_client_order_id ON orders (client_order_id);

-- every EXECUTION_REPORT of our account, venue and synthetic (risk/execution refusals) alike
CREATE TABLE executions (
    seq              BIGINT      NOT NULL PRIMARY KEY,
    timestamp_nanos  BIGINT      NOT NULL,
    event_time       TIMESTAMPTZ GENERATED ALWAYS AS (to_timestamp(timestamp_nanos::float8 / 1e9)) STORED,
    exec_type        TEXT        NOT NULL,
    venue_id         INTEGER     NOT NULL,
    venue            TEXT,
    instrument_id    INTEGER     NOT NULL,
    symbol           TEXT,
    client_order_id  BIGINT      NOT NULL,
    venue_order_id   BIGINT      NOT NULL,
    side             TEXT,
    price            NUMERIC,
    price_ticks      BIGINT      NOT NULL,
    leaves           NUMERIC,
    leaves_lots      BIGINT      NOT NULL,
    venue_ts_nanos   BIGINT      NOT NULL,
    trade_id         BIGINT      NOT NULL,
    last_price       NUMERIC,
    last_price_ticks BIGINT      NOT NULL,
    last_quantity    NUMERIC,
    last_qty_lots    BIGINT      NOT NULL,
    maker            BOOLEAN     NOT NULL,
    reason_code      INTEGER     NOT NULL,
    owner_id         BIGINT      NOT NULL,
    synthetic        BOOLEAN     NOT NULL
);
CREATE INDEX executions_client_order_id ON executions (client_order_id);

-- quote intents with the risk verdict (the rejected ones, or all: AuditStoreConfig.allIntents)
CREATE TABLE risk_decisions (
    seq              BIGINT      NOT NULL,
    intent_index     INTEGER     NOT NULL,
    timestamp_nanos  BIGINT      NOT NULL,
    event_time       TIMESTAMPTZ GENERATED ALWAYS AS (to_timestamp(timestamp_nanos::float8 / 1e9)) STORED,
    action           TEXT        NOT NULL,
    venue_id         INTEGER     NOT NULL,
    venue            TEXT,
    instrument_id    INTEGER     NOT NULL,
    symbol           TEXT,
    side             TEXT        NOT NULL,
    level            INTEGER     NOT NULL,
    price            NUMERIC,
    price_ticks      BIGINT      NOT NULL,
    quantity         NUMERIC,
    quantity_lots    BIGINT      NOT NULL,
    target_order_id  BIGINT      NOT NULL,
    verdict          TEXT        NOT NULL,
    reject_code      INTEGER     NOT NULL,
    reject_name      TEXT,
    PRIMARY KEY (seq, intent_index)
);

-- limit.set control commands and the risk engine's answer (applied NULL: nobody answered)
CREATE TABLE limit_changes (
    seq               BIGINT      NOT NULL PRIMARY KEY,
    timestamp_nanos   BIGINT      NOT NULL,
    event_time        TIMESTAMPTZ GENERATED ALWAYS AS (to_timestamp(timestamp_nanos::float8 / 1e9)) STORED,
    request_id        BIGINT      NOT NULL,
    principal         TEXT,
    reason            TEXT,
    limit_key         TEXT,
    target_venue_id   INTEGER     NOT NULL,
    target_instrument_id INTEGER  NOT NULL,
    requested_value   BIGINT      NOT NULL,
    applied           BOOLEAN,
    old_value         BIGINT,
    message           TEXT
);

CREATE TABLE trading_state_changes (
    seq               BIGINT      NOT NULL PRIMARY KEY,
    timestamp_nanos   BIGINT      NOT NULL,
    event_time        TIMESTAMPTZ GENERATED ALWAYS AS (to_timestamp(timestamp_nanos::float8 / 1e9)) STORED,
    request_id        BIGINT      NOT NULL,
    principal         TEXT,
    reason            TEXT,
    target_venue_id   INTEGER     NOT NULL,
    target_instrument_id INTEGER  NOT NULL,
    new_state         TEXT,
    applied           BOOLEAN,
    old_state         TEXT,
    message           TEXT
);

CREATE TABLE kill_switch_events (
    seq               BIGINT      NOT NULL PRIMARY KEY,
    timestamp_nanos   BIGINT      NOT NULL,
    event_time        TIMESTAMPTZ GENERATED ALWAYS AS (to_timestamp(timestamp_nanos::float8 / 1e9)) STORED,
    request_id        BIGINT      NOT NULL,
    principal         TEXT,
    reason            TEXT,
    applied           BOOLEAN,
    message           TEXT
);

-- written through AuditStore.recordPnl from the risk engine's view; money in the quote asset
CREATE TABLE pnl_snapshots (
    taken_at_nanos    BIGINT      NOT NULL,
    instrument_id     INTEGER     NOT NULL,
    taken_at          TIMESTAMPTZ GENERATED ALWAYS AS (to_timestamp(taken_at_nanos::float8 / 1e9)) STORED,
    symbol            TEXT,
    position          NUMERIC,
    position_lots     BIGINT      NOT NULL,
    average_cost      NUMERIC     NOT NULL,
    realized          NUMERIC     NOT NULL,
    unrealized        NUMERIC     NOT NULL,
    fees              NUMERIC     NOT NULL,
    PRIMARY KEY (taken_at_nanos, instrument_id)
);

-- per journal queue, the index of the last record whose rows are committed; written in the same
-- transaction as those rows, so a restart resumes exactly after them
CREATE TABLE audit_progress (
    queue             TEXT        NOT NULL PRIMARY KEY,
    last_index        BIGINT      NOT NULL,
    records           BIGINT      NOT NULL,
    updated_at        TIMESTAMPTZ NOT NULL DEFAULT now()
);
