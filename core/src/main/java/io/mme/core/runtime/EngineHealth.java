package io.mme.core.runtime;

import com.lmax.disruptor.Cursored;
import com.lmax.disruptor.Sequence;

/**
 * What the app may show about one engine. Written only by the engine's own thread (state, pinning,
 * fault) through volatile fields; read by any thread as a {@link EngineStatus} snapshot.
 */
public final class EngineHealth {
    private final String name;
    private final String ring;
    private final WaitStrategyKind waitStrategy;
    private final int requestedCpu;
    private final Cursored cursor;
    /** the processor's sequence, known once the processor is built */
    private volatile Sequence processed = new Sequence(-1);
    private volatile EngineState state = EngineState.STARTING;
    private volatile String pinning = "not started";
    private volatile String fault;
    private volatile long faults;

    EngineHealth(String name, String ring, WaitStrategyKind waitStrategy, int requestedCpu, Cursored cursor) {
        this.name = name;
        this.ring = ring;
        this.waitStrategy = waitStrategy;
        this.requestedCpu = requestedCpu;
        this.cursor = cursor;
    }

    public String name() {
        return name;
    }

    public EngineState state() {
        return state;
    }

    /** added to ring sequences so that the status shows event numbers of the sequenced input */
    private long sequenceBase;

    void sequenceBase(long base) {
        this.sequenceBase = base;
    }

    void track(Sequence processorSequence) {
        this.processed = processorSequence;
    }

    void state(EngineState state) {
        this.state = state;
    }

    void pinning(String pinning) {
        this.pinning = pinning;
    }

    /** records a fault; the first fault's description is kept, later ones only counted */
    void fault(String description) {
        if (fault == null) {
            fault = description;
        }
        faults = faults + 1; // single writer: the engine's own thread
        state = EngineState.FAULTED;
    }

    public EngineStatus snapshot() {
        long done = processed.get();
        long published = cursor.getCursor();
        return new EngineStatus(name, ring, state, waitStrategy, requestedCpu, pinning, done + sequenceBase,
                Math.max(0, published - done), faults, fault);
    }
}
