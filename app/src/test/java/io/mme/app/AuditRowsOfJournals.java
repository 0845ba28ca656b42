package io.mme.app;

import io.mme.audit.DecisionRecord;
import io.mme.audit.OrderRecord;
import io.mme.audit.RecordCursor;
import io.mme.core.ring.ControlCommands;
import io.mme.core.ring.ExecutionReport;
import io.mme.core.ring.InboundEvent;
import io.mme.core.ring.InboundEventType;
import io.mme.core.ring.RiskVerdict;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The rows of every audit table of one run, as text lines sorted by key: either what the run's three
 * journals call for (the oracle, built here from the records independently of the store's row maker)
 * or what PostgreSQL holds. Each line is the row's key and the columns that tell its record apart
 * from another record of the same key (a stale row from a record a repair discarded differs in
 * them), so two equal lists mean 0 lost, 0 duplicated and 0 stale rows. Immutable once built.
 *
 * @param rows per table, the lines in key order (duplicates kept, so a row stored twice shows)
 */
record AuditRowsOfJournals(Map<String, List<String>> rows) {
    private static final long ACCOUNT = 1;

    /** table → the SELECT of its key and compared columns for one run (ordered by key) */
    private static final Map<String, String> QUERIES = new LinkedHashMap<>();

    static {
        QUERIES.put("orders", "SELECT cause_seq, ordinal, type, client_order_id, price_ticks, quantity_lots, recovered FROM %s.orders"
                + " WHERE run_id = ? ORDER BY cause_seq, ordinal");
        QUERIES.put("executions", "SELECT seq, exec_type, client_order_id, price_ticks, last_qty_lots FROM %s.executions"
                + " WHERE run_id = ? ORDER BY seq");
        QUERIES.put("risk_decisions", "SELECT seq, intent_index, action, price_ticks, quantity_lots, verdict, reject_code"
                + " FROM %s.risk_decisions WHERE run_id = ? ORDER BY seq, intent_index");
        for (String table : List.of("limit_changes", "trading_state_changes", "kill_switch_events", "cancel_all_events")) {
            QUERIES.put(table, "SELECT seq, principal, reason, applied FROM %s." + table + " WHERE run_id = ? ORDER BY seq");
        }
        QUERIES.put("strategy_changes", "SELECT seq, principal, reason, applied, command FROM %s.strategy_changes"
                + " WHERE run_id = ? ORDER BY seq");
    }

    private static String line(Object... columns) {
        StringBuilder b = new StringBuilder();
        for (Object c : columns) {
            if (!b.isEmpty()) {
                b.append('|');
            }
            b.append(c);
        }
        return b.toString();
    }

    /** what the journals in run directory {@code run} call for (risk decisions: the rejected intents, the store's default) */
    static AuditRowsOfJournals of(Path run) {
        Map<String, List<String>> rows = empty();
        try (RecordCursor<OrderRecord> cursor = RecordCursor.orders(run.resolve(EngineRunner.JOURNAL_ORDERS))) {
            OrderRecord o;
            while ((o = cursor.next()) != null) {
                rows.get("orders").add(line(o.causeSequence(), o.ordinal(), o.type().name(), o.clientOrderId(), o.priceTicks(),
                        o.quantityLots(), o.recovered()));
            }
        }
        try (RecordCursor<InboundEvent> cursor = RecordCursor.inputs(run.resolve(EngineRunner.JOURNAL_QUEUE))) {
            InboundEvent e;
            while ((e = cursor.next()) != null) {
                if (e.type() == InboundEventType.EXECUTION_REPORT && e.executionReport().ownerId() == ACCOUNT) {
                    ExecutionReport r = e.executionReport();
                    rows.get("executions").add(line(e.sequence(), r.execType().name(), r.clientOrderId(), r.priceTicks(),
                            r.lastQuantityLots()));
                }
            }
        }
        try (RecordCursor<DecisionRecord> cursor = RecordCursor.decisions(run.resolve(EngineRunner.JOURNAL_DECISIONS))) {
            DecisionRecord d;
            while ((d = cursor.next()) != null) {
                for (DecisionRecord.Intent i : d.intents()) {
                    if (i.verdict() == RiskVerdict.REJECTED) {
                        rows.get("risk_decisions").add(line(d.sequence(), i.index(), i.action().name(), i.priceTicks(),
                                i.quantityLots(), i.verdict().name(), i.rejectCode()));
                    }
                }
                DecisionRecord.Control c = d.control();
                if (c == null) {
                    continue;
                }
                Boolean applied = c.answered() ? c.applied() : null;
                String table = switch (c.command()) {
                    case ControlCommands.SET_LIMIT -> "limit_changes";
                    case ControlCommands.SET_TRADING_STATE -> "trading_state_changes";
                    case ControlCommands.KILL_SWITCH -> "kill_switch_events";
                    case ControlCommands.CANCEL_ALL -> "cancel_all_events";
                    case ControlCommands.SET_STRATEGY_PARAMETER, ControlCommands.START_STRATEGY, ControlCommands.STOP_STRATEGY ->
                            "strategy_changes";
                    default -> null;
                };
                if (table == null) {
                    continue;
                }
                rows.get(table).add(table.equals("strategy_changes")
                        ? line(d.sequence(), c.principal(), c.reason(), applied, c.command())
                        : line(d.sequence(), c.principal(), c.reason(), applied));
            }
        }
        return new AuditRowsOfJournals(rows);
    }

    /** what PostgreSQL holds for run {@code runId} in {@code schema} */
    static AuditRowsOfJournals stored(Connection db, String schema, String runId) throws SQLException {
        Map<String, List<String>> rows = empty();
        for (Map.Entry<String, String> q : QUERIES.entrySet()) {
            try (PreparedStatement s = db.prepareStatement(String.format(q.getValue(), schema))) {
                s.setString(1, runId);
                try (ResultSet r = s.executeQuery()) {
                    int n = r.getMetaData().getColumnCount();
                    while (r.next()) {
                        Object[] columns = new Object[n];
                        for (int i = 0; i < n; i++) {
                            columns[i] = r.getObject(i + 1);
                        }
                        rows.get(q.getKey()).add(line(columns));
                    }
                }
            }
        }
        return new AuditRowsOfJournals(rows);
    }

    private static Map<String, List<String>> empty() {
        Map<String, List<String>> rows = new LinkedHashMap<>();
        for (String table : QUERIES.keySet()) {
            rows.put(table, new ArrayList<>());
        }
        return rows;
    }
}
