package io.mme.core.runtime;

import io.mme.core.ring.InboundEvent;

import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/** An inbound engine for tests: records what it saw of each event and can run an action per event. */
class RecordingEngine implements Engine<InboundEvent> {
    record Seen(long sequence, long timestampNanos, String faultedBy, String thread) {
    }

    final CopyOnWriteArrayList<Seen> seen = new CopyOnWriteArrayList<>();
    private final Consumer<InboundEvent> action;
    volatile EngineContext context;

    RecordingEngine() {
        this(event -> { });
    }

    RecordingEngine(Consumer<InboundEvent> action) {
        this.action = action;
    }

    @Override
    public void onStart(EngineContext context) {
        this.context = context;
    }

    @Override
    public void onEvent(InboundEvent event, long sequence, boolean endOfBatch) {
        action.accept(event);
        seen.add(new Seen(sequence, event.timestampNanos(), event.faultedBy(), Thread.currentThread().getName()));
    }
}
