package io.mme.app;

import io.mme.audit.DecisionRecord;
import io.mme.audit.OrderRecord;
import io.mme.audit.RecordCursor;
import io.mme.audit.RunId;
import io.mme.core.ring.InboundEvent;
import io.mme.core.ring.InboundEventType;
import io.mme.core.ring.RiskVerdict;
import net.openhft.chronicle.queue.ChronicleQueue;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.wire.DocumentContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.InputStream;
import java.io.PrintWriter;
import java.io.RandomAccessFile;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A byte flipped inside a record of each journal in turn (input, decisions, orders): the restart
 * finds it by the record's check, cuts the three journals at the last event whose input, decisions
 * and orders are all intact (moving the rest aside), the restarted run journals its own decisions
 * and orders from there, and PostgreSQL then holds for the run exactly what its journals hold: no
 * row lost, none twice, none left from the discarded records.
 */
class DamagedJournalRestartTest {
    private static final String PG_URL = System.getenv().getOrDefault("MME_PG_URL", "jdbc:postgresql://127.0.0.1:5432/test");

    @TempDir
    Path dir;

    private final String schema = "mme_cut_" + Long.toHexString(System.nanoTime());

    @AfterEach
    void dropSchema() throws SQLException {
        try (Connection c = DriverManager.getConnection(PG_URL); Statement s = c.createStatement()) {
            s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {EngineRunner.JOURNAL_QUEUE, EngineRunner.JOURNAL_DECISIONS, EngineRunner.JOURNAL_ORDERS})
    void aFlippedByteInAnyJournalIsCutAtOnePointAndPostgresEqualsTheJournalsAfterTheRestart(String journal) throws Exception {
        Path config = config();
        Path run = dir.resolve("run");
        String first = demo(config, run);
        assertThat(first).doesNotContain("damaged");
        String runId = RunId.forRunDirectory(run);
        assertThat(stored(runId)).isEqualTo(journaled(run));
        long ordersBefore = journaled(run).orders.size();
        assertThat(ordersBefore).isPositive();

        long damagedEvent = flipAByteInTheMiddle(run.resolve(journal));

        String restart = demo(config, run);
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("journals are cut at event (-?\\d+)").matcher(restart);
        assertThat(m.find()).as(restart).isTrue();
        long cut = Long.parseLong(m.group(1));
        Journals after = journaled(run);
        assertThat(after.lastInput).isGreaterThan(cut);
        // the cut is before the damaged record's event (an order record may share its cause with the one before)
        assertThat(cut).isLessThanOrEqualTo(damagedEvent);
        try (var files = Files.list(dir.resolve("run"))) {
            assertThat(files.map(p -> p.getFileName().toString())).anyMatch(n -> n.startsWith(journal + ".corrupt-"));
        }
        // the restarted run's own decisions and orders were journaled past the old ones' events
        assertThat(after.orders.stream().filter(k -> k.compareTo(String.format("%019d", cut + 1)) >= 0)).isNotEmpty();
        // PostgreSQL equals the journals: 0 lost, 0 duplicated (keys), 0 stale
        assertThat(stored(runId)).isEqualTo(after);
    }

    /** flips one byte inside the record in the middle of {@code queue}; returns the event of that record */
    private static long flipAByteInTheMiddle(Path queueDir) throws Exception {
        long count = 0;
        try (ChronicleQueue q = ChronicleQueue.singleBuilder(queueDir).readOnly(true).build();
             ExcerptTailer t = q.createTailer()) {
            while (true) {
                try (DocumentContext d = t.readingDocument()) {
                    if (!d.isPresent()) {
                        break;
                    }
                    count++;
                }
            }
        }
        assertThat(count).isGreaterThan(10);
        long position;
        long length;
        long event;
        Path file;
        try (ChronicleQueue q = ChronicleQueue.singleBuilder(queueDir).readOnly(true).build();
             ExcerptTailer t = q.createTailer()) {
            for (long i = 0; i < count / 2; i++) {
                try (DocumentContext d = t.readingDocument()) {
                    assertThat(d.isPresent()).isTrue();
                }
            }
            try (DocumentContext d = t.readingDocument()) {
                var bytes = d.wire().bytes();
                position = bytes.readPosition();
                length = bytes.readRemaining();
                event = bytes.readLong(position + 1); // version byte, then the event (an order's cause)
                // the file of the record's cycle (the journals roll hourly: a run may span two files)
                file = queueDir.resolve(io.mme.audit.JournalRetention.fileName(q.rollCycle(),
                        ((net.openhft.chronicle.queue.impl.RollingChronicleQueue) q).epoch(), q.rollCycle().toCycle(d.index())));
            }
        }
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            long at = position + length / 2 + 1; // past the version and into the record's fields
            raf.seek(at);
            int b = raf.read();
            raf.seek(at);
            raf.write(b ^ 0x10);
        }
        return event;
    }

    private Path config() throws Exception {
        Path file = dir.resolve("demo-postgres.yaml");
        try (InputStream in = DamagedJournalRestartTest.class.getResourceAsStream("/demo.yaml")) {
            String demo = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            Files.writeString(file, demo + "\nstores:\n  postgres:\n    enabled: true\n    jdbcUrl: \"" + PG_URL + "\"\n    schema: "
                    + schema + "\n");
        }
        return file;
    }

    private static String demo(Path config, Path run) {
        StringWriter out = new StringWriter();
        CommandLine cli = Main.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(out, true));
        int code = cli.execute("demo", "--config", config.toString(), "--seconds", "3", "--seed", "7", "--journal", run.toString());
        assertThat(code).as(out.toString()).isZero();
        return out.toString();
    }

    /** the keys of the rows a run's journals call for, table by table */
    record Journals(TreeSet<String> orders, TreeSet<String> executions, TreeSet<String> rejected, long lastInput) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Journals j && orders.equals(j.orders) && executions.equals(j.executions) && rejected.equals(j.rejected);
        }

        @Override
        public int hashCode() {
            return orders.hashCode();
        }

        @Override
        public String toString() {
            return "orders " + orders.size() + " " + orders + "\nexecutions " + executions.size() + " " + executions
                    + "\nrejected " + rejected.size() + " " + rejected;
        }
    }

    private static String key(long a, long b) {
        return String.format("%019d/%d", a, b);
    }

    private static Journals journaled(Path run) {
        TreeSet<String> orders = new TreeSet<>();
        try (RecordCursor<OrderRecord> cursor = RecordCursor.orders(run.resolve(EngineRunner.JOURNAL_ORDERS))) {
            OrderRecord o;
            while ((o = cursor.next()) != null) {
                assertThat(orders.add(key(o.causeSequence(), o.ordinal()))).as("order journaled twice").isTrue();
            }
        }
        TreeSet<String> executions = new TreeSet<>();
        long last = -1;
        try (RecordCursor<InboundEvent> cursor = RecordCursor.inputs(run.resolve(EngineRunner.JOURNAL_QUEUE))) {
            InboundEvent e;
            while ((e = cursor.next()) != null) {
                last = e.sequence();
                if (e.type() == InboundEventType.EXECUTION_REPORT && e.executionReport().ownerId() == 1) {
                    executions.add(key(e.sequence(), 0));
                }
            }
        }
        TreeSet<String> rejected = new TreeSet<>();
        try (RecordCursor<DecisionRecord> cursor = RecordCursor.decisions(run.resolve(EngineRunner.JOURNAL_DECISIONS))) {
            DecisionRecord d;
            while ((d = cursor.next()) != null) {
                assertThat(d.sequence()).isLessThanOrEqualTo(last);
                for (DecisionRecord.Intent i : d.intents()) {
                    if (i.verdict() == RiskVerdict.REJECTED) {
                        rejected.add(key(d.sequence(), i.index()));
                    }
                }
            }
        }
        return new Journals(orders, executions, rejected, last);
    }

    private Journals stored(String runId) throws SQLException {
        try (Connection c = DriverManager.getConnection(PG_URL); Statement s = c.createStatement()) {
            String where = " WHERE run_id = '" + runId + "'";
            return new Journals(keys(s, "SELECT cause_seq, ordinal FROM " + schema + ".orders" + where),
                    keys(s, "SELECT seq, 0 FROM " + schema + ".executions" + where),
                    keys(s, "SELECT seq, intent_index FROM " + schema + ".risk_decisions" + where), -1);
        }
    }

    private static TreeSet<String> keys(Statement s, String sql) throws SQLException {
        TreeSet<String> out = new TreeSet<>();
        try (ResultSet r = s.executeQuery(sql)) {
            while (r.next()) {
                assertThat(out.add(key(r.getLong(1), r.getLong(2)))).as("row stored twice").isTrue();
            }
        }
        return out;
    }
}
