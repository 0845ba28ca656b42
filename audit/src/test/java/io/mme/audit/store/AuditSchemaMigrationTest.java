package io.mme.audit.store;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postgresql.ds.PGSimpleDataSource;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class AuditSchemaMigrationTest {
    /** the version the migrations end at (V12__strategy_ids.sql) */
    private static final int LATEST = 12;
    private final TestDatabase db = new TestDatabase();

    @AfterEach
    void dropSchema() throws Exception {
        db.close();
    }

    @Test
    void anEmptySchemaMigratesToTheCurrentVersionWithEveryTableAndItsKeyAndASecondMigrateIsANoOp() throws Exception {
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setURL(TestDatabase.URL);

        MigrateResult first = AuditSchema.migrate(dataSource, db.schema);
        assertThat(first.migrationsExecuted).isEqualTo(6); // V1, V2, V3, V10, V11, V12
        assertThat(first.targetSchemaVersion).isEqualTo(String.valueOf(LATEST));

        MigrateResult again = AuditSchema.migrate(dataSource, db.schema);
        assertThat(again.migrationsExecuted).isZero();

        Map<String, List<String>> keys = new LinkedHashMap<>();
        String sql = """
                SELECT tc.table_name, kcu.column_name FROM information_schema.table_constraints tc
                JOIN information_schema.key_column_usage kcu
                  ON kcu.constraint_name = tc.constraint_name AND kcu.table_schema = tc.table_schema
                WHERE tc.table_schema = ? AND tc.constraint_type = 'PRIMARY KEY'
                ORDER BY tc.table_name, kcu.ordinal_position""";
        try (Connection c = db.connect(); PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, db.schema);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    keys.computeIfAbsent(r.getString(1), k -> new ArrayList<>()).add(r.getString(2));
                }
            }
        }
        assertThat(keys).containsEntry("orders", List.of("run_id", "cause_seq", "ordinal"))
                .containsEntry("executions", List.of("run_id", "seq"))
                .containsEntry("risk_decisions", List.of("run_id", "seq", "intent_index"))
                .containsEntry("limit_changes", List.of("run_id", "seq"))
                .containsEntry("trading_state_changes", List.of("run_id", "seq"))
                .containsEntry("kill_switch_events", List.of("run_id", "seq"))
                .containsEntry("cancel_all_events", List.of("run_id", "seq"))
                .containsEntry("strategy_changes", List.of("run_id", "seq"))
                .containsEntry("pnl_snapshots", List.of("run_id", "taken_at_nanos", "instrument_id"))
                .containsEntry("audit_progress", List.of("run_id", "queue"))
                .containsEntry("audit_runs", List.of("run_id"));
        assertThat(db.count("SELECT count(*) FROM information_schema.columns WHERE table_schema = '$s'"
                + " AND table_name = 'orders' AND column_name = 'price' AND data_type = 'numeric'")).isEqualTo(1);
    }

    @Test
    void rowsStoredBeforeRunIdsAreKeptUnderTheRunIdLegacyAndANewRunWithTheSameSequencesNoLongerCollides() throws Exception {
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setURL(TestDatabase.URL);
        Flyway.configure().dataSource(dataSource).schemas(db.schema).defaultSchema(db.schema).createSchemas(true)
                .locations("classpath:db/migration").target("2").load().migrate();
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            s.execute("SET search_path = " + db.schema);
            s.execute("INSERT INTO executions (seq, timestamp_nanos, exec_type, venue_id, instrument_id, client_order_id,"
                    + " venue_order_id, price_ticks, leaves_lots, venue_ts_nanos, trade_id, last_price_ticks, last_qty_lots, maker,"
                    + " reason_code, owner_id, synthetic) VALUES (7, 1, 'FILLED', 0, 0, 9, 9, 1, 0, 1, 1, 1, 1, true, 0, 1, false)");
            s.execute("INSERT INTO audit_progress (queue, last_index, records) VALUES ('queue', 41, 42)");
        }

        MigrateResult upgrade = AuditSchema.migrate(dataSource, db.schema);
        assertThat(upgrade.targetSchemaVersion).isEqualTo(String.valueOf(LATEST));

        assertThat(db.count("SELECT count(*) FROM $s.executions WHERE run_id = 'legacy' AND seq = 7")).isEqualTo(1);
        assertThat(db.count("SELECT last_index FROM $s.audit_progress WHERE run_id = 'legacy' AND queue = 'queue'")).isEqualTo(41);
        assertThat(db.count("SELECT count(*) FROM $s.audit_runs WHERE run_id = 'legacy'")).isEqualTo(1);
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            s.execute("SET search_path = " + db.schema);
            assertThat(s.executeUpdate("INSERT INTO executions (run_id, seq, timestamp_nanos, exec_type, venue_id, instrument_id,"
                    + " client_order_id, venue_order_id, price_ticks, leaves_lots, venue_ts_nanos, trade_id, last_price_ticks,"
                    + " last_qty_lots, maker, reason_code, owner_id, synthetic) VALUES ('20261207T000000Z-abcdef', 7, 1, 'FILLED',"
                    + " 0, 0, 9, 9, 1, 0, 1, 1, 1, 1, true, 0, 1, false) ON CONFLICT DO NOTHING")).isEqualTo(1);
        }
        assertThat(db.count("SELECT count(*) FROM $s.executions WHERE seq = 7")).isEqualTo(2);
        // no default: a row that names no run is refused, never filed under 'legacy'
        assertThat(db.count("SELECT count(*) FROM information_schema.columns WHERE table_schema = '$s' AND column_name = 'run_id'"
                + " AND column_default IS NOT NULL")).isZero();
    }

    @Test
    void aLowerVersionThatArrivesAfterTheSchemaIsAtTheLatestIsAppliedNotRefused() throws Exception {
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setURL(TestDatabase.URL);
        AuditSchema.migrate(dataSource, db.schema);
        // another branch's V4, merged after this schema reached V10
        MigrateResult late = AuditSchema.configure(dataSource, db.schema, "classpath:db/migration", "classpath:db/late-migration")
                .load().migrate();
        assertThat(late.migrationsExecuted).isEqualTo(1);
        assertThat(db.count("SELECT count(*) FROM information_schema.columns WHERE table_schema = '$s'"
                + " AND table_name = 'orders' AND column_name = 'late_column'")).isEqualTo(1);
    }

    @Test
    void version3KeepsTheRowsOfVersion2AndNamesTheirVenuesButForgetsTheConstantStartStopOldValues() throws Exception {
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setURL(TestDatabase.URL);
        Flyway.configure().dataSource(dataSource).schemas(db.schema).defaultSchema(db.schema).createSchemas(true)
                .locations("classpath:db/migration").target("2").load().migrate();
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            s.execute("SET search_path TO " + db.schema);
            s.execute("INSERT INTO limit_changes (seq, timestamp_nanos, request_id, principal, reason, limit_key, target_venue_id,"
                    + " target_instrument_id, requested_value, applied, old_value, message) VALUES (7, 0, 1, 'ann', 'r', 'maxPosition',"
                    + " 2, -1, 5, true, 4, null)");
            s.execute("INSERT INTO strategy_changes (seq, timestamp_nanos, request_id, principal, reason, command, parameter_key,"
                    + " requested_value, applied, old_value, message) VALUES (8, 0, 2, 'tom', 'r', 'strategy.start', null, 0, true, 0,"
                    + " null), (9, 0, 3, 'tom', 'r', 'strategy.set', 'spread.ticks', 12, true, 10, null)");
            s.execute("INSERT INTO kill_switch_events (seq, timestamp_nanos, request_id, principal, reason, applied, message)"
                    + " VALUES (10, 0, 4, 'rita', 'r', true, null)");
        }

        MigrateResult upgrade = AuditSchema.migrate(dataSource, db.schema);

        assertThat(upgrade.migrationsExecuted).isEqualTo(4); // V3, V10 (the rows become run 'legacy'), V11, V12
        assertThat(upgrade.targetSchemaVersion).isEqualTo(String.valueOf(LATEST));
        assertThat(db.count("SELECT count(*) FROM $s.limit_changes WHERE run_id = 'legacy' AND seq = 7 AND target_venue = 'KRAKEN' AND old_value = 4"))
                .isEqualTo(1);
        assertThat(db.count("SELECT count(*) FROM $s.strategy_changes WHERE seq = 8 AND old_value IS NULL")).isEqualTo(1);
        assertThat(db.count("SELECT count(*) FROM $s.strategy_changes WHERE seq = 9 AND old_value = 10")).isEqualTo(1);
        // rows from before a desk had several strategies keep no strategy id
        assertThat(db.count("SELECT count(*) FROM $s.strategy_changes WHERE strategy_id IS NULL")).isEqualTo(2);
        // kill switches before V11 were global ones: their target says so
        assertThat(db.count("SELECT count(*) FROM $s.kill_switch_events WHERE seq = 10 AND target_venue_id = -1"
                + " AND target_instrument_id = -1")).isEqualTo(1);
    }

    @Test
    void aSchemaTheRunIdBranchTookToVersion10WithoutVersion3GetsVersion3OutOfOrderAndItsRunsRowsTheirVenueNames(@TempDir Path without3)
            throws Exception {
        // a schema migrated before V3 was merged: V1, V2 and V10 applied, rows keyed by a run id
        for (String migration : List.of("V1__audit_trail.sql", "V2__strategy_changes.sql", "V10__run_ids.sql")) {
            try (InputStream in = AuditSchemaMigrationTest.class.getResourceAsStream("/db/migration/" + migration)) {
                Files.copy(in, without3.resolve(migration));
            }
        }
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setURL(TestDatabase.URL);
        MigrateResult before = AuditSchema.configure(dataSource, db.schema, "filesystem:" + without3).load().migrate();
        assertThat(before.targetSchemaVersion).isEqualTo("10");
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            s.execute("SET search_path TO " + db.schema);
            s.execute("INSERT INTO limit_changes (run_id, seq, timestamp_nanos, request_id, principal, reason, limit_key,"
                    + " target_venue_id, target_instrument_id, requested_value, applied, old_value, message) VALUES"
                    + " ('20261207T000000Z-abcdef', 7, 0, 1, 'ann', 'r', 'maxPosition', 1, -1, 5, true, 4, null)");
        }

        MigrateResult merged = AuditSchema.migrate(dataSource, db.schema);

        assertThat(merged.migrationsExecuted).isEqualTo(3); // V3 out of order, then V11, V12
        assertThat(db.count("SELECT count(*) FROM $s.limit_changes WHERE run_id = '20261207T000000Z-abcdef' AND seq = 7"
                + " AND target_venue = 'COINBASE' AND target_symbol IS NULL")).isEqualTo(1);
        assertThat(db.count("SELECT count(*) FROM information_schema.columns WHERE table_schema = '$s'"
                + " AND table_name = 'kill_switch_events' AND column_name IN ('run_id', 'old_state', 'new_state')")).isEqualTo(3);
        assertThat(AuditSchema.migrate(dataSource, db.schema).migrationsExecuted).isZero();
    }
}
