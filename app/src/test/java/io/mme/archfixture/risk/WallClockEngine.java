package io.mme.archfixture.risk;

import io.mme.core.ring.InboundEvent;
import io.mme.core.runtime.Engine;

import java.time.Instant;

/** planted violation: an engine reading the wall clock instead of the event's timestamp */
public final class WallClockEngine implements Engine<InboundEvent> {
    private long last;

    @Override
    public void onEvent(InboundEvent event, long sequence, boolean endOfBatch) {
        last = System.nanoTime() + Instant.now().getNano();
    }

    public long last() {
        return last;
    }
}
