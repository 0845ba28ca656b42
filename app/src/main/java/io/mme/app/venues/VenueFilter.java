package io.mme.app.venues;

import io.mme.core.ring.OrderCommand;
import io.mme.core.runtime.Engine;
import io.mme.core.runtime.EngineContext;

/**
 * An outbound consumer that passes on only the commands of the venues routed to it: the paper venue
 * must not see (let alone answer a status query for) orders that went to a live venue. Runs on the
 * wrapped engine's thread; stateless beyond the venue mask.
 */
public final class VenueFilter implements Engine<OrderCommand> {
    private final Engine<OrderCommand> inner;
    private final boolean[] venues;

    /** @param venueIds the venues whose commands reach {@code inner} */
    public VenueFilter(Engine<OrderCommand> inner, java.util.Collection<Integer> venueIds) {
        this.inner = inner;
        int size = 0;
        for (int v : venueIds) {
            size = Math.max(size, v + 1);
        }
        this.venues = new boolean[size];
        for (int v : venueIds) {
            venues[v] = true;
        }
    }

    @Override
    public void onStart(EngineContext context) {
        inner.onStart(context);
    }

    @Override
    public void onEvent(OrderCommand command, long sequence, boolean endOfBatch) throws Exception {
        int v = command.venueId();
        if (v >= 0 && v < venues.length && venues[v]) {
            inner.onEvent(command, sequence, endOfBatch);
        }
    }

    @Override
    public long idleWakeUpNanos() {
        return inner.idleWakeUpNanos();
    }

    @Override
    public void onIdle() {
        inner.onIdle();
    }

    @Override
    public void onShutdown() {
        inner.onShutdown();
    }
}
