package io.mme.audit.store;

import java.time.Duration;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Configuration of the PostgreSQL audit store (the L3 tier). Immutable.
 *
 * @param enabled       false: {@link AuditStore#start()} does nothing (the engine runs on L1 alone)
 * @param jdbcUrl       e.g. {@code jdbc:postgresql://127.0.0.1:5432/mme}; the store adds
 *                      {@code reWriteBatchedInserts=true} and its own connect/socket timeouts
 * @param user          null: none (from the URL, or trust auth)
 * @param password      null: none
 * @param schema        where the tables live; created by the migration if missing; a plain
 *                      lower-case SQL identifier
 * @param batchSize     records (and the rows made from them) per transaction
 * @param flushInterval how long the drain sleeps when it caught up with the journal: the most a
 *                      record waits before its transaction starts
 * @param poolSize      connections in the Hikari pool (the drain uses one at a time)
 * @param accountId     the owner id of our orders: execution reports of other owners are not stored
 * @param allIntents    true: every quote intent goes to risk_decisions; false: only the rejected ones
 * @param writeMode     how a batch reaches its tables
 */
public record AuditStoreConfig(boolean enabled, String jdbcUrl, String user, String password, String schema, int batchSize,
                               Duration flushInterval, int poolSize, long accountId, boolean allIntents, WriteMode writeMode) {

    /** how the rows of a batch are written; both end in INSERT ... ON CONFLICT DO NOTHING */
    public enum WriteMode {
        /** COPY into a per-connection temporary table, then one INSERT ... SELECT per table */
        COPY,
        /** prepared INSERTs in a JDBC batch, which pgjdbc rewrites into multi-row INSERTs */
        BATCHED_INSERT
    }

    public static final String DEFAULT_SCHEMA = "public";
    public static final int DEFAULT_BATCH_SIZE = 5_000;
    public static final Duration DEFAULT_FLUSH_INTERVAL = Duration.ofMillis(200);
    public static final int DEFAULT_POOL_SIZE = 2;
    public static final long DEFAULT_ACCOUNT_ID = 1;

    private static final Pattern IDENTIFIER = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

    public AuditStoreConfig {
        if (enabled) {
            Objects.requireNonNull(jdbcUrl, "jdbcUrl");
            if (!jdbcUrl.startsWith("jdbc:postgresql:")) {
                throw new IllegalArgumentException("audit store jdbcUrl '" + jdbcUrl + "' is not a jdbc:postgresql: URL");
            }
        }
        schema = schema == null ? DEFAULT_SCHEMA : schema;
        if (!IDENTIFIER.matcher(schema).matches()) {
            throw new IllegalArgumentException("audit store schema '" + schema
                    + "' must be a plain lower-case SQL identifier ([a-z_][a-z0-9_]*)");
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("audit store batchSize " + batchSize + " must be at least 1");
        }
        flushInterval = flushInterval == null ? DEFAULT_FLUSH_INTERVAL : flushInterval;
        if (flushInterval.isNegative() || flushInterval.isZero()) {
            throw new IllegalArgumentException("audit store flushInterval " + flushInterval + " must be positive");
        }
        if (poolSize < 1) {
            throw new IllegalArgumentException("audit store poolSize " + poolSize + " must be at least 1");
        }
        writeMode = writeMode == null ? WriteMode.COPY : writeMode;
    }

    /** enabled, schema public, the defaults above, only rejected intents, COPY */
    public static AuditStoreConfig of(String jdbcUrl) {
        return new AuditStoreConfig(true, jdbcUrl, null, null, DEFAULT_SCHEMA, DEFAULT_BATCH_SIZE, DEFAULT_FLUSH_INTERVAL,
                DEFAULT_POOL_SIZE, DEFAULT_ACCOUNT_ID, false, WriteMode.COPY);
    }

    /** the store switched off */
    public static AuditStoreConfig disabled() {
        return new AuditStoreConfig(false, null, null, null, DEFAULT_SCHEMA, DEFAULT_BATCH_SIZE, DEFAULT_FLUSH_INTERVAL,
                DEFAULT_POOL_SIZE, DEFAULT_ACCOUNT_ID, false, WriteMode.COPY);
    }

    public AuditStoreConfig withSchema(String newSchema) {
        return new AuditStoreConfig(enabled, jdbcUrl, user, password, newSchema, batchSize, flushInterval, poolSize, accountId,
                allIntents, writeMode);
    }

    public AuditStoreConfig withJdbcUrl(String newUrl) {
        return new AuditStoreConfig(enabled, newUrl, user, password, schema, batchSize, flushInterval, poolSize, accountId,
                allIntents, writeMode);
    }

    public AuditStoreConfig withBatchSize(int newBatchSize) {
        return new AuditStoreConfig(enabled, jdbcUrl, user, password, schema, newBatchSize, flushInterval, poolSize, accountId,
                allIntents, writeMode);
    }

    public AuditStoreConfig withFlushInterval(Duration newInterval) {
        return new AuditStoreConfig(enabled, jdbcUrl, user, password, schema, batchSize, newInterval, poolSize, accountId,
                allIntents, writeMode);
    }

    public AuditStoreConfig withAllIntents(boolean all) {
        return new AuditStoreConfig(enabled, jdbcUrl, user, password, schema, batchSize, flushInterval, poolSize, accountId,
                all, writeMode);
    }

    public AuditStoreConfig withWriteMode(WriteMode mode) {
        return new AuditStoreConfig(enabled, jdbcUrl, user, password, schema, batchSize, flushInterval, poolSize, accountId,
                allIntents, mode);
    }

    @Override
    public String toString() {
        // never the password
        return "AuditStoreConfig[enabled=" + enabled + ", jdbcUrl=" + jdbcUrl + ", user=" + user + ", schema=" + schema
                + ", batchSize=" + batchSize + ", flushInterval=" + flushInterval + ", poolSize=" + poolSize
                + ", accountId=" + accountId + ", allIntents=" + allIntents + ", writeMode=" + writeMode + "]";
    }
}
