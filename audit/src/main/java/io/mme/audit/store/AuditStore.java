package io.mme.audit.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.mme.audit.DecisionRecord;
import io.mme.audit.OrderRecord;
import io.mme.audit.RecordCursor;
import io.mme.audit.RunId;
import io.mme.core.instrument.InstrumentRegistry;
import io.mme.core.ring.InboundEvent;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.output.MigrateResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntFunction;

/**
 * The L3 tier: drains the three journal queues of a run directory ({@code queue/} inputs,
 * {@code decisions/}, {@code orders/}) into PostgreSQL, off the hot path. The engine only appends
 * to its journal; this store tails it with {@link RecordCursor}s on its own daemon thread and
 * commits batches, each in one transaction together with the {@code audit_progress} rows that say
 * up to which record of each queue the committed rows go, so a restart resumes exactly after them.
 * Every row's key is the run id ({@link RunId}, kept in the run directory) followed by its journal
 * key, so any number of runs share a schema; every insert is ON CONFLICT DO NOTHING: a retried or
 * replayed batch of the same run never duplicates a row.
 *
 * <p>When PostgreSQL is down, refusing or slow the store falls behind and nothing else happens to
 * the engine: it keeps the failed batch, logs the outage once (WARN, with the cause and the records
 * waiting), retries with a backoff capped at {@value #MAX_BACKOFF_MILLIS} ms, and once it has
 * caught up logs the recovery once (INFO, how long it was down and the rows written to catch up).
 * On start it migrates the schema (Flyway, {@code classpath:db/migration}) and reads the progress,
 * retrying the same way when the database is not there yet.
 *
 * <p>Threads: the drain thread owns the cursors, the pool's use and the batch. {@link #start()}
 * and {@link #close()} are for the owner (the app); {@link #recordPnl} and the metric getters may
 * be called from any thread and never block.
 */
public final class AuditStore implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AuditStore.class);

    static final long MIN_BACKOFF_MILLIS = 50;
    static final long MAX_BACKOFF_MILLIS = 2_000;
    /** records read from one queue before the drain looks at the next */
    private static final int CHUNK = 512;
    private static final int PNL_QUEUE_CAPACITY = 65_536;
    private static final long CLOSE_WAIT_MILLIS = 10_000;
    /** the longest a clean stop waits for the drain while PostgreSQL still takes rows */
    private static final long CLOSE_LIMIT_MILLIS = 120_000;

    /** one PnL snapshot row: money in 10^-9 quote units, position in lots */
    public record PnlSnapshot(long takenAtNanos, int instrumentId, long positionLots, long averageCostNanos, long realizedNanos,
                              long unrealizedNanos, long feesNanos) {
    }

    private final AuditStoreConfig config;
    private final String runId;
    private final Path runDirectory;
    private final Path[] directories = new Path[AuditBatch.QUEUES];
    private final AuditRows rowMaker;
    private final ArrayBlockingQueue<PnlSnapshot> pnl = new ArrayBlockingQueue<>(PNL_QUEUE_CAPACITY);

    // drain thread state
    private final AuditBatch batch = new AuditBatch();
    private final RecordCursor<?>[] cursors = new RecordCursor<?>[AuditBatch.QUEUES];
    private final LagProbe[] probes = new LagProbe[AuditBatch.QUEUES];
    private final long[] committedIndex = new long[AuditBatch.QUEUES];
    /** {@link #committedIndex} as published for journal retention (any thread); -1 until known and while a cut is pending */
    private final java.util.concurrent.atomic.AtomicLongArray drained = new java.util.concurrent.atomic.AtomicLongArray(AuditBatch.QUEUES);
    private HikariDataSource pool;
    private BatchWriter writer;
    private boolean prepared;
    private final LocalProgress local;
    /** epoch millis since when PostgreSQL has been unreachable, 0 when it is not; kept in {@link LocalProgress} */
    private long outageSinceMillis;
    /** the outage began in an earlier process of this run (found in the run directory at start) */
    private boolean outageInherited;
    private double lastOutageSeconds;
    private boolean lastOutageInherited;
    private boolean catchingUp;
    private long rowsSinceRecovery;
    private Thread thread;

    // published for any thread
    private volatile boolean running;
    private volatile boolean stopping;
    private volatile boolean down;
    private volatile long oldestPendingNanos = Long.MAX_VALUE;
    private volatile long lagRecords;
    private volatile String lastError;
    private final AtomicLong rowsWritten = new AtomicLong();
    private final AtomicLong recordsCommitted = new AtomicLong();
    private final AtomicLong batches = new AtomicLong();
    private final AtomicLong outages = new AtomicLong();
    private final AtomicLong failedAttempts = new AtomicLong();
    private final AtomicLong pnlDropped = new AtomicLong();

    /**
     * Names the strategy of each instrument (index: instrument id; null: none), so that strategy
     * commands and PnL snapshots carry their strategy's id ({@code strategy_id}). The owner calls it
     * before {@link #start}; without it the column stays NULL.
     */
    public void strategyOfInstrument(String[] ids) {
        rowMaker.strategyOfInstrument(ids);
    }

    /**
     * @param config       the store's settings
     * @param runDirectory the run's journal directory, holding {@code queue/}, {@code decisions/} and
     *                     {@code orders/} (a queue directory that is not there yet is picked up when it appears),
     *                     and the {@link RunId} that keys every row (made there when missing)
     * @param instruments  for exact decimals and symbols; null: NUMERIC and symbol columns stay NULL
     * @param rejectNames  the name of a reject code (the risk module's checks), or null
     */
    public AuditStore(AuditStoreConfig config, Path runDirectory, InstrumentRegistry instruments, IntFunction<String> rejectNames) {
        this.config = config;
        this.runDirectory = runDirectory;
        this.runId = RunId.forRunDirectory(runDirectory);
        for (int q = 0; q < AuditBatch.QUEUES; q++) {
            directories[q] = runDirectory.resolve(AuditBatch.QUEUE_NAMES[q]);
        }
        this.rowMaker = new AuditRows(runId, instruments, rejectNames, config.accountId(), config.allIntents());
        // until PostgreSQL answers: the progress and outage this run's last process knew of
        this.local = new LocalProgress(runDirectory, config.schema());
        System.arraycopy(local.committedIndex, 0, committedIndex, 0, committedIndex.length);
        this.outageSinceMillis = local.outageSinceMillis;
        this.outageInherited = outageSinceMillis != 0;
        publishDrained();
    }

    /**
     * The queue index of the last record of queue {@code q} (0 inputs, 1 decisions, 2 orders) whose
     * rows are committed in PostgreSQL, as this store knows it: from PostgreSQL once it answered,
     * from the run directory's last record of it before; -1 when none, and while a recovery's cut
     * waits to be applied (the journals' indexes changed). Journal retention removes nothing at or
     * after it. Any thread.
     */
    public long drainedIndex(int q) {
        return drained.get(q);
    }

    private void publishDrained() {
        boolean cutPending = pendingCut(runDirectory) != null;
        for (int q = 0; q < AuditBatch.QUEUES; q++) {
            drained.set(q, cutPending ? -1 : committedIndex[q]);
        }
    }

    /** the file in a run directory that holds a recovery's cut until the store has dropped its rows past it */
    public static final String CUT_FILE = "audit-cut";

    /** the tables of rows keyed by an inbound event, and that key's column */
    private static final String[][] EVENT_KEYED = {
        {"orders", "cause_seq"}, {"executions", "seq"}, {"risk_decisions", "seq"}, {"limit_changes", "seq"},
        {"trading_state_changes", "seq"}, {"kill_switch_events", "seq"}, {"cancel_all_events", "seq"}, {"strategy_changes", "seq"},
    };

    /**
     * Records that a recovery cut the run's journals after event {@code lastEvent} (-1: nothing
     * kept): at its next start, before it drains anything, the store deletes this run's rows of
     * later events (they came from records that are gone) and drains the three journals again from
     * their start (their queue indexes changed; rows already there are skipped), then removes the
     * mark. Two cuts before that keep the lower. CLI thread, before the store starts.
     */
    public static void markCut(Path runDirectory, long lastEvent) {
        Path file = runDirectory.resolve(CUT_FILE);
        long cut = lastEvent;
        Long pending = pendingCut(runDirectory);
        if (pending != null) {
            cut = Math.min(cut, pending);
        }
        try {
            Path temporary = file.resolveSibling(CUT_FILE + ".tmp");
            Files.writeString(temporary, cut + "\n");
            Files.move(temporary, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("cannot record the journal cut in " + file + ": " + e.getMessage(), e);
        }
    }

    /** the cut {@link #markCut} recorded and the store has not applied yet, or null */
    static Long pendingCut(Path runDirectory) {
        Path file = runDirectory.resolve(CUT_FILE);
        if (!Files.isRegularFile(file)) {
            return null;
        }
        try {
            return Long.parseLong(Files.readString(file).trim());
        } catch (java.io.IOException | NumberFormatException e) {
            throw new IllegalStateException("the journal cut in " + file + " cannot be read: " + e.getMessage(), e);
        }
    }

    /** starts the drain thread (migration and resume happen on it); a no-op when the config is disabled */
    public synchronized void start() {
        if (!config.enabled() || thread != null) {
            return;
        }
        running = true;
        thread = new Thread(this::run, "mme-audit-store");
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * Stops the drain: it first writes what the journal holds if PostgreSQL takes it (as long as rows
     * keep being committed, up to {@value #CLOSE_LIMIT_MILLIS} ms; it gives up after
     * {@value #CLOSE_WAIT_MILLIS} ms without progress), then closes the cursors and the pool. What was not committed is
     * written by the next start, from the journal (PnL snapshots not yet written are lost).
     */
    @Override
    public void close() {
        Thread t;
        synchronized (this) {
            t = thread;
        }
        if (t == null) {
            return;
        }
        stopping = true;
        LockSupport.unpark(t);
        try {
            // A backlog (after an outage, or on a loaded machine) may take longer than one wait to write:
            // keep waiting while PostgreSQL takes rows, give up after CLOSE_WAIT_MILLIS without progress
            // or CLOSE_LIMIT_MILLIS in all.
            long started = System.nanoTime();
            long lastRows = rowsWritten.get();
            long lastProgress = started;
            while (t.isAlive()) {
                t.join(200);
                long now = System.nanoTime();
                long rows = rowsWritten.get();
                if (rows != lastRows) {
                    lastRows = rows;
                    lastProgress = now;
                }
                if (now - lastProgress > CLOSE_WAIT_MILLIS * 1_000_000L || now - started > CLOSE_LIMIT_MILLIS * 1_000_000L) {
                    break;
                }
            }
            if (t.isAlive()) {
                LOG.warn("audit store: stopping before PostgreSQL has every record ({}); the journal keeps them and the next"
                        + " start writes them", lastError == null ? "no progress for " + CLOSE_WAIT_MILLIS + " ms" : lastError);
                running = false;
                t.interrupt();
                t.join(CLOSE_WAIT_MILLIS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Queues a PnL snapshot row (values as the risk engine's view shows them); never blocks: when
     * {@value #PNL_QUEUE_CAPACITY} snapshots wait (a long outage) the new one is dropped and counted.
     */
    public void recordPnl(long takenAtNanos, int instrumentId, long positionLots, long averageCostNanos, long realizedNanos,
                          long unrealizedNanos, long feesNanos) {
        if (!config.enabled()) {
            return;
        }
        if (!pnl.offer(new PnlSnapshot(takenAtNanos, instrumentId, positionLots, averageCostNanos, realizedNanos,
                unrealizedNanos, feesNanos))) {
            pnlDropped.incrementAndGet();
        }
    }

    // ---- metrics: any thread

    /** rows committed (a row that was already there and skipped by ON CONFLICT counts too) */
    public long rowsWritten() {
        return rowsWritten.get();
    }

    /** journal records whose rows are committed (market data records make no rows but count) */
    public long recordsCommitted() {
        return recordsCommitted.get();
    }

    /** transactions committed */
    public long batches() {
        return batches.get();
    }

    /**
     * Journal records not committed yet, over the three queues: exact while a queue stays in one
     * roll cycle (an hour by default), refreshed by the drain thread after each batch, each idle poll and each
     * retry (so up to one flush interval or one backoff old).
     */
    public long lagRecords() {
        return lagRecords;
    }

    /**
     * Age in seconds of the oldest record not committed yet (its journal timestamp against the wall
     * clock); 0 when caught up. Approximate: it knows the records the drain has read, so right
     * after a commit it reads 0 until the next batch is read (at once when behind).
     */
    public double lagSeconds() {
        long oldest = oldestPendingNanos;
        if (oldest == Long.MAX_VALUE) {
            return 0;
        }
        long now = System.currentTimeMillis() * 1_000_000L;
        return Math.max(0, now - oldest) / 1e9;
    }

    /** outages so far: periods in which writes failed, from the first failure to the next commit */
    public long outages() {
        return outages.get();
    }

    /** attempts (connect, migrate, write) that failed so far; each is followed by a back-off before the next */
    public long failedAttempts() {
        return failedAttempts.get();
    }

    /** true while writes fail */
    public boolean isDown() {
        return down;
    }

    /** the last write or migration error, or null */
    public String lastError() {
        return lastError;
    }

    /** PnL snapshots dropped because too many were waiting */
    public long pnlSnapshotsDropped() {
        return pnlDropped.get();
    }

    public AuditStoreConfig config() {
        return config;
    }

    /** the run id every row of this store is keyed by (the run directory's) */
    public String runId() {
        return runId;
    }

    // ---- the drain thread

    private void run() {
        long backoff = MIN_BACKOFF_MILLIS;
        try {
            while (running) {
                try {
                    if (!prepared) {
                        prepare();
                        prepared = true;
                        reachable();
                    }
                    if (batch.isEmpty()) {
                        fill();
                    }
                    if (!batch.isEmpty()) {
                        commit();
                        backoff = MIN_BACKOFF_MILLIS;
                        continue;
                    }
                    refreshLag();
                    caughtUp();
                    if (stopping) {
                        break;
                    }
                    LockSupport.parkNanos(config.flushInterval().toNanos());
                } catch (SQLException | FlywayException e) {
                    failedAttempts.incrementAndGet();
                    failed(e);
                    if (stopping) {
                        break;
                    }
                    refreshLag();
                    sleep(backoff);
                    backoff = Math.min(backoff * 2, MAX_BACKOFF_MILLIS);
                }
            }
        } catch (RuntimeException e) {
            lastError = e.toString();
            LOG.error("audit store stopped: {} (the journal keeps everything; a restart resumes from the last commit)", e.toString(), e);
        } finally {
            if (catchingUp) {
                caughtUp();
            }
            closeResources();
        }
    }

    private void prepare() throws SQLException {
        if (pool == null) {
            pool = new HikariDataSource(hikari());
        }
        MigrateResult result = AuditSchema.migrate(pool, config.schema());
        if (result.migrationsExecuted > 0) {
            LOG.info("audit store schema {} migrated to version {}", config.schema(), result.targetSchemaVersion);
        }
        String schema = '"' + config.schema() + '"';
        try (Connection c = pool.getConnection();
             PreparedStatement run = c.prepareStatement("INSERT INTO " + schema + ".audit_runs (run_id, run_directory)"
                     + " VALUES (?, ?) ON CONFLICT (run_id) DO UPDATE SET run_directory = EXCLUDED.run_directory, last_seen = now()");
             PreparedStatement s = c.prepareStatement("SELECT queue, last_index FROM " + schema + ".audit_progress WHERE run_id = ?")) {
            run.setString(1, runId);
            run.setString(2, runDirectory.toAbsolutePath().toString());
            run.executeUpdate();
            Long cut = pendingCut(runDirectory);
            if (cut != null) {
                dropPastCut(c, schema, cut);
            }
            s.setString(1, runId);
            Arrays.fill(committedIndex, -1); // PostgreSQL is the authority: a queue it has no progress for starts over
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    int q = Arrays.asList(AuditBatch.QUEUE_NAMES).indexOf(r.getString(1));
                    if (q >= 0) {
                        committedIndex[q] = r.getLong(2);
                    }
                }
            }
            c.commit();
        }
        if (pendingCut(runDirectory) != null) {
            try {
                Files.deleteIfExists(runDirectory.resolve(CUT_FILE));
            } catch (java.io.IOException e) {
                LOG.warn("audit store: cannot remove {} (the cut is applied again at the next start, harmlessly): {}",
                        runDirectory.resolve(CUT_FILE), e.getMessage());
            }
        }
        publishDrained();
        writer = new BatchWriter(config.schema(), runId, config.writeMode());
        LOG.info("audit store draining {} (run {}) into PostgreSQL schema {} (resuming after indexes {})",
                runDirectory, runId, config.schema(), Arrays.toString(committedIndex));
    }

    /** in the caller's transaction: this run's rows of events past {@code cut} and its progress go */
    private void dropPastCut(Connection c, String schema, long cut) throws SQLException {
        long dropped = 0;
        for (String[] table : EVENT_KEYED) {
            try (PreparedStatement d = c.prepareStatement("DELETE FROM " + schema + "." + table[0] + " WHERE run_id = ? AND " + table[1] + " > ?")) {
                d.setString(1, runId);
                d.setLong(2, cut);
                dropped += d.executeUpdate();
            }
        }
        try (PreparedStatement d = c.prepareStatement("DELETE FROM " + schema + ".audit_progress WHERE run_id = ?")) {
            d.setString(1, runId);
            d.executeUpdate();
        }
        LOG.warn("audit store: the journals of run {} were cut after event {}: {} rows of later events deleted,"
                + " the journals are drained again from their start", runId, cut, dropped);
    }

    private HikariConfig hikari() {
        HikariConfig h = new HikariConfig();
        h.setPoolName("mme-audit-" + config.schema());
        h.setJdbcUrl(config.jdbcUrl());
        if (config.user() != null) {
            h.setUsername(config.user());
        }
        if (config.password() != null) {
            h.setPassword(config.password());
        }
        h.setMaximumPoolSize(config.poolSize());
        h.setMinimumIdle(0); // no background reconnect attempts during an outage: the drain's retries are the only ones
        h.setAutoCommit(false);
        h.setConnectionTimeout(2_000);
        h.setValidationTimeout(1_000);
        h.setInitializationFailTimeout(-1); // the pool starts while PostgreSQL is down; the drain retries
        h.addDataSourceProperty("reWriteBatchedInserts", "true");
        h.addDataSourceProperty("connectTimeout", "2");
        h.addDataSourceProperty("socketTimeout", "60");
        h.addDataSourceProperty("tcpKeepAlive", "true");
        h.addDataSourceProperty("ApplicationName", "mme-audit-store");
        return h;
    }

    private void fill() {
        long limit = config.batchSize();
        PnlSnapshot p;
        while (batch.rowCount() < limit && (p = pnl.poll()) != null) {
            rowMaker.pnl(p, batch);
        }
        boolean more = true;
        while (more && batch.recordCount() < limit && batch.rowCount() < limit) {
            more = false;
            for (int q = 0; q < AuditBatch.QUEUES; q++) {
                RecordCursor<?> cursor = cursor(q);
                if (cursor == null) {
                    continue;
                }
                for (int n = 0; n < CHUNK && batch.recordCount() < limit && batch.rowCount() < limit; n++) {
                    Object record = cursor.next();
                    if (record == null) {
                        break;
                    }
                    more = true;
                    long timestamp = switch (q) {
                        case AuditBatch.INPUTS -> {
                            InboundEvent e = (InboundEvent) record;
                            rowMaker.input(e, batch);
                            yield e.timestampNanos();
                        }
                        case AuditBatch.DECISIONS -> {
                            DecisionRecord d = (DecisionRecord) record;
                            rowMaker.decision(d, batch);
                            yield d.timestampNanos();
                        }
                        default -> {
                            OrderRecord o = (OrderRecord) record;
                            rowMaker.order(o, batch);
                            yield o.timestampNanos();
                        }
                    };
                    batch.record(q, cursor.index(), timestamp);
                }
            }
        }
        oldestPendingNanos = batch.oldestTimestampNanos;
    }

    /** the cursor of queue {@code q}, opened (and moved after the committed index) once its directory exists */
    private RecordCursor<?> cursor(int q) {
        if (cursors[q] != null) {
            return cursors[q];
        }
        Path dir = directories[q];
        if (!Files.isDirectory(dir) || !hasQueueFile(dir)) {
            return null;
        }
        RecordCursor<?> cursor = switch (q) {
            case AuditBatch.INPUTS -> RecordCursor.inputs(dir);
            case AuditBatch.DECISIONS -> RecordCursor.decisions(dir);
            default -> RecordCursor.orders(dir);
        };
        if (committedIndex[q] >= 0 && !cursor.moveTo(committedIndex[q])) {
            LOG.warn("audit store: the {} journal in {} has no record at the committed index {}; reading it from the start"
                    + " (rows already written are skipped)", AuditBatch.QUEUE_NAMES[q], dir, Long.toHexString(committedIndex[q]));
        }
        cursors[q] = cursor;
        probes[q] = new LagProbe(dir);
        return cursor;
    }

    private static boolean hasQueueFile(Path dir) {
        try (var files = Files.list(dir)) {
            return files.anyMatch(f -> f.getFileName().toString().endsWith(".cq4"));
        } catch (java.io.IOException e) {
            return false;
        }
    }

    private void commit() throws SQLException {
        try (Connection c = pool.getConnection()) {
            writer.write(c, batch);
        }
        int rows = batch.rowCount();
        rowsWritten.addAndGet(rows);
        recordsCommitted.addAndGet(batch.recordCount());
        batches.incrementAndGet();
        for (int q = 0; q < AuditBatch.QUEUES; q++) {
            if (batch.lastIndex[q] >= 0) {
                committedIndex[q] = batch.lastIndex[q];
            }
        }
        batch.clear();
        publishDrained();
        oldestPendingNanos = Long.MAX_VALUE;
        reachable();
        if (catchingUp) {
            rowsSinceRecovery += rows;
        }
        local.save(committedIndex, outageSinceMillis);
        refreshLag();
    }

    /** PostgreSQL answered: an outage (this process's, or one an earlier process of the run began) ends */
    private void reachable() {
        if (outageSinceMillis == 0) {
            return;
        }
        down = false;
        lastOutageSeconds = Math.max(0, System.currentTimeMillis() - outageSinceMillis) / 1e3;
        lastOutageInherited = outageInherited;
        outageSinceMillis = 0;
        outageInherited = false;
        catchingUp = true;
        rowsSinceRecovery = 0;
        local.save(committedIndex, 0);
    }

    private void failed(Exception e) {
        String cause = e.getMessage() == null ? e.toString() : e.getMessage();
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        if (root != e && root.getMessage() != null) {
            cause = cause + " (" + root.getMessage() + ")";
        }
        lastError = cause;
        if (!down) {
            down = true;
            if (catchingUp) {
                caughtUp(); // the catch-up of the previous outage ends here, with what it wrote
            }
            outages.incrementAndGet();
            refreshLag();
            if (outageInherited) {
                // one outage, two processes: its end will report the whole of it
                LOG.warn("audit store: PostgreSQL still unreachable, down since {} (before this process started): {};"
                        + " {} journal records wait; retrying with backoff up to {} ms, the engine is not affected",
                        java.time.Instant.ofEpochMilli(outageSinceMillis), cause, lagRecords, MAX_BACKOFF_MILLIS);
            } else {
                outageSinceMillis = System.currentTimeMillis();
                local.save(committedIndex, outageSinceMillis);
                LOG.warn("audit store cannot write to PostgreSQL: {}; {} journal records ({} rows in the pending batch) wait;"
                        + " retrying with backoff up to {} ms, the engine is not affected", cause, lagRecords, batch.rowCount(),
                        MAX_BACKOFF_MILLIS);
            }
        }
    }

    private void caughtUp() {
        if (catchingUp) {
            catchingUp = false;
            LOG.info("audit store: PostgreSQL back after {} s down{}; {} rows written to catch up",
                    String.format("%.1f", lastOutageSeconds), lastOutageInherited ? " (the outage began before a restart)" : "",
                    rowsSinceRecovery);
        }
    }

    private void refreshLag() {
        long lag = 0;
        for (int q = 0; q < AuditBatch.QUEUES; q++) {
            if (probes[q] != null) {
                lag += probes[q].after(committedIndex[q]);
            } else if (Files.isDirectory(directories[q]) && hasQueueFile(directories[q])) {
                probes[q] = new LagProbe(directories[q]);
                lag += probes[q].after(committedIndex[q]);
            }
        }
        lagRecords = lag;
    }

    private void sleep(long millis) {
        long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        long left;
        while (running && !stopping && (left = until - System.nanoTime()) > 0) {
            LockSupport.parkNanos(left);
        }
    }

    private void closeResources() {
        for (int q = 0; q < AuditBatch.QUEUES; q++) {
            if (cursors[q] != null) {
                cursors[q].close();
                cursors[q] = null;
            }
            if (probes[q] != null) {
                probes[q].close();
                probes[q] = null;
            }
        }
        if (pool != null) {
            pool.close();
            pool = null;
        }
    }
}
