package io.mme.app.api;

import io.mme.audit.AuditedChange;
import io.mme.core.instrument.InstrumentRegistry;
import io.mme.core.ring.ControlCommand;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * The last changes of every kind (limits, trading states, kill switch, strategy parameters,
 * start/stop, the risk engine's own) for {@code GET /api/v1/audit/recent}, rendered with names
 * (states, venues, symbols) as they are recorded. Fed by the audit stage after the whole chain
 * ({@link io.mme.audit.DecisionJournalEngine#onChange}), so every entry carries its owning engine's
 * answer. Bounded: the oldest entries are dropped past {@link #capacity()}. Thread-safe: the audit
 * engine's thread appends, Jetty's threads read copies.
 */
public final class ChangeLog {
    private final InstrumentRegistry instruments;
    private final int capacity;
    private final String[] strategyOfInstrument;
    private final ArrayDeque<AuditedChange> entries = new ArrayDeque<>();

    public ChangeLog(InstrumentRegistry instruments, int capacity) {
        this(instruments, capacity, null);
    }

    /**
     * @param strategyOfInstrument the owning strategy's id per instrument id (null entries where no
     *                             strategy quotes), so that strategy changes name their strategy
     */
    public ChangeLog(InstrumentRegistry instruments, int capacity, String[] strategyOfInstrument) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be >= 1, not " + capacity);
        }
        this.instruments = instruments;
        this.capacity = capacity;
        this.strategyOfInstrument = strategyOfInstrument == null ? null : strategyOfInstrument.clone();
    }

    /** the audit stage's listener: renders the (reused) command now, on the audit engine's thread */
    public void changed(long sequence, long timestampNanos, ControlCommand command) {
        AuditedChange change = AuditedChange.of(sequence, timestampNanos, command, instruments, strategyOfInstrument);
        if (change != null) {
            add(change);
        }
    }

    /** adds an already rendered change (replayed or recovered ones); ignores one not after the last */
    public synchronized void add(AuditedChange change) {
        if (!entries.isEmpty() && entries.peekLast().sequence() >= change.sequence()) {
            return;
        }
        entries.addLast(change);
        if (entries.size() > capacity) {
            entries.removeFirst();
        }
    }

    /**
     * Reads the changes up to sequence {@code upTo} from a run's decisions journal (a restart, whose
     * chain replays only what follows its state point); the oldest beyond the capacity are dropped.
     *
     * @return how many changes it read
     */
    public int seed(java.nio.file.Path decisions, long upTo) {
        if (!java.nio.file.Files.isDirectory(decisions)) {
            return 0;
        }
        int n = 0;
        try (io.mme.audit.RecordCursor<io.mme.audit.DecisionRecord> cursor = io.mme.audit.RecordCursor.decisions(decisions)) {
            io.mme.audit.DecisionRecord d;
            while ((d = cursor.next()) != null && d.sequence() <= upTo) {
                if (d.control() != null) {
                    AuditedChange change = AuditedChange.of(d.sequence(), d.timestampNanos(), d.control(), instruments, strategyOfInstrument);
                    if (change != null) {
                        add(change);
                        n++;
                    }
                }
            }
        }
        return n;
    }

    /** the last {@code limit} changes, oldest first, of one kind when {@code kind} is not null */
    public synchronized List<AuditedChange> last(int limit, String kind) {
        List<AuditedChange> out = new ArrayList<>(Math.min(limit, entries.size()));
        var it = entries.descendingIterator();
        while (it.hasNext() && out.size() < limit) {
            AuditedChange c = it.next();
            if (kind == null || kind.equals(c.kind())) {
                out.add(c);
            }
        }
        java.util.Collections.reverse(out);
        return out;
    }

    public int capacity() {
        return capacity;
    }
}
