package io.mme.app;

import io.mme.audit.JournalReader;
import io.mme.audit.JournalRetention;
import io.mme.audit.RunId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Journal retention in real runs of the demo: the journals roll every second ({@code journal.roll:
 * secondly}), states are saved every 300 ms, PostgreSQL drains the journals, and {@code journal.retain:
 * 0} archives every file that neither a restart nor the store needs. The run is pruned while it
 * trades; a replay of the pruned run says that its beginning is gone; a restart on it recovers; with
 * the archived files put back, the replay gives the restarted run's digest and PostgreSQL holds
 * exactly the rows of the whole journals. With PostgreSQL unreachable nothing is removed.
 */
class JournalRetentionRunTest {
    private static final String PG_URL = System.getenv().getOrDefault("MME_PG_URL", "jdbc:postgresql://127.0.0.1:5432/test");

    @TempDir
    Path dir;

    private final String schema = "mme_retain_" + Long.toHexString(System.nanoTime());

    @AfterEach
    void dropSchema() throws SQLException {
        try (Connection c = DriverManager.getConnection(PG_URL); Statement s = c.createStatement()) {
            s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        }
    }

    @Test
    void aRunPrunedWhileItTradesRestartsAndWithItsArchiveReplaysToTheSameDigestAndPostgresLostNothing() throws Exception {
        Path config = config(PG_URL);
        Path run = dir.resolve("run");
        String first = run(config, run, "demo", "--seconds", "5", "--seed", "7", "--journal", run.toString());
        assertThat(first).contains("digest: ");
        Path archive = run.resolve("archive");
        assertThat(files(archive.resolve("queue"))).as("input files archived while the run traded").isNotEmpty();
        long firstEvent = JournalReader.firstSequence(run.resolve(EngineRunner.JOURNAL_QUEUE));
        assertThat(firstEvent).isPositive();

        // a replay needs event 0: one line saying the beginning is gone and where it is
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = EngineRunner.replay(run, new PrintWriter(out, true), new PrintWriter(err, true));
        assertThat(code).isEqualTo(Main.EXIT_FAILED);
        assertThat(err.toString().strip()).doesNotContain("\n")
                .contains("begins at event " + firstEvent, "were removed by journal.retain", archive.toString(), "--restore-archive");

        // without its saved states a pruned run cannot be restarted: refused in one line, nothing started
        Path copy = dir.resolve("copy");
        copyTree(run, copy);
        Files.delete(copy.resolve(EngineRunner.STATE_FILE));
        StringWriter refusedOut = new StringWriter();
        CommandLine cli = Main.commandLine();
        cli.setOut(new PrintWriter(refusedOut, true));
        cli.setErr(new PrintWriter(refusedOut, true));
        assertThat(cli.execute("demo", "--config", config.toString(), "--seconds", "3", "--journal", copy.toString()))
                .as(refusedOut.toString()).isEqualTo(Main.EXIT_FAILED);
        assertThat(refusedOut.toString()).contains("mme: refused: the input journal ", "begins at event",
                "no saved state can be read").doesNotContain("\tat ");

        // a restart on the pruned run resumes from its saved states
        String restart = run(config, run, "demo", "--seconds", "3", "--seed", "7", "--journal", run.toString());
        assertThat(restart).contains("restart: the journal holds events ");
        String live = digest(restart);

        String replay = run(config, run, "replay", "--restore-archive", "--journal", run.toString());
        assertThat(replay).contains("restored ").contains(" archived journal files from " + archive);
        assertThat(JournalReader.firstSequence(run.resolve(EngineRunner.JOURNAL_QUEUE))).isZero();
        assertThat(digest(replay)).isEqualTo(live);

        // PostgreSQL drained every archived record before it went: it equals the whole journals row for row
        AuditRowsOfJournals expected = AuditRowsOfJournals.of(run);
        assertThat(expected.rows().get("orders")).isNotEmpty();
        try (Connection db = DriverManager.getConnection(PG_URL)) {
            AuditRowsOfJournals stored = AuditRowsOfJournals.stored(db, schema, RunId.forRunDirectory(run));
            for (String table : expected.rows().keySet()) {
                assertThat(stored.rows().get(table)).as(table).containsExactlyElementsOf(expected.rows().get(table));
            }
        }
    }

    @Test
    void aDamagedRecordInAPrunedJournalIsCutAndTheRunGoesOnFromWhatIsLeft() throws Exception {
        Path config = config(PG_URL);
        Path run = dir.resolve("run");
        run(config, run, "demo", "--seconds", "4", "--seed", "7", "--journal", run.toString());
        long firstEvent = JournalReader.firstSequence(run.resolve(EngineRunner.JOURNAL_QUEUE));
        assertThat(firstEvent).isPositive();
        long lastEvent = flipAByteInTheLastRecord(run.resolve(EngineRunner.JOURNAL_QUEUE));

        String restart = run(config, run, "demo", "--seconds", "2", "--seed", "7", "--journal", run.toString());
        assertThat(restart).contains("journals are cut at event " + (lastEvent - 1))
                .contains("restart: the journal holds events " + firstEvent + "..");
        // the repaired journal begins where retention left it (or later: the restarted run pruned too), and reads through without a gap
        assertThat(JournalReader.firstSequence(run.resolve(EngineRunner.JOURNAL_QUEUE))).isGreaterThanOrEqualTo(firstEvent);
        long[] last = {-1};
        JournalReader.checkWhole(run.resolve(EngineRunner.JOURNAL_QUEUE), e -> last[0] = e.sequence());
        assertThat(last[0]).isGreaterThan(lastEvent);
    }

    /** flips a byte in the middle of the journal's last record (the engine is stopped); returns its event */
    private static long flipAByteInTheLastRecord(Path queueDir) throws IOException {
        long position;
        long length;
        long event;
        Path file;
        try (var q = net.openhft.chronicle.queue.ChronicleQueue.singleBuilder(queueDir).readOnly(true).build();
             var t = q.createTailer().direction(net.openhft.chronicle.queue.TailerDirection.BACKWARD).toEnd();
             var d = t.readingDocument()) {
            var bytes = d.wire().bytes();
            position = bytes.readPosition();
            length = bytes.readRemaining();
            event = bytes.readLong(position + 1);
            file = queueDir.resolve(JournalRetention.fileName(q.rollCycle(),
                    ((net.openhft.chronicle.queue.impl.RollingChronicleQueue) q).epoch(), q.rollCycle().toCycle(d.index())));
        }
        try (java.io.RandomAccessFile raf = new java.io.RandomAccessFile(file.toFile(), "rw")) {
            long at = position + length / 2 + 1;
            raf.seek(at);
            int b = raf.read();
            raf.seek(at);
            raf.write(b ^ 0x10);
        }
        return event;
    }

    @Test
    void nothingIsRemovedThatPostgresHasNotDrained() throws Exception {
        try (SeverableLink link = new SeverableLink("127.0.0.1", 5432)) {
            link.sever();
            Path config = config("jdbc:postgresql://127.0.0.1:" + link.port() + "/test");
            Path run = dir.resolve("run");
            String output = run(config, run, "demo", "--seconds", "4", "--seed", "7", "--journal", run.toString());
            assertThat(output).contains("digest: ");
            assertThat(files(run.resolve("queue")).size()).as("several cycles were written").isGreaterThan(2);
            assertThat(run.resolve("archive")).doesNotExist();
            assertThat(JournalReader.firstSequence(run.resolve(EngineRunner.JOURNAL_QUEUE))).isZero();
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> all = Files.walk(from)) {
            for (Path p : all.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else if (!p.getFileName().toString().equals("run.lock")) {
                    Files.copy(p, target);
                }
            }
        }
    }

    private Path config(String jdbcUrl) throws IOException {
        Path file = dir.resolve("demo-retain.yaml");
        try (InputStream in = JournalRetentionRunTest.class.getResourceAsStream("/demo.yaml")) {
            String demo = new String(in.readAllBytes(), StandardCharsets.UTF_8)
                    .replace("engine:\n", "engine:\n  snapshotMillis: 300\n");
            Files.writeString(file, demo + "\nstores:\n  postgres:\n    enabled: true\n    jdbcUrl: \"" + jdbcUrl + "\"\n    schema: "
                    + schema + "\njournal:\n  roll: secondly\n  retain: \"0\"\n  archive: archive\n");
        }
        return file;
    }

    private static String run(Path config, Path run, String... args) {
        StringWriter out = new StringWriter();
        CommandLine cli = Main.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(out, true));
        String[] all = args;
        if (args[0].equals("demo")) {
            all = Stream.concat(Stream.of("demo", "--config", config.toString()), Stream.of(args).skip(1)).toArray(String[]::new);
        }
        int code = cli.execute(all);
        assertThat(code).as(out.toString()).isZero();
        return out.toString();
    }

    private static String digest(String output) {
        List<String> lines = output.lines().filter(l -> l.startsWith("digest: ")).toList();
        assertThat(lines).as(output).hasSize(1);
        return lines.get(0);
    }

    private static List<Path> files(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.toString().endsWith(".cq4")).sorted().toList();
        }
    }
}
