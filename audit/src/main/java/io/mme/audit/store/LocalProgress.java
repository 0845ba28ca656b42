package io.mme.audit.store;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Properties;

/**
 * What the audit store keeps of itself in the run directory ({@value #FILE}), so that a restart
 * during a PostgreSQL outage still knows what it cannot ask PostgreSQL: up to which record of each
 * queue rows were committed (for a lag metric that counts what is really waiting, not the whole
 * journal) and since when PostgreSQL has been unreachable (for an outage's true duration across
 * restarts). PostgreSQL's {@code audit_progress} stays the authority on what to write: this file
 * only fills in until PostgreSQL answers. Kept per schema (another schema starts from nothing).
 * Written atomically (a temporary file moved over it). The drain thread's.
 */
final class LocalProgress {
    static final String FILE = "audit-store.state";
    private static final Logger LOG = LoggerFactory.getLogger(LocalProgress.class);

    private final Path file;
    private final String schema;
    /** per queue, the committed index as last known (-1: none) */
    final long[] committedIndex = new long[AuditBatch.QUEUES];
    /** wall-clock epoch millis since when PostgreSQL has been unreachable; 0: it is not (as far as known) */
    long outageSinceMillis;
    private boolean warned;

    LocalProgress(Path runDirectory, String schema) {
        this.file = runDirectory.resolve(FILE);
        this.schema = schema;
        java.util.Arrays.fill(committedIndex, -1);
        if (!Files.isRegularFile(file)) {
            return;
        }
        Properties p = new Properties();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(in);
            if (!schema.equals(p.getProperty("schema"))) {
                return;
            }
            for (int q = 0; q < AuditBatch.QUEUES; q++) {
                committedIndex[q] = Long.parseLong(p.getProperty("committed." + AuditBatch.QUEUE_NAMES[q], "-1"));
            }
            outageSinceMillis = Long.parseLong(p.getProperty("outageSinceMillis", "0"));
        } catch (IOException | RuntimeException e) {
            java.util.Arrays.fill(committedIndex, -1);
            outageSinceMillis = 0;
            LOG.warn("audit store: {} cannot be read ({}); the lag is counted from the journal's start until PostgreSQL answers",
                    file, e.toString());
        }
    }

    /** writes the file; a failure is logged once and otherwise ignored (it only serves metrics and log lines) */
    void save(long[] committed, long outageSince) {
        System.arraycopy(committed, 0, committedIndex, 0, committedIndex.length);
        outageSinceMillis = outageSince;
        Properties p = new Properties();
        p.setProperty("schema", schema);
        for (int q = 0; q < AuditBatch.QUEUES; q++) {
            p.setProperty("committed." + AuditBatch.QUEUE_NAMES[q], Long.toString(committed[q]));
        }
        p.setProperty("outageSinceMillis", Long.toString(outageSince));
        Path temporary = file.resolveSibling(FILE + ".tmp");
        try {
            try (Writer out = Files.newBufferedWriter(temporary, StandardCharsets.UTF_8)) {
                p.store(out, "the audit store's own view (PostgreSQL's audit_progress is the authority)");
            }
            Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            if (!warned) {
                warned = true;
                LOG.warn("audit store: cannot write {} ({}); lag and outage durations after a restart may be off", file, e.toString());
            }
        }
    }
}
