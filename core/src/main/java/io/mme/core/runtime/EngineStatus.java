package io.mme.core.runtime;

/**
 * A snapshot of one engine for display.
 *
 * @param name          engine name
 * @param ring          "inbound" or "outbound"
 * @param state         lifecycle state
 * @param waitStrategy  how the thread waits
 * @param requestedCpu  the CPU config asked for, or -1
 * @param pinning       what pinning achieved ("cpu 3" or why not)
 * @param lastSequence  the last sequence it finished (-1: none yet)
 * @param backlog       events published but not yet finished by this engine
 * @param faults        how many events or start-ups threw
 * @param firstFault    the first fault, or null
 */
public record EngineStatus(String name, String ring, EngineState state, WaitStrategyKind waitStrategy,
                           int requestedCpu, String pinning, long lastSequence, long backlog,
                           long faults, String firstFault) {
}
