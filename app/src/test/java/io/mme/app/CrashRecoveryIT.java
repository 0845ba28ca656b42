package io.mme.app;

import io.mme.audit.OrderRecord;
import io.mme.audit.RecordCursor;
import io.mme.core.ring.InboundEvent;
import io.mme.core.ring.InboundEventType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The crash test: the engine runs the demo as a separate process, is killed with SIGKILL at random
 * moments ten times in a row and restarted each time on the same run directory, with the audit trail
 * going to PostgreSQL; the last run ends normally. The state it ends in must be exactly what a full
 * replay of the journal gives, and PostgreSQL must hold every order and execution of the journal
 * exactly once.
 */
class CrashRecoveryIT {
    private static final int KILLS = 10;

    @TempDir
    Path dir;

    private static List<String> jvmFlags() {
        List<String> flags = new ArrayList<>();
        for (String arg : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (arg.startsWith("--add-") || arg.startsWith("--enable-native-access") || arg.startsWith("-Dchronicle.")) {
                flags.add(arg);
            }
        }
        flags.add("-Dchronicle.analytics.disable=true");
        flags.add("-Dmme.log.level=WARN");
        return flags;
    }

    /** starts `mme demo` on the run directory as a child JVM; its output is collected by a reader thread */
    private static final String PG_URL = System.getenv().getOrDefault("MME_PG_URL", "jdbc:postgresql://127.0.0.1:5432/test");
    private final String schema = "mme_crash_" + Long.toHexString(System.nanoTime());

    private Process demo(Path run, int seconds, StringBuffer output) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmFlags());
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(Main.class.getName());
        command.addAll(List.of("demo", "--seconds", Integer.toString(seconds), "--seed", "11", "--report-every", "1",
                "--journal", run.toString()));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        // state files every 300 ms, so that most restarts start from saved states and replay a short tail
        builder.environment().put("MME_ENGINE_SNAPSHOT_MILLIS", "300");
        // and the audit trail in PostgreSQL, which must end up with every order and execution exactly once
        builder.environment().put("MME_STORES_POSTGRES_ENABLED", "true");
        builder.environment().put("MME_STORES_POSTGRES_JDBC_URL", PG_URL);
        builder.environment().put("MME_STORES_POSTGRES_SCHEMA", schema);
        Process process = builder.start();
        CompletableFuture.runAsync(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    output.append(line).append('\n');
                }
            } catch (IOException ignored) {
                // the process was killed
            }
        });
        return process;
    }

    private static void awaitLine(StringBuffer output, String text, Process process, long timeoutMillis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        while (!output.toString().contains(text)) {
            if (!process.isAlive() || System.currentTimeMillis() > deadline) {
                throw new AssertionError("the engine did not print '" + text + "':\n" + output);
            }
            Thread.sleep(20);
        }
    }

    private static String digestLine(String text) {
        List<String> lines = text.lines().filter(l -> l.startsWith("digest: ")).toList();
        assertThat(lines).as(text).hasSize(1);
        return lines.get(0);
    }

    @Test
    void killedTenTimesAtRandomTheEngineRecoversToExactlyTheStateOfAFullReplay() throws Exception {
        Path run = dir.resolve("run");
        Random random = new Random(20261122);
        int restarts = 0;
        for (int kill = 0; kill < KILLS; kill++) {
            StringBuffer output = new StringBuffer();
            Process process = demo(run, 60, output);
            try {
                awaitLine(output, "running for", process, 60_000);
                if (kill > 0) {
                    assertThat(output.toString()).contains("restart: the journal holds events 0..");
                    restarts++;
                }
                Thread.sleep(300 + random.nextInt(2_200));
            } finally {
                process.destroyForcibly(); // SIGKILL on Linux: no shutdown hook, no flush
                assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
            }
        }
        assertThat(restarts).isEqualTo(KILLS - 1);

        StringBuffer last = new StringBuffer();
        Process finalRun = demo(run, 3, last);
        assertThat(finalRun.waitFor(120, TimeUnit.SECONDS)).as(last.toString()).isTrue();
        assertThat(finalRun.exitValue()).as(last.toString()).isZero();
        assertThat(last.toString()).contains("restart: the journal holds events 0..").contains("reconciled");
        String live = digestLine(last.toString());

        StringWriter replayOut = new StringWriter();
        CommandLine cli = Main.commandLine();
        cli.setOut(new PrintWriter(replayOut, true));
        assertThat(cli.execute("replay", "--journal", run.toString())).as(replayOut.toString()).isZero();
        assertThat(digestLine(replayOut.toString())).isEqualTo(live);

        // PostgreSQL: every order the journal holds, and every execution report of our account, exactly once
        long journaledOrders = 0;
        try (RecordCursor<OrderRecord> orders = RecordCursor.orders(run.resolve(EngineRunner.JOURNAL_ORDERS))) {
            while (orders.next() != null) {
                journaledOrders++;
            }
        }
        long journaledExecutions = 0;
        try (RecordCursor<InboundEvent> inputs = RecordCursor.inputs(run.resolve(EngineRunner.JOURNAL_QUEUE))) {
            InboundEvent e;
            while ((e = inputs.next()) != null) {
                if (e.type() == InboundEventType.EXECUTION_REPORT && e.executionReport().ownerId() == 1) {
                    journaledExecutions++;
                }
            }
        }
        assertThat(journaledOrders).isPositive();
        try (Connection db = DriverManager.getConnection(PG_URL); Statement sql = db.createStatement()) {
            try {
                assertThat(count(sql, "select count(*) from " + schema + ".orders")).isEqualTo(journaledOrders);
                assertThat(count(sql, "select count(distinct (cause_seq, ordinal)) from " + schema + ".orders")).isEqualTo(journaledOrders);
                assertThat(count(sql, "select count(*) from " + schema + ".executions")).isEqualTo(journaledExecutions);
                assertThat(count(sql, "select count(distinct seq) from " + schema + ".executions")).isEqualTo(journaledExecutions);
            } finally {
                sql.execute("drop schema if exists " + schema + " cascade");
            }
        }
    }

    private static long count(Statement sql, String query) throws SQLException {
        try (ResultSet rs = sql.executeQuery(query)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
