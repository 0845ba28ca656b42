-- Names beside the ids in the change tables, so that a compliance officer reads who changed what on
-- which venue and instrument without the engine's registry: venue names as in the other tables
-- (BINANCE, COINBASE, KRAKEN), the instrument's venue symbol (NULL when the instrument is not in the
-- registry the store was given), and the kill switch's global trading state before and after.
-- Existing rows are kept: venue names are filled in from the ids (the venue ids are fixed); symbols
-- and the kill switch's states are not known for them and stay NULL.

ALTER TABLE limit_changes ADD COLUMN target_venue TEXT, ADD COLUMN target_symbol TEXT;
ALTER TABLE trading_state_changes ADD COLUMN target_venue TEXT, ADD COLUMN target_symbol TEXT;
ALTER TABLE kill_switch_events ADD COLUMN old_state TEXT, ADD COLUMN new_state TEXT;

UPDATE limit_changes SET target_venue = CASE target_venue_id WHEN 0 THEN 'BINANCE' WHEN 1 THEN 'COINBASE' WHEN 2 THEN 'KRAKEN' END
 WHERE target_venue IS NULL;
UPDATE trading_state_changes SET target_venue = CASE target_venue_id WHEN 0 THEN 'BINANCE' WHEN 1 THEN 'COINBASE' WHEN 2 THEN 'KRAKEN' END
 WHERE target_venue IS NULL;

-- Strategy start/stop rows written before this version carry a constant instead of the observed
-- old value (a start always said 0, a stop 1, whatever the strategy was doing): "not known" is the
-- truth for them. From this version on old_value is 1 when the strategy was quoting, 0 when not.
UPDATE strategy_changes SET old_value = NULL WHERE command IN ('strategy.start', 'strategy.stop');

COMMENT ON COLUMN strategy_changes.old_value IS
    'strategy.set: the parameter before; strategy.start/stop: 1 when it was quoting, 0 when not; NULL: refused, unanswered or not known (rows before V3)';
