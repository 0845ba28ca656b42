package io.mme.core.runtime;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * How an engine thread waits for its next event. Chosen per engine in config; when config is
 * silent, {@link #defaultFor(int, int)} picks one from the machine's cores.
 */
public enum WaitStrategyKind {
    /** spins on the sequence: lowest latency, burns a whole core per engine */
    BUSY_SPIN("busy-spin"),
    /** spins, then yields the core to other runnable threads */
    YIELDING("yielding"),
    /** spins, yields, then parks for short naps: low CPU, tens of microseconds of wake-up */
    SLEEPING("sleeping"),
    /** parks until the producer or the engine upstream signals progress: near-zero idle CPU */
    BLOCKING("blocking");

    private final String configName;

    WaitStrategyKind(String configName) {
        this.configName = configName;
    }

    public String configName() {
        return configName;
    }

    public static WaitStrategyKind parse(String text) {
        if (text != null) {
            String t = text.trim().toLowerCase(Locale.ROOT);
            for (WaitStrategyKind kind : values()) {
                if (kind.configName.equals(t)) {
                    return kind;
                }
            }
        }
        throw new IllegalArgumentException("wait strategy '" + text + "' is not one of " + allConfigNames());
    }

    public static String allConfigNames() {
        return Arrays.stream(values()).map(WaitStrategyKind::configName).collect(Collectors.joining(", "));
    }

    /**
     * The default for {@code engines} engine threads on {@code cores} cores. Busy-spin only when
     * every engine can own a core and one core is left for the I/O threads (feeds, REST, timers);
     * yielding while engines fit the cores; blocking when engines outnumber cores, as on a laptop or
     * a 2-core CI machine, where spinning threads would starve the ones with work.
     */
    public static WaitStrategyKind defaultFor(int cores, int engines) {
        if (engines + 1 <= cores) {
            return BUSY_SPIN;
        }
        if (engines <= cores) {
            return YIELDING;
        }
        return BLOCKING;
    }
}
