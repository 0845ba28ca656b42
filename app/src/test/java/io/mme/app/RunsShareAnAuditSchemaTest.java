package io.mme.app;

import io.mme.audit.DecisionRecord;
import io.mme.audit.RecordCursor;
import io.mme.audit.RunId;
import io.mme.core.ring.ControlCommands;
import io.mme.core.ring.InboundEvent;
import io.mme.core.ring.InboundEventType;
import io.mme.core.ring.RiskVerdict;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two runs (two run directories, both numbering their events from 0) drain into one PostgreSQL
 * schema through the whole engine: each keeps every row its journals hold, table by table, and a
 * restart of one run adds its new rows and none twice. Before run ids, the second run's rows
 * collided with the first's and were dropped.
 */
class RunsShareAnAuditSchemaTest {
    private static final String PG_URL = System.getenv().getOrDefault("MME_PG_URL", "jdbc:postgresql://127.0.0.1:5432/test");
    private static final Set<String> CONTROL_TABLE_COMMANDS = Set.of(ControlCommands.SET_LIMIT, ControlCommands.SET_TRADING_STATE,
            ControlCommands.KILL_SWITCH, ControlCommands.CANCEL_ALL, ControlCommands.SET_STRATEGY_PARAMETER, ControlCommands.START_STRATEGY,
            ControlCommands.STOP_STRATEGY);

    @TempDir
    Path dir;

    private final String schema = "mme_runs_" + Long.toHexString(System.nanoTime());

    @AfterEach
    void dropSchema() throws SQLException {
        try (Connection c = DriverManager.getConnection(PG_URL); Statement s = c.createStatement()) {
            s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        }
    }

    private Path config() throws Exception {
        Path file = dir.resolve("demo-postgres.yaml");
        try (InputStream in = RunsShareAnAuditSchemaTest.class.getResourceAsStream("/demo.yaml")) {
            String demo = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            Files.writeString(file, demo + "\nstores:\n  postgres:\n    enabled: true\n    jdbcUrl: \"" + PG_URL + "\"\n    schema: "
                    + schema + "\n");
        }
        return file;
    }

    private static void demo(Path config, Path run, int seed) {
        StringWriter out = new StringWriter();
        CommandLine cli = Main.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(out, true));
        int code = cli.execute("demo", "--config", config.toString(), "--seconds", "3", "--seed", Integer.toString(seed),
                "--journal", run.toString());
        assertThat(code).as(out.toString()).isZero();
    }

    /** per table, the rows the run's journals call for: orders, our executions, rejected intents, control commands */
    private static Map<String, Long> journaled(Path run) {
        long orders = 0;
        try (var cursor = RecordCursor.orders(run.resolve(EngineRunner.JOURNAL_ORDERS))) {
            while (cursor.next() != null) {
                orders++;
            }
        }
        long executions = 0;
        try (RecordCursor<InboundEvent> cursor = RecordCursor.inputs(run.resolve(EngineRunner.JOURNAL_QUEUE))) {
            InboundEvent e;
            while ((e = cursor.next()) != null) {
                if (e.type() == InboundEventType.EXECUTION_REPORT && e.executionReport().ownerId() == 1) {
                    executions++;
                }
            }
        }
        long rejected = 0;
        long controls = 0;
        try (RecordCursor<DecisionRecord> cursor = RecordCursor.decisions(run.resolve(EngineRunner.JOURNAL_DECISIONS))) {
            DecisionRecord d;
            while ((d = cursor.next()) != null) {
                rejected += d.intents().stream().filter(i -> i.verdict() == RiskVerdict.REJECTED).count();
                if (d.control() != null && CONTROL_TABLE_COMMANDS.contains(d.control().command())) {
                    controls++;
                }
            }
        }
        Map<String, Long> out = new LinkedHashMap<>();
        out.put("orders", orders);
        out.put("executions", executions);
        out.put("risk_decisions", rejected);
        out.put("controls", controls);
        return out;
    }

    private Map<String, Long> stored(String runId) throws SQLException {
        Map<String, Long> out = new LinkedHashMap<>();
        try (Connection c = DriverManager.getConnection(PG_URL); Statement s = c.createStatement()) {
            String where = " WHERE run_id = '" + runId + "'";
            out.put("orders", count(s, "SELECT count(DISTINCT (cause_seq, ordinal)) FROM " + schema + ".orders" + where));
            out.put("executions", count(s, "SELECT count(DISTINCT seq) FROM " + schema + ".executions" + where));
            out.put("risk_decisions", count(s, "SELECT count(DISTINCT (seq, intent_index)) FROM " + schema + ".risk_decisions" + where));
            out.put("controls", count(s, "SELECT (SELECT count(*) FROM " + schema + ".limit_changes" + where + ") + (SELECT count(*) FROM "
                    + schema + ".trading_state_changes" + where + ") + (SELECT count(*) FROM " + schema + ".kill_switch_events" + where
                    + ") + (SELECT count(*) FROM " + schema + ".cancel_all_events" + where + ") + (SELECT count(*) FROM " + schema
                    + ".strategy_changes" + where + ")"));
        }
        return out;
    }

    private long total(String table) throws SQLException {
        try (Connection c = DriverManager.getConnection(PG_URL); Statement s = c.createStatement()) {
            return count(s, "SELECT count(*) FROM " + schema + "." + table);
        }
    }

    private static long count(Statement s, String sql) throws SQLException {
        try (ResultSet r = s.executeQuery(sql)) {
            r.next();
            return r.getLong(1);
        }
    }

    @Test
    void twoRunsIntoOneSchemaKeepEveryRowOfBothAndARestartAddsNoneTwice() throws Exception {
        Path config = config();
        Path a = dir.resolve("a");
        Path b = dir.resolve("b");
        demo(config, a, 7);
        demo(config, b, 8);
        String runA = RunId.forRunDirectory(a);
        String runB = RunId.forRunDirectory(b);
        assertThat(runA).isNotEqualTo(runB);

        Map<String, Long> journaledA = journaled(a);
        Map<String, Long> journaledB = journaled(b);
        assertThat(journaledA.get("orders")).isPositive();
        assertThat(journaledB.get("orders")).isPositive();
        assertThat(stored(runA)).isEqualTo(journaledA);
        assertThat(stored(runB)).isEqualTo(journaledB);
        // and nothing else: every row belongs to one of the two runs, none twice
        assertThat(total("orders")).isEqualTo(journaledA.get("orders") + journaledB.get("orders"));
        assertThat(total("executions")).isEqualTo(journaledA.get("executions") + journaledB.get("executions"));

        // run A restarted: its new rows arrive, none of the old ones again, run B's untouched
        demo(config, a, 7);
        Map<String, Long> restartedA = journaled(a);
        assertThat(restartedA.get("orders")).isGreaterThan(journaledA.get("orders"));
        assertThat(stored(runA)).isEqualTo(restartedA);
        assertThat(stored(runB)).isEqualTo(journaledB);
        assertThat(total("orders")).isEqualTo(restartedA.get("orders") + journaledB.get("orders"));
        assertThat(total("executions")).isEqualTo(restartedA.get("executions") + journaledB.get("executions"));
        assertThat(total("audit_runs")).isEqualTo(2);
    }
}
