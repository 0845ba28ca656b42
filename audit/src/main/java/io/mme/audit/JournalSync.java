package io.mme.audit;

import net.openhft.chronicle.bytes.SyncMode;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * How the journals' writes reach the disk ({@code journal.sync}): Chronicle Queue's
 * {@link SyncMode}, set on the builder of every journal an engine writes (the read paths do not
 * sync). The builder's mode alone only msyncs a mapped chunk when it is released; so with a mode
 * other than NONE each journal engine also msyncs its records at the end of every batch it takes
 * from the ring (group commit: one msync per batch, not per record).
 */
public enum JournalSync {
    /** the page cache only (the default): survives {@code kill -9}, not a host crash or power loss */
    NONE(SyncMode.NONE),
    /** each batch is msync'ed with MS_ASYNC: the writer does not wait; on Linux this schedules no write of its own (the kernel's writeback does it) */
    ASYNC(SyncMode.ASYNC),
    /** each batch is msync'ed with MS_SYNC: the writer waits until its records are on the disk before it takes the next batch */
    SYNC(SyncMode.SYNC);

    private final SyncMode mode;

    JournalSync(SyncMode mode) {
        this.mode = mode;
    }

    /** Chronicle Queue's mode for this policy */
    public SyncMode mode() {
        return mode;
    }

    /** the configuration value: none, async or sync */
    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** the accepted configuration values, for messages: "none, async or sync" */
    public static String allConfigNames() {
        String names = Arrays.stream(values()).map(JournalSync::configName).collect(Collectors.joining(", "));
        int last = names.lastIndexOf(", ");
        return names.substring(0, last) + " or " + names.substring(last + 2);
    }

    /** parses a configuration value (case and surrounding blanks ignored); IllegalArgumentException when unknown */
    public static JournalSync parse(String value) {
        if (value != null) {
            String v = value.trim().toLowerCase(Locale.ROOT);
            for (JournalSync s : values()) {
                if (s.configName().equals(v)) {
                    return s;
                }
            }
        }
        throw new IllegalArgumentException("journal.sync: " + value + " (expected " + allConfigNames() + ")");
    }

    /** the policy of a Chronicle mode as set on a queue builder */
    static JournalSync of(SyncMode mode) {
        for (JournalSync s : values()) {
            if (s.mode == mode) {
                return s;
            }
        }
        return NONE;
    }
}
