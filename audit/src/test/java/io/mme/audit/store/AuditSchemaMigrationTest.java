package io.mme.audit.store;

import org.flywaydb.core.api.output.MigrateResult;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class AuditSchemaMigrationTest {
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
        assertThat(first.migrationsExecuted).isEqualTo(3);
        assertThat(first.targetSchemaVersion).isEqualTo("3");

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
        assertThat(keys).containsEntry("orders", List.of("cause_seq", "ordinal"))
                .containsEntry("executions", List.of("seq"))
                .containsEntry("risk_decisions", List.of("seq", "intent_index"))
                .containsEntry("limit_changes", List.of("seq"))
                .containsEntry("trading_state_changes", List.of("seq"))
                .containsEntry("kill_switch_events", List.of("seq"))
                .containsEntry("strategy_changes", List.of("seq"))
                .containsEntry("pnl_snapshots", List.of("taken_at_nanos", "instrument_id"))
                .containsEntry("audit_progress", List.of("queue"));
        assertThat(db.count("SELECT count(*) FROM information_schema.columns WHERE table_schema = '$s'"
                + " AND table_name = 'orders' AND column_name = 'price' AND data_type = 'numeric'")).isEqualTo(1);
    }

    @Test
    void version3KeepsTheRowsOfVersion2AndNamesTheirVenuesButForgetsTheConstantStartStopOldValues() throws Exception {
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setURL(TestDatabase.URL);
        org.flywaydb.core.Flyway.configure().dataSource(dataSource).schemas(db.schema).defaultSchema(db.schema).createSchemas(true)
                .locations("classpath:db/migration").target("2").load().migrate();
        try (Connection c = db.connect(); java.sql.Statement s = c.createStatement()) {
            s.execute("SET search_path TO " + db.schema);
            s.execute("INSERT INTO limit_changes (seq, timestamp_nanos, request_id, principal, reason, limit_key, target_venue_id,"
                    + " target_instrument_id, requested_value, applied, old_value, message) VALUES (7, 0, 1, 'ann', 'r', 'maxPosition',"
                    + " 2, -1, 5, true, 4, null)");
            s.execute("INSERT INTO strategy_changes (seq, timestamp_nanos, request_id, principal, reason, command, parameter_key,"
                    + " requested_value, applied, old_value, message) VALUES (8, 0, 2, 'tom', 'r', 'strategy.start', null, 0, true, 0,"
                    + " null), (9, 0, 3, 'tom', 'r', 'strategy.set', 'spread.ticks', 12, true, 10, null)");
        }

        MigrateResult third = AuditSchema.migrate(dataSource, db.schema);

        assertThat(third.migrationsExecuted).isEqualTo(1);
        assertThat(db.count("SELECT count(*) FROM $s.limit_changes WHERE seq = 7 AND target_venue = 'KRAKEN' AND old_value = 4"))
                .isEqualTo(1);
        assertThat(db.count("SELECT count(*) FROM $s.strategy_changes WHERE seq = 8 AND old_value IS NULL")).isEqualTo(1);
        assertThat(db.count("SELECT count(*) FROM $s.strategy_changes WHERE seq = 9 AND old_value = 10")).isEqualTo(1);
    }
}
