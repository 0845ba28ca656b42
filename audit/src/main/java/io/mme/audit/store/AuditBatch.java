package io.mme.audit.store;

import java.util.List;

/**
 * The rows of one transaction, table by table, and for each journal queue the index of the last
 * record they cover (the progress row written in the same transaction). Reused batch after batch;
 * owned by the store's drain thread.
 */
final class AuditBatch {
    static final int QUEUES = 3;
    static final int INPUTS = 0;
    static final int DECISIONS = 1;
    static final int ORDERS = 2;
    /** the queue names of audit_progress (with the run id, its key), which are also the queue directories in a run directory */
    static final String[] QUEUE_NAMES = {"queue", "decisions", "orders"};

    final AuditTable orders = AuditTable.of("orders", """
            run_id text, cause_seq bigint, ordinal int, type text, timestamp_nanos bigint, venue_id int, venue text, instrument_id int,
            symbol text, owner_id bigint, client_order_id bigint, target_order_id bigint, side text, price numeric,
            price_ticks bigint, quantity numeric, quantity_lots bigint, time_in_force text, post_only bool, market bool,
            recovered bool""");
    final AuditTable executions = AuditTable.of("executions", """
            run_id text, seq bigint, timestamp_nanos bigint, exec_type text, venue_id int, venue text, instrument_id int, symbol text,
            client_order_id bigint, venue_order_id bigint, side text, price numeric, price_ticks bigint, leaves numeric,
            leaves_lots bigint, venue_ts_nanos bigint, trade_id bigint, last_price numeric, last_price_ticks bigint,
            last_quantity numeric, last_qty_lots bigint, maker bool, reason_code int, owner_id bigint, synthetic bool""");
    final AuditTable riskDecisions = AuditTable.of("risk_decisions", """
            run_id text, seq bigint, intent_index int, timestamp_nanos bigint, action text, venue_id int, venue text, instrument_id int,
            symbol text, side text, level int, price numeric, price_ticks bigint, quantity numeric, quantity_lots bigint,
            target_order_id bigint, verdict text, reject_code int, reject_name text""");
    final AuditTable limitChanges = AuditTable.of("limit_changes", """
            run_id text, seq bigint, timestamp_nanos bigint, request_id bigint, principal text, reason text, limit_key text,
            target_venue_id int, target_instrument_id int, requested_value bigint, applied bool, old_value bigint,
            message text, target_venue text, target_symbol text""");
    final AuditTable tradingStateChanges = AuditTable.of("trading_state_changes", """
            run_id text, seq bigint, timestamp_nanos bigint, request_id bigint, principal text, reason text, target_venue_id int,
            target_instrument_id int, new_state text, applied bool, old_state text, message text, target_venue text,
            target_symbol text""");
    final AuditTable killSwitchEvents = AuditTable.of("kill_switch_events", """
            run_id text, seq bigint, timestamp_nanos bigint, request_id bigint, principal text, reason text, applied bool, message text,
            old_state text, new_state text, target_venue_id int, target_instrument_id int, target_venue text, target_symbol text""");
    final AuditTable cancelAllEvents = AuditTable.of("cancel_all_events", """
            run_id text, seq bigint, timestamp_nanos bigint, request_id bigint, principal text, reason text, target_venue_id int,
            target_instrument_id int, target_venue text, target_symbol text, applied bool, open_orders bigint, message text""");
    final AuditTable strategyChanges = AuditTable.of("strategy_changes", """
            run_id text, seq bigint, timestamp_nanos bigint, request_id bigint, principal text, reason text, command text,
            parameter_key text, requested_value bigint, applied bool, old_value bigint, message text, strategy_id text""");
    final AuditTable pnlSnapshots = AuditTable.of("pnl_snapshots", """
            run_id text, taken_at_nanos bigint, instrument_id int, symbol text, position numeric, position_lots bigint,
            average_cost numeric, realized numeric, unrealized numeric, fees numeric, strategy_id text""");

    final List<AuditTable> tables = List.of(orders, executions, riskDecisions, limitChanges, tradingStateChanges,
            killSwitchEvents, cancelAllEvents, strategyChanges, pnlSnapshots);

    /** per queue: index of the last record in this batch, or -1 when the batch has none of it */
    final long[] lastIndex = new long[QUEUES];
    /** per queue: records of this batch */
    final long[] records = new long[QUEUES];
    long oldestTimestampNanos = Long.MAX_VALUE;

    AuditBatch() {
        clear();
    }

    int rowCount() {
        int n = 0;
        for (AuditTable t : tables) {
            n += t.rows.size();
        }
        return n;
    }

    long recordCount() {
        return records[INPUTS] + records[DECISIONS] + records[ORDERS];
    }

    boolean isEmpty() {
        return recordCount() == 0 && rowCount() == 0;
    }

    void record(int queue, long index, long timestampNanos) {
        lastIndex[queue] = index;
        records[queue]++;
        if (timestampNanos < oldestTimestampNanos) {
            oldestTimestampNanos = timestampNanos;
        }
    }

    void clear() {
        for (AuditTable t : tables) {
            t.rows.clear();
        }
        for (int q = 0; q < QUEUES; q++) {
            lastIndex[q] = -1;
            records[q] = 0;
        }
        oldestTimestampNanos = Long.MAX_VALUE;
    }
}
