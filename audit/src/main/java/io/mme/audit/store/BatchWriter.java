package io.mme.audit.store;

import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Writes one {@link AuditBatch} and its progress rows (keyed by run id and queue) in one transaction, either by COPY into
 * per-session temporary tables followed by one INSERT ... SELECT ... ON CONFLICT DO NOTHING per
 * table, or by prepared INSERT ... ON CONFLICT DO NOTHING batches (pgjdbc rewrites them into
 * multi-row INSERTs). Either way a row that is already there is skipped, so a retried batch never
 * duplicates one. The drain thread's.
 */
final class BatchWriter {
    private static final String STAGE_PREFIX = "mme_stage_";

    private final String schema;
    private final String runId;
    private final AuditStoreConfig.WriteMode mode;
    private final StringBuilder copyText = new StringBuilder(1 << 20);

    BatchWriter(String schema, String runId, AuditStoreConfig.WriteMode mode) {
        this.schema = '"' + schema + '"';
        this.runId = runId;
        this.mode = mode;
    }

    /** writes and commits {@code batch}; rolls back and rethrows on any failure */
    void write(Connection connection, AuditBatch batch) throws SQLException {
        connection.setAutoCommit(false);
        try {
            try (Statement statement = connection.createStatement()) {
                // the journal is the durable copy: a commit lost to a PostgreSQL crash loses its progress
                // row with it, and the drain writes those records again; no need to wait for the WAL flush
                statement.execute("SET LOCAL synchronous_commit = off");
            }
            if (mode == AuditStoreConfig.WriteMode.COPY) {
                copy(connection, batch);
            } else {
                insert(connection, batch);
            }
            progress(connection, batch);
            connection.commit();
        } catch (SQLException | RuntimeException e) {
            rollbackQuietly(connection, e);
            throw e;
        }
    }

    private void copy(Connection connection, AuditBatch batch) throws SQLException {
        CopyManager copyManager = connection.unwrap(PGConnection.class).getCopyAPI();
        StringBuilder stages = new StringBuilder();
        for (AuditTable t : batch.tables) {
            if (!t.rows.isEmpty()) {
                // a temporary table lives as long as the session (the pooled connection); ON COMMIT
                // DELETE ROWS empties it at every commit, and a rollback takes its rows with it
                stages.append("CREATE TEMP TABLE IF NOT EXISTS ").append(STAGE_PREFIX).append(t.name)
                        .append(" ON COMMIT DELETE ROWS AS SELECT ").append(t.columnList()).append(" FROM ")
                        .append(schema).append('.').append(t.name).append(" WITH NO DATA;");
            }
        }
        if (stages.isEmpty()) {
            return;
        }
        try (Statement statement = connection.createStatement()) {
            statement.execute("SET LOCAL client_min_messages = warning;" + stages);
        }
        for (AuditTable t : batch.tables) {
            if (t.rows.isEmpty()) {
                continue;
            }
            copyText.setLength(0);
            for (Object[] row : t.rows) {
                t.appendCopyRow(row, copyText);
            }
            byte[] bytes = copyText.toString().getBytes(StandardCharsets.UTF_8);
            try {
                copyManager.copyIn("COPY " + STAGE_PREFIX + t.name + " (" + t.columnList() + ") FROM STDIN",
                        new ByteArrayInputStream(bytes));
            } catch (IOException e) {
                throw new SQLException("COPY into " + t.name + " failed: " + e.getMessage(), "08006", e);
            }
            try (Statement statement = connection.createStatement()) {
                statement.executeUpdate("INSERT INTO " + schema + '.' + t.name + " (" + t.columnList() + ") SELECT "
                        + t.columnList() + " FROM " + STAGE_PREFIX + t.name + " ON CONFLICT DO NOTHING");
            }
        }
    }

    private void insert(Connection connection, AuditBatch batch) throws SQLException {
        for (AuditTable t : batch.tables) {
            if (t.rows.isEmpty()) {
                continue;
            }
            StringBuilder sql = new StringBuilder("INSERT INTO ").append(schema).append('.').append(t.name)
                    .append(" (").append(t.columnList()).append(") VALUES (");
            for (int i = 0; i < t.columns.length; i++) {
                sql.append(i == 0 ? "?" : ", ?");
            }
            sql.append(") ON CONFLICT DO NOTHING");
            try (PreparedStatement statement = connection.prepareStatement(sql.toString())) {
                for (Object[] row : t.rows) {
                    for (int i = 0; i < row.length; i++) {
                        if (row[i] == null) {
                            statement.setNull(i + 1, t.types[i]);
                        } else {
                            statement.setObject(i + 1, row[i], t.types[i]);
                        }
                    }
                    statement.addBatch();
                }
                statement.executeBatch();
            }
        }
    }

    private void progress(Connection connection, AuditBatch batch) throws SQLException {
        String sql = "INSERT INTO " + schema + ".audit_progress AS p (run_id, queue, last_index, records, updated_at)"
                + " VALUES (?, ?, ?, ?, now()) ON CONFLICT (run_id, queue) DO UPDATE SET last_index = EXCLUDED.last_index, records = p.records + EXCLUDED.records,"
                + " updated_at = now() WHERE p.last_index < EXCLUDED.last_index";
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            boolean any = false;
            for (int q = 0; q < AuditBatch.QUEUES; q++) {
                if (batch.lastIndex[q] >= 0) {
                    statement.setString(1, runId);
                    statement.setString(2, AuditBatch.QUEUE_NAMES[q]);
                    statement.setLong(3, batch.lastIndex[q]);
                    statement.setLong(4, batch.records[q]);
                    statement.addBatch();
                    any = true;
                }
            }
            if (any) {
                statement.executeBatch();
            }
        }
    }

    private static void rollbackQuietly(Connection connection, Exception cause) {
        try {
            connection.rollback();
        } catch (SQLException e) {
            cause.addSuppressed(e);
        }
    }
}
