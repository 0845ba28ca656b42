package io.mme.core.runtime;

import java.time.Instant;

/**
 * Time at the edge of the engine: publishers stamp each inbound event with it. Engines never read
 * a clock; they read the event's timestamp.
 */
@FunctionalInterface
public interface EpochClock {
    /** nanoseconds since the Unix epoch */
    long epochNanos();

    /**
     * The system clock, read without allocating: the epoch is taken once and advanced with
     * {@link System#nanoTime()}, so it is monotonic and does not follow later wall-clock steps.
     */
    static EpochClock system() {
        Instant start = Instant.now();
        long startEpochNanos = start.getEpochSecond() * 1_000_000_000L + start.getNano();
        long startNanoTime = System.nanoTime();
        return () -> startEpochNanos + (System.nanoTime() - startNanoTime);
    }
}
