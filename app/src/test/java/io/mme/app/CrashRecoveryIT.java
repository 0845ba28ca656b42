package io.mme.app;

import net.openhft.chronicle.queue.ChronicleQueue;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.wire.DocumentContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.RandomAccessFile;
import java.io.StringWriter;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The crash test (issue 14's "done when"): the engine runs the demo as a separate process, is killed
 * with SIGKILL at random moments twenty times in a row and restarted each time on the same run
 * directory, with the audit trail going to PostgreSQL through a link the test severs for three
 * outages that each span several kills (trading goes REDUCING during them), and with a byte of the
 * input journal flipped once between two runs (the restart cuts the three journals at one point);
 * the last run ends normally. The state it ends in must be exactly what a full replay of the
 * journal gives, and PostgreSQL must hold, row for row, what the three journals call for in every
 * audit table: 0 lost, 0 duplicated, 0 stale (values compared, not only keys).
 */
class CrashRecoveryIT {
    private static final int KILLS = 20;

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
        // twenty JVM starts on two cores: the quick compiler and one GC thread keep each start short (correctness is tested, not speed)
        flags.add("-XX:TieredStopAtLevel=1");
        flags.add("-XX:+UseSerialGC");
        return flags;
    }

    /** starts `mme demo` on the run directory as a child JVM; its output is collected by a reader thread */
    private static final String PG_URL = System.getenv().getOrDefault("MME_PG_URL", "jdbc:postgresql://127.0.0.1:5432/test");
    private final String schema = "mme_crash_" + Long.toHexString(System.nanoTime());

    private Process demo(Path run, int seconds, StringBuffer output, int postgresLinkPort) throws IOException {
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
        builder.environment().put("MME_STORES_POSTGRES_JDBC_URL", viaLink(postgresLinkPort));
        // an outage puts trading into REDUCING after half a second and back to ACTIVE when it ends: control rows to audit
        builder.environment().put("MME_STORES_ON_OUTAGE", "reducing");
        builder.environment().put("MME_STORES_OUTAGE_REDUCING_AFTER_MILLIS", "500");
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
    void killedTwentyTimesThroughPostgresOutagesAndADamagedJournalTheEngineRecoversAndPostgresEqualsTheJournals() throws Exception {
        Path run = dir.resolve("run");
        Random random = new Random(20261122);
        int restarts = 0;
        boolean cut = false;
        try (SeverableLink link = new SeverableLink("127.0.0.1", postgresPort())) {
            for (int kill = 0; kill < KILLS; kill++) {
                if (OUTAGE_STARTS.contains(kill)) {
                    link.sever(); // PostgreSQL unreachable from here on, across the kills until it ends
                }
                if (OUTAGE_ENDS.contains(kill)) {
                    link.restore();
                }
                if (kill == DAMAGE_BEFORE) {
                    flipAByteInTheMiddle(run.resolve(EngineRunner.JOURNAL_QUEUE));
                }
                StringBuffer output = new StringBuffer();
                long started = System.nanoTime();
                Process process = demo(run, 60, output, link.port());
                try {
                    awaitLine(output, "running for", process, 60_000);
                    if (kill > 0) {
                        assertThat(output.toString()).contains("restart: the journal holds events ");
                        restarts++;
                    }
                    if (kill == DAMAGE_BEFORE) {
                        assertThat(output.toString()).as("the restart finds the flipped byte").contains("journals are cut at event");
                        cut = true;
                    }
                    if (OUTAGE_STARTS.contains(kill)) {
                        // the store notices (its connection attempt times out) and trading goes REDUCING: a control row to audit
                        awaitLine(output, "trading goes REDUCING", process, 30_000);
                    }
                    Thread.sleep(200 + random.nextInt(1_000));
                } finally {
                    process.destroyForcibly(); // SIGKILL on Linux: no shutdown hook, no flush
                    assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
                    System.out.printf("crash test: kill %d after %.1f s%s%n", kill + 1, (System.nanoTime() - started) / 1e9,
                            link.isSevered() ? " (PostgreSQL unreachable)" : "");
                }
            }
            assertThat(restarts).isEqualTo(KILLS - 1);
            assertThat(cut).isTrue();
            link.restore();

            StringBuffer last = new StringBuffer();
            Process finalRun = demo(run, 3, last, link.port());
            assertThat(finalRun.waitFor(200, TimeUnit.SECONDS)).as(last.toString()).isTrue();
            assertThat(finalRun.exitValue()).as(last.toString()).isZero();
            assertThat(last.toString()).contains("restart: the journal holds events ").contains("reconciled");
            String live = digestLine(last.toString());

            StringWriter replayOut = new StringWriter();
            CommandLine cli = Main.commandLine();
            cli.setOut(new PrintWriter(replayOut, true));
            assertThat(cli.execute("replay", "--journal", run.toString())).as(replayOut.toString()).isZero();
            assertThat(digestLine(replayOut.toString())).isEqualTo(live);
        }

        // PostgreSQL row for row against the three journals: 0 lost, 0 duplicated, 0 stale
        AuditRowsOfJournals expected = AuditRowsOfJournals.of(run);
        assertThat(expected.rows().get("orders")).isNotEmpty();
        assertThat(expected.rows().get("executions")).isNotEmpty();
        assertThat(expected.rows().get("kill_switch_events")).isNotEmpty();
        assertThat(expected.rows().get("trading_state_changes")).as("the outages' REDUCING and ACTIVE").isNotEmpty();
        try (Connection db = DriverManager.getConnection(PG_URL)) {
            try {
                AuditRowsOfJournals stored = AuditRowsOfJournals.stored(db, schema, io.mme.audit.RunId.forRunDirectory(run));
                for (String table : expected.rows().keySet()) {
                    assertThat(stored.rows().get(table)).as(table + ": PostgreSQL against the journals")
                            .containsExactlyElementsOf(expected.rows().get(table));
                }
            } finally {
                try (Statement sql = db.createStatement()) {
                    sql.execute("drop schema if exists " + schema + " cascade");
                }
            }
        }
    }

    /** kills before which PostgreSQL becomes unreachable, and before which it comes back */
    private static final java.util.Set<Integer> OUTAGE_STARTS = java.util.Set.of(3, 11, 16);
    private static final java.util.Set<Integer> OUTAGE_ENDS = java.util.Set.of(6, 13, 18);
    /** the kill before whose restart a byte of the input journal is flipped */
    private static final int DAMAGE_BEFORE = 8;

    private static int postgresPort() {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("//[^/:]+:(\\d+)/").matcher(PG_URL);
        return m.find() ? Integer.parseInt(m.group(1)) : 5432;
    }

    private static String viaLink(int port) {
        return PG_URL.replaceFirst("//[^/]+/", "//127.0.0.1:" + port + "/");
    }

    /** flips one byte inside the record in the middle of the journal in {@code queueDir} (the engine is not running) */
    private static void flipAByteInTheMiddle(Path queueDir) throws IOException {
        long count = 0;
        try (ChronicleQueue q = ChronicleQueue.singleBuilder(queueDir).readOnly(true).build(); ExcerptTailer t = q.createTailer()) {
            while (true) {
                try (DocumentContext d = t.readingDocument()) {
                    if (!d.isPresent()) {
                        break;
                    }
                    count++;
                }
            }
        }
        assertThat(count).isGreaterThan(100);
        long position;
        long length;
        Path file;
        try (ChronicleQueue q = ChronicleQueue.singleBuilder(queueDir).readOnly(true).build(); ExcerptTailer t = q.createTailer()) {
            for (long i = 0; i < count / 2; i++) {
                try (DocumentContext d = t.readingDocument()) {
                    assertThat(d.isPresent()).isTrue();
                }
            }
            try (DocumentContext d = t.readingDocument()) {
                var bytes = d.wire().bytes();
                position = bytes.readPosition();
                length = bytes.readRemaining();
                int cycle = q.rollCycle().toCycle(d.index());
                file = queueDir.resolve(io.mme.audit.JournalRetention.fileName(q.rollCycle(),
                        ((net.openhft.chronicle.queue.impl.RollingChronicleQueue) q).epoch(), cycle));
            }
        }
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            long at = position + length / 2 + 1;
            raf.seek(at);
            int b = raf.read();
            raf.seek(at);
            raf.write(b ^ 0x10);
        }
    }
}
