package io.mme.core.state;

/**
 * An engine whose whole state can be written at a snapshot point and read back on a restart. The
 * promise: an engine that read the state another instance wrote after event {@code s}, then
 * consumes the events after {@code s}, is indistinguishable from the instance that wrote it and
 * consumed them too (same decisions, same {@link io.mme.core.digest.DigestibleState digest}).
 * Anything that can change a later decision belongs in the state: positions, orders, books,
 * counters that ids or throttles depend on, estimator state, backoff times.
 *
 * <p>Threads: {@link #writeState} on the engine's own thread, at an event boundary;
 * {@link #readState} before the engine starts (on the thread that builds it).
 */
public interface SnapshotState {
    /** the state's format version, written with it; a reader refuses another version */
    int stateVersion();

    void writeState(StateWriter out);

    /**
     * Replaces the engine's state with one {@link #writeState} wrote.
     *
     * @throws StateFormatException when the bytes are not such a state
     */
    void readState(StateReader in);
}
