package io.mme.core.runtime;

/** Lifecycle of one engine thread, as the app shows it. */
public enum EngineState {
    /** thread created, not yet consuming */
    STARTING,
    /** consuming events */
    RUNNING,
    /** an event or the start-up threw: trading is halted; the engine still consumes and reports */
    FAULTED,
    /** halted by a clean shutdown after the rings drained */
    STOPPED,
    /** the thread ended on an error the JVM cannot recover from (e.g. OutOfMemoryError) */
    DEAD
}
