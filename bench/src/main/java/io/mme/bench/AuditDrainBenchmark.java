package io.mme.bench;

import ch.qos.logback.classic.Level;
import io.mme.audit.JournalEngine;
import io.mme.audit.OrderJournalEngine;
import io.mme.audit.store.AuditSchema;
import io.mme.audit.store.AuditStore;
import io.mme.audit.store.AuditStoreConfig;
import io.mme.core.instrument.InstrumentRegistry;
import io.mme.core.instrument.InstrumentSpec;
import io.mme.core.instrument.Venue;
import io.mme.core.ring.ExecType;
import io.mme.core.ring.InboundEvent;
import io.mme.core.ring.InboundEventType;
import io.mme.core.ring.OrderCommand;
import io.mme.core.ring.OrderCommandType;
import io.mme.core.ring.Side;
import io.mme.core.ring.TimeInForce;
import org.postgresql.ds.PGSimpleDataSource;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Comparator;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;

/**
 * The PostgreSQL audit store's drain rate: writes a run directory whose journals hold N records
 * (half order commands in {@code orders/}, half execution reports of our account in {@code queue/}),
 * migrates a fresh schema, then times an {@link AuditStore} from start to the last commit and
 * checks that every row is there once. Prints one JSON line on stdout:
 * {@code {"rows":..,"seconds":..,"rows_per_s":..}} (and the write mode and batch size); the rest
 * goes to stderr. The schema and the journal are deleted at the end.
 *
 * <pre>
 *   ./mme bench audit [--records N] [--mode copy|insert] [--batch-size N] [--url JDBC_URL] [--smoke]
 * </pre>
 * Main thread plus the store's drain thread.
 */
public final class AuditDrainBenchmark {
    private static final String USAGE = """
            usage: ./mme bench audit [--records N] [--mode copy|insert] [--batch-size N] [--url JDBC_URL] [--smoke]
              --records     journal records to drain, half orders and half executions (default 1,000,000)
              --mode        copy: COPY into a temp table + INSERT ... ON CONFLICT (default);
                            insert: batched INSERT ... ON CONFLICT with reWriteBatchedInserts
              --batch-size  records per transaction (default 5,000)
              --url         PostgreSQL (default $MME_PG_URL or jdbc:postgresql://127.0.0.1:5432/test?user=postgres)
              --smoke       20,000 records (the other options still apply), the rows checked as always: for CI""";
    private static final long BASE_TIME = 1_700_000_000_000_000_000L;

    private AuditDrainBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        PrintStream stdout = System.out;
        System.setOut(System.err);
        if (LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME) instanceof ch.qos.logback.classic.Logger root) {
            root.setLevel(Level.toLevel(System.getProperty("mme.log.level", "WARN"), Level.WARN));
        }
        long records = 1_000_000;
        AuditStoreConfig.WriteMode mode = AuditStoreConfig.WriteMode.COPY;
        int batchSize = AuditStoreConfig.DEFAULT_BATCH_SIZE;
        String url = System.getenv().getOrDefault("MME_PG_URL", "jdbc:postgresql://127.0.0.1:5432/test?user=postgres");
        // --smoke: 20,000 records; every run checks that the rows drained are the records written, once each
        boolean smoke = BenchArgs.smoke(args);
        args = BenchArgs.withSmokeDefaults(args, "--records", "20000");
        try {
            for (int i = 0; i < args.length; i++) {
                String key = args[i];
                if (key.equals("--help") || key.equals("-h")) {
                    stdout.println(USAGE);
                    return;
                }
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException("option " + key + " needs a value");
                }
                String value = args[++i];
                switch (key) {
                    case "--records" -> records = BenchArgs.number(key, value, 2, 1_000_000_000);
                    case "--mode" -> mode = switch (value) {
                        case "copy" -> AuditStoreConfig.WriteMode.COPY;
                        case "insert" -> AuditStoreConfig.WriteMode.BATCHED_INSERT;
                        default -> throw new IllegalArgumentException("option --mode: '" + value + "' is not copy or insert");
                    };
                    case "--batch-size" -> batchSize = (int) BenchArgs.number(key, value, 1, 1_000_000);
                    case "--url" -> url = value;
                    default -> throw new IllegalArgumentException("unknown option " + key);
                }
            }
        } catch (IllegalArgumentException e) {
            System.err.println("mme bench audit: " + e.getMessage());
            System.err.println(USAGE);
            System.exit(2);
        }

        InstrumentRegistry instruments = InstrumentRegistry.builder()
                .add(new InstrumentSpec(Venue.BINANCE, "BTCUSDT", "BTC", "USDT", "0.01", "0.00001", null, null, null, null))
                .build();
        String schema = "mme_bench_" + Long.toHexString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE);
        Path run = Files.createTempDirectory("mme-audit-bench");
        int status = 0;
        try {
            long orders = records / 2;
            long executions = records - orders;
            long writeStart = System.nanoTime();
            writeJournal(run, orders, executions);
            System.err.printf(Locale.ROOT, "mme bench audit: journal of %,d orders and %,d executions written in %.1f s%n",
                    orders, executions, (System.nanoTime() - writeStart) / 1e9);

            PGSimpleDataSource dataSource = new PGSimpleDataSource();
            dataSource.setURL(url);
            AuditSchema.migrate(dataSource, schema);

            AuditStoreConfig config = AuditStoreConfig.of(url).withSchema(schema).withBatchSize(batchSize).withWriteMode(mode);
            long start = System.nanoTime();
            long end;
            try (AuditStore store = new AuditStore(config, run, instruments, null)) {
                store.start();
                long lastReport = start;
                while (store.recordsCommitted() < records) {
                    if (store.lastError() != null && store.isDown()) {
                        throw new IllegalStateException("the store cannot write: " + store.lastError());
                    }
                    Thread.sleep(1);
                    if (System.nanoTime() - lastReport > 5_000_000_000L) {
                        lastReport = System.nanoTime();
                        System.err.printf(Locale.ROOT, "mme bench audit: %,d rows committed, lag %,d records%n",
                                store.rowsWritten(), store.lagRecords());
                    }
                }
                end = System.nanoTime();
                if (store.rowsWritten() != records) {
                    throw new IllegalStateException("the store wrote " + store.rowsWritten() + " rows for " + records + " records");
                }
            }
            long orderRows = count(url, "SELECT count(*) FROM " + schema + ".orders");
            long executionRows = count(url, "SELECT count(*) FROM " + schema + ".executions");
            if (orderRows != orders || executionRows != executions) {
                throw new IllegalStateException("expected " + orders + " orders and " + executions + " executions, found "
                        + orderRows + " and " + executionRows);
            }
            double seconds = (end - start) / 1e9;
            stdout.printf(Locale.ROOT, "{\"rows\":%d,\"seconds\":%.3f,\"rows_per_s\":%.0f,\"mode\":\"%s\",\"batch_size\":%d}%n",
                    records, seconds, records / seconds, mode.name().toLowerCase(Locale.ROOT), batchSize);
            stdout.flush();
            if (smoke) {
                System.err.printf(Locale.ROOT, "mme bench audit: smoke OK: %,d orders and %,d executions written, the same rows drained%n",
                        orderRows, executionRows);
            }
        } catch (RuntimeException | SQLException e) {
            System.err.println("mme bench audit: FAILED: " + e.getMessage());
            e.printStackTrace(System.err);
            status = 1;
        } finally {
            try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
                s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
            }
            delete(run);
        }
        System.exit(status);
    }

    private static void writeJournal(Path run, long orders, long executions) {
        JournalEngine inputs = new JournalEngine(run.resolve("queue"));
        OrderJournalEngine orderJournal = new OrderJournalEngine(run.resolve("orders"));
        inputs.onStart(null);
        orderJournal.onStart(null);
        InboundEvent event = new InboundEvent();
        OrderCommand command = new OrderCommand();
        for (long seq = 0; seq < Math.max(orders, executions); seq++) {
            if (seq < executions) {
                event.begin(seq, InboundEventType.EXECUTION_REPORT, BASE_TIME + seq);
                event.executionReport().set(seq % 3 == 0 ? ExecType.FILLED : ExecType.ACCEPTED, 0, 0, seq << 4, 1_000_000 + seq,
                                Side.BUY, 6_400_000 + seq % 1_000, 250 + seq % 7, BASE_TIME + seq)
                        .fill(seq, 6_400_000 + seq % 1_000, 125, seq % 2 == 0).reason(0).owner(1);
                inputs.onEvent(event, seq, true);
            }
            if (seq < orders) {
                command.begin(seq, OrderCommandType.NEW);
                command.set(BASE_TIME + seq, seq, 0, 0, 1, seq << 4, 0, seq % 2 == 0 ? Side.BUY : Side.SELL,
                        6_400_000 + seq % 1_000, 250, TimeInForce.GTC, true);
                orderJournal.onEvent(command, seq, true);
            }
        }
        inputs.onShutdown();
        orderJournal.onShutdown();
    }

    private static long count(String url, String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement(); ResultSet r = s.executeQuery(sql)) {
            r.next();
            return r.getLong(1);
        }
    }

    private static void delete(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
