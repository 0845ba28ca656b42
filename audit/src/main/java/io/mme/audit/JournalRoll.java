package io.mme.audit;

import net.openhft.chronicle.queue.RollCycle;
import net.openhft.chronicle.queue.RollCycles;
import net.openhft.chronicle.queue.rollcycles.TestRollCycles;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * How often the journals start a new file ({@code journal.roll}): Chronicle Queue's roll cycle for
 * the queues a run writes. A file is the unit {@link JournalRetention} removes, so the roll is also
 * the grain of retention. A journal keeps the cycle it was created with: Chronicle reads it from
 * the queue's metadata and it wins over this setting (a run directory made under another roll keeps
 * its own). Immutable.
 */
public enum JournalRoll {
    /** a file a day (the roll before retention existed) */
    DAILY(RollCycles.FAST_DAILY),
    /** a file an hour: the default */
    HOURLY(RollCycles.FAST_HOURLY),
    /** a file every five minutes */
    FIVE_MINUTELY(RollCycles.FIVE_MINUTELY),
    /** a file a second: for tests of rolling and retention, not for a real run */
    SECONDLY(TestRollCycles.TEST_SECONDLY);

    /** the roll of a run whose configuration does not say */
    public static final JournalRoll DEFAULT = HOURLY;

    private final RollCycle cycle;

    JournalRoll(RollCycle cycle) {
        this.cycle = cycle;
    }

    /** Chronicle Queue's roll cycle */
    public RollCycle cycle() {
        return cycle;
    }

    /** the configuration value: daily, hourly, five-minutely or secondly */
    public String configName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** the accepted configuration values, for messages */
    public static String allConfigNames() {
        String names = Arrays.stream(values()).map(JournalRoll::configName).collect(Collectors.joining(", "));
        int last = names.lastIndexOf(", ");
        return names.substring(0, last) + " or " + names.substring(last + 2);
    }

    /** parses a configuration value (case and surrounding blanks ignored; null: the default); IllegalArgumentException when unknown */
    public static JournalRoll parse(String value) {
        if (value == null) {
            return DEFAULT;
        }
        String v = value.trim().toLowerCase(Locale.ROOT);
        for (JournalRoll r : values()) {
            if (r.configName().equals(v)) {
                return r;
            }
        }
        throw new IllegalArgumentException("journal.roll: " + value + " (expected " + allConfigNames() + ")");
    }
}
