package io.mme.core.state;

/**
 * Where engines' states go at a snapshot point (the L1 state files). Called by the runtime on each
 * engine's own thread right after the engine handled the {@link io.mme.core.ring.ControlCommands#SNAPSHOT}
 * event; implementations must be safe for several engine threads at once.
 */
public interface SnapshotSink {
    /**
     * @param engine   the engine's name
     * @param sequence the snapshot event's number: the state is as of after this event
     * @param version  the state's format version ({@link SnapshotState#stateVersion()})
     * @param state    the bytes {@link SnapshotState#writeState} wrote
     */
    void save(String engine, long sequence, int version, byte[] state);
}
