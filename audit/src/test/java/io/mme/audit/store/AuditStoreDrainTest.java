package io.mme.audit.store;

import io.mme.core.ring.RejectCodes;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class AuditStoreDrainTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path run;

    private final TestDatabase db = new TestDatabase();

    @AfterEach
    void dropSchema() throws Exception {
        db.close();
    }

    private static String rejectName(int code) {
        return code == RejectCodes.RISK_BASE + 4 ? "MAX_POSITION" : "code " + code;
    }

    private AuditStore store(AuditStoreConfig config) {
        AuditStore store = new AuditStore(config, run, JournalFixture.INSTRUMENTS, AuditStoreDrainTest::rejectName);
        store.start();
        return store;
    }

    private static void awaitDrained(AuditStore store, long records) {
        await().atMost(WAIT).until(() -> store.recordsCommitted() >= records && store.lagRecords() == 0);
    }

    /** records in the three queues: one input per event, a decision per quote and control, an order per quote */
    private static long records(JournalFixture journal) {
        return journal.inputs.appended() + journal.decisions.appended() + journal.orders.appended();
    }

    @ParameterizedTest
    @EnumSource(AuditStoreConfig.WriteMode.class)
    void everyOrderExecutionDecisionAndControlArrivesOnceWithExactDecimals(AuditStoreConfig.WriteMode mode) throws Exception {
        JournalFixture journal = new JournalFixture(run);
        journal.append(400);
        journal.syntheticReject(journal.nextSequence());
        journal.limit(journal.nextSequence());
        journal.tradingState(journal.nextSequence());
        journal.killSwitch(journal.nextSequence());
        journal.strategyParameter(journal.nextSequence());
        journal.close();

        try (AuditStore store = store(db.config().withWriteMode(mode).withBatchSize(97))) {
            store.recordPnl(JournalFixture.BASE_TIME, 0, -150, 64_000_010_000_000L, 1_500_000_000L, -20_000_000L, 3);
            awaitDrained(store, records(journal));
            await().atMost(WAIT).until(() -> db.count("SELECT count(*) FROM $s.pnl_snapshots") == 1);
            assertThat(store.batches()).isGreaterThan(1);
            assertThat(store.outages()).isZero();
            assertThat(store.lagSeconds()).isZero();
        }

        assertThat(db.count("SELECT count(*) FROM $s.executions")).isEqualTo(journal.ourExecutions).isEqualTo(101);
        assertThat(db.count("SELECT count(DISTINCT seq) FROM $s.executions")).isEqualTo(journal.ourExecutions);
        assertThat(db.count("SELECT count(*) FROM $s.orders")).isEqualTo(journal.orderCommands).isEqualTo(100);
        assertThat(db.count("SELECT count(*) FROM $s.risk_decisions")).isEqualTo(journal.rejectedIntents);
        assertThat(db.count("SELECT count(*) FROM $s.risk_decisions WHERE verdict <> 'REJECTED'")).isZero();
        assertThat(db.count("SELECT count(*) FROM $s.executions WHERE synthetic")).isEqualTo(1);
        assertThat(db.count("SELECT count(*) FROM $s.executions WHERE owner_id <> 1")).isZero();

        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            try (ResultSet r = s.executeQuery("SELECT price, leaves, last_price, last_quantity, symbol, venue, exec_type, side, maker"
                    + " FROM " + db.schema + ".executions WHERE seq = 1")) {
                assertThat(r.next()).isTrue();
                assertThat(r.getBigDecimal(1)).isEqualTo(new BigDecimal("64000.01"));
                assertThat(r.getBigDecimal(2)).isEqualTo(new BigDecimal("0.00350"));
                assertThat(r.getBigDecimal(3)).isEqualTo(new BigDecimal("64000.01"));
                assertThat(r.getBigDecimal(4)).isEqualTo(new BigDecimal("0.00150"));
                assertThat(r.getString(5)).isEqualTo("BTCUSDT");
                assertThat(r.getString(6)).isEqualTo("BINANCE");
                assertThat(r.getString(7)).isEqualTo("PARTIALLY_FILLED");
                assertThat(r.getString(8)).isEqualTo("SELL");
                assertThat(r.getBoolean(9)).isTrue();
            }
            try (ResultSet r = s.executeQuery("SELECT price, price_ticks, quantity, quantity_lots, type, client_order_id, post_only,"
                    + " time_in_force, event_time FROM " + db.schema + ".orders WHERE cause_seq = 3 AND ordinal = 0")) {
                assertThat(r.next()).isTrue();
                assertThat(r.getBigDecimal(1)).isEqualTo(new BigDecimal("63999.99"));
                assertThat(r.getLong(2)).isEqualTo(6_399_999);
                assertThat(r.getBigDecimal(3)).isEqualTo(new BigDecimal("0.00250"));
                assertThat(r.getLong(4)).isEqualTo(250);
                assertThat(r.getString(5)).isEqualTo("NEW");
                assertThat(r.getLong(6)).isEqualTo(3 << 4);
                assertThat(r.getBoolean(7)).isTrue();
                assertThat(r.getString(8)).isEqualTo("GTC");
                assertThat(r.getTimestamp(9).toInstant().getEpochSecond()).isEqualTo(1_700_000_000L);
            }
            try (ResultSet r = s.executeQuery("SELECT intent_index, side, price, quantity, reject_code, reject_name FROM "
                    + db.schema + ".risk_decisions WHERE seq = 3")) {
                assertThat(r.next()).isTrue();
                assertThat(r.getInt(1)).isEqualTo(1);
                assertThat(r.getString(2)).isEqualTo("SELL");
                assertThat(r.getBigDecimal(3)).isEqualTo(new BigDecimal("64001.23"));
                assertThat(r.getBigDecimal(4)).isEqualTo(new BigDecimal("1.00000"));
                assertThat(r.getInt(5)).isEqualTo(RejectCodes.RISK_BASE + 4);
                assertThat(r.getString(6)).isEqualTo("MAX_POSITION");
            }
            try (ResultSet r = s.executeQuery("SELECT limit_key, requested_value, applied, old_value, principal, reason,"
                    + " target_venue_id, target_instrument_id, target_venue, target_symbol FROM " + db.schema + ".limit_changes")) {
                assertThat(r.next()).isTrue();
                assertThat(r.getString(1)).isEqualTo("maxPosition");
                assertThat(r.getLong(2)).isEqualTo(500);
                assertThat(r.getBoolean(3)).isTrue();
                assertThat(r.getLong(4)).isEqualTo(900);
                assertThat(r.getString(5)).isEqualTo("ann");
                assertThat(r.getString(6)).isEqualTo("why: limit.set\twith a tab");
                assertThat(r.getInt(7)).isEqualTo(-1);
                assertThat(r.getInt(8)).isZero();
                // names beside the ids: instrument 0 is binance BTCUSDT
                assertThat(r.getString(9)).isEqualTo("BINANCE");
                assertThat(r.getString(10)).isEqualTo("BTCUSDT");
                assertThat(r.next()).isFalse();
            }
            try (ResultSet r = s.executeQuery("SELECT new_state, old_state, applied, target_venue, target_symbol FROM " + db.schema
                    + ".trading_state_changes")) {
                assertThat(r.next()).isTrue();
                assertThat(r.getString(1)).isEqualTo("REDUCING");
                assertThat(r.getString(2)).isEqualTo("ACTIVE");
                assertThat(r.getBoolean(3)).isTrue();
                assertThat(r.getString(4)).isEqualTo("BINANCE");
                assertThat(r.getString(5)).isEqualTo("BTCUSDT");
            }
            try (ResultSet r = s.executeQuery("SELECT principal, applied, message, old_state, new_state FROM " + db.schema
                    + ".kill_switch_events")) {
                assertThat(r.next()).isTrue();
                assertThat(r.getString(1)).isEqualTo("ann");
                assertThat(r.getBoolean(2)).isTrue();
                assertThat(r.getString(3)).isEqualTo("halted");
                assertThat(r.getString(4)).as("the global state before: ACTIVE (ordinal 0)").isEqualTo("ACTIVE");
                assertThat(r.getString(5)).isEqualTo("HALTED");
            }
            try (ResultSet r = s.executeQuery("SELECT principal, parameter_key, requested_value, applied, old_value, message FROM "
                    + db.schema + ".strategy_changes")) {
                assertThat(r.next()).isTrue();
                assertThat(r.getString(1)).isEqualTo("ann");
                assertThat(r.getString(2)).isEqualTo("spread.ticks");
                assertThat(r.getLong(3)).isEqualTo(12);
                assertThat(r.getBoolean(4)).isFalse();
                assertThat(r.getLong(5)).isEqualTo(10);
                assertThat(r.getString(6)).contains("must be between");
            }
            try (ResultSet r = s.executeQuery("SELECT position, average_cost, realized, unrealized, fees FROM "
                    + db.schema + ".pnl_snapshots")) {
                assertThat(r.next()).isTrue();
                assertThat(r.getBigDecimal(1)).isEqualTo(new BigDecimal("-0.00150"));
                assertThat(r.getBigDecimal(2)).isEqualTo(new BigDecimal("64000.010000000"));
                assertThat(r.getBigDecimal(3)).isEqualTo(new BigDecimal("1.500000000"));
                assertThat(r.getBigDecimal(4)).isEqualTo(new BigDecimal("-0.020000000"));
                assertThat(r.getBigDecimal(5)).isEqualTo(new BigDecimal("0.000000003"));
            }
        }
    }

    @Test
    void aSecondStoreOnTheSameSchemaAndJournalAddsNoRowsAndAReplayFromTheStartDuplicatesNone() throws Exception {
        JournalFixture journal = new JournalFixture(run);
        journal.append(1_000);
        journal.close();
        long records = records(journal);
        try (AuditStore store = store(db.config().withAllIntents(true))) {
            awaitDrained(store, records);
        }
        long executions = db.count("SELECT count(*) FROM $s.executions");
        long orders = db.count("SELECT count(*) FROM $s.orders");
        long decisions = db.count("SELECT count(*) FROM $s.risk_decisions");
        assertThat(decisions).isEqualTo(journal.approvedIntents + journal.rejectedIntents);

        try (AuditStore second = store(db.config().withAllIntents(true))) {
            // resumes after the committed progress: nothing to read, nothing written
            await().pollDelay(Duration.ofMillis(300)).atMost(WAIT).until(() -> second.lagRecords() == 0);
            assertThat(second.recordsCommitted()).isZero();
            assertThat(second.rowsWritten()).isZero();
        }

        // the progress lost (say, restored from an older backup): the whole journal is written again, every row skipped
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            s.execute("DELETE FROM " + db.schema + ".audit_progress");
        }
        try (AuditStore replay = store(db.config().withAllIntents(true).withWriteMode(AuditStoreConfig.WriteMode.BATCHED_INSERT))) {
            awaitDrained(replay, records);
            assertThat(replay.rowsWritten()).isEqualTo(executions + orders + decisions);
        }
        assertThat(db.count("SELECT count(*) FROM $s.executions")).isEqualTo(executions).isEqualTo(journal.ourExecutions);
        assertThat(db.count("SELECT count(*) FROM $s.orders")).isEqualTo(orders).isEqualTo(journal.orderCommands);
        assertThat(db.count("SELECT count(*) FROM $s.risk_decisions")).isEqualTo(decisions);
        assertThat(db.count("SELECT sum(records) FROM $s.audit_progress")).isEqualTo(records);
    }

    @Test
    void drainsWhileTheJournalGrowsFromADirectoryThatIsEmptyAtStart() throws Exception {
        try (AuditStore store = store(db.config().withBatchSize(200))) {
            JournalFixture journal = new JournalFixture(run);
            for (int round = 0; round < 20; round++) {
                journal.append(250);
                Thread.sleep(10);
            }
            long records = records(journal);
            journal.close();
            awaitDrained(store, records);
            assertThat(store.recordsCommitted()).isEqualTo(records);
            assertThat(db.count("SELECT count(*) FROM $s.executions")).isEqualTo(journal.ourExecutions).isEqualTo(1_250);
            assertThat(db.count("SELECT count(*) FROM $s.orders")).isEqualTo(journal.orderCommands).isEqualTo(1_250);
            assertThat(db.count("SELECT max(cause_seq) FROM $s.orders")).isEqualTo(journal.nextSequence() - 1);
        }
    }
}
