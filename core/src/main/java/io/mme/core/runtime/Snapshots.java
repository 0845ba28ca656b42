package io.mme.core.runtime;

import io.mme.core.ring.ControlCommands;
import io.mme.core.ring.InboundEvent;
import io.mme.core.ring.InboundEventType;
import io.mme.core.state.SnapshotSink;
import io.mme.core.state.SnapshotState;
import io.mme.core.state.StateWriter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The runtime's part of the state files: after an engine that keeps state ({@link SnapshotState})
 * handled a {@link ControlCommands#SNAPSHOT} event, its state is written, on its own thread, to the
 * configured {@link SnapshotSink}. Every engine does so after the same event, so the states are cut
 * at one point of the sequenced input. A failure to write is logged and counted, never thrown into
 * the engine: the journal still holds everything, a restart just replays more of it.
 *
 * <p>Thread-safe: one {@link StateWriter} per engine thread.
 */
final class Snapshots {
    private static final Logger LOG = LoggerFactory.getLogger(Snapshots.class);
    private final SnapshotSink sink;
    private final ThreadLocal<StateWriter> writers = ThreadLocal.withInitial(() -> new StateWriter(1 << 16));

    Snapshots(SnapshotSink sink) {
        this.sink = sink;
    }

    void afterEvent(String name, Object engine, Object slot) {
        if (!(engine instanceof SnapshotState state) || !(slot instanceof InboundEvent event)
                || event.type() != InboundEventType.CONTROL || !ControlCommands.SNAPSHOT.equals(event.control().command())) {
            return;
        }
        write(name, state, event.sequence());
    }

    void write(String name, SnapshotState state, long sequence) {
        try {
            StateWriter writer = writers.get().reset();
            state.writeState(writer);
            sink.save(name, sequence, state.stateVersion(), writer.toBytes());
        } catch (RuntimeException e) {
            LOG.error("engine {}: its state at event {} could not be written; a restart will replay more of the journal", name, sequence, e);
        }
    }
}
