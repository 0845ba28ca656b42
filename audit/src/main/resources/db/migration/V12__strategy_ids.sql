-- A desk runs several strategies (issue 16): strategy commands and PnL snapshots carry the id of
-- the strategy they concern. Rows written before keep NULL (one strategy, or not known); a
-- command addressed to every strategy (no target) has NULL too.
ALTER TABLE strategy_changes ADD COLUMN strategy_id TEXT;
ALTER TABLE pnl_snapshots ADD COLUMN strategy_id TEXT;
CREATE INDEX strategy_changes_strategy ON strategy_changes (strategy_id, seq);
