-- Runs share a schema: every audit key starts with the run id (io.mme.audit.RunId, kept in the run
-- directory's run-id file). Before this, rows were keyed by journal sequence alone and a second run
-- directory's rows collided with the first's (ON CONFLICT DO NOTHING dropped them).
-- Rows stored before run ids existed are kept and given the run id 'legacy'. The column has no
-- default afterwards: the store always names its run, so a row without one is an error, not 'legacy'.
-- Numbered 10, not 3, so that other migrations can take the numbers in between.

ALTER TABLE orders ADD COLUMN run_id TEXT NOT NULL DEFAULT 'legacy';
ALTER TABLE orders ALTER COLUMN run_id DROP DEFAULT;
ALTER TABLE orders DROP CONSTRAINT orders_pkey;
ALTER TABLE orders ADD PRIMARY KEY (run_id, cause_seq, ordinal);
DROP INDEX orders_client_order_id;
CREATE INDEX orders_client_order_id ON orders (run_id, client_order_id);

ALTER TABLE executions ADD COLUMN run_id TEXT NOT NULL DEFAULT 'legacy';
ALTER TABLE executions ALTER COLUMN run_id DROP DEFAULT;
ALTER TABLE executions DROP CONSTRAINT executions_pkey;
ALTER TABLE executions ADD PRIMARY KEY (run_id, seq);
DROP INDEX executions_client_order_id;
CREATE INDEX executions_client_order_id ON executions (run_id, client_order_id);

ALTER TABLE risk_decisions ADD COLUMN run_id TEXT NOT NULL DEFAULT 'legacy';
ALTER TABLE risk_decisions ALTER COLUMN run_id DROP DEFAULT;
ALTER TABLE risk_decisions DROP CONSTRAINT risk_decisions_pkey;
ALTER TABLE risk_decisions ADD PRIMARY KEY (run_id, seq, intent_index);

ALTER TABLE limit_changes ADD COLUMN run_id TEXT NOT NULL DEFAULT 'legacy';
ALTER TABLE limit_changes ALTER COLUMN run_id DROP DEFAULT;
ALTER TABLE limit_changes DROP CONSTRAINT limit_changes_pkey;
ALTER TABLE limit_changes ADD PRIMARY KEY (run_id, seq);

ALTER TABLE trading_state_changes ADD COLUMN run_id TEXT NOT NULL DEFAULT 'legacy';
ALTER TABLE trading_state_changes ALTER COLUMN run_id DROP DEFAULT;
ALTER TABLE trading_state_changes DROP CONSTRAINT trading_state_changes_pkey;
ALTER TABLE trading_state_changes ADD PRIMARY KEY (run_id, seq);

ALTER TABLE kill_switch_events ADD COLUMN run_id TEXT NOT NULL DEFAULT 'legacy';
ALTER TABLE kill_switch_events ALTER COLUMN run_id DROP DEFAULT;
ALTER TABLE kill_switch_events DROP CONSTRAINT kill_switch_events_pkey;
ALTER TABLE kill_switch_events ADD PRIMARY KEY (run_id, seq);

ALTER TABLE strategy_changes ADD COLUMN run_id TEXT NOT NULL DEFAULT 'legacy';
ALTER TABLE strategy_changes ALTER COLUMN run_id DROP DEFAULT;
ALTER TABLE strategy_changes DROP CONSTRAINT strategy_changes_pkey;
ALTER TABLE strategy_changes ADD PRIMARY KEY (run_id, seq);

ALTER TABLE pnl_snapshots ADD COLUMN run_id TEXT NOT NULL DEFAULT 'legacy';
ALTER TABLE pnl_snapshots ALTER COLUMN run_id DROP DEFAULT;
ALTER TABLE pnl_snapshots DROP CONSTRAINT pnl_snapshots_pkey;
ALTER TABLE pnl_snapshots ADD PRIMARY KEY (run_id, taken_at_nanos, instrument_id);

ALTER TABLE audit_progress ADD COLUMN run_id TEXT NOT NULL DEFAULT 'legacy';
ALTER TABLE audit_progress ALTER COLUMN run_id DROP DEFAULT;
ALTER TABLE audit_progress DROP CONSTRAINT audit_progress_pkey;
ALTER TABLE audit_progress ADD PRIMARY KEY (run_id, queue);

-- one row per run that ever drained into this schema: where its journal was, when it was first and
-- last seen (each start of its store); 'legacy' when rows from before run ids exist
CREATE TABLE audit_runs (
    run_id            TEXT        NOT NULL PRIMARY KEY,
    run_directory     TEXT,
    first_seen        TIMESTAMPTZ NOT NULL DEFAULT now(),
    last_seen         TIMESTAMPTZ NOT NULL DEFAULT now()
);
INSERT INTO audit_runs (run_id, run_directory)
SELECT 'legacy', NULL WHERE EXISTS (SELECT 1 FROM audit_progress);
