package io.mme.core.runtime;

/**
 * How one engine thread is placed and how it waits.
 *
 * @param cpu          the CPU to pin the thread to, or {@link #NO_CPU} for no pinning
 * @param waitStrategy the wait strategy, or null for the machine's default
 */
public record EngineSpec(int cpu, WaitStrategyKind waitStrategy) {
    public static final int NO_CPU = -1;

    /** no pinning, default wait strategy */
    public static final EngineSpec DEFAULT = new EngineSpec(NO_CPU, null);
}
