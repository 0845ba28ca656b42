package io.mme.core.runtime;

import io.mme.core.ring.InboundEvent;

/**
 * The runtime's latency stamps on an inbound slot: when a chain stage finished with it. Measurement
 * only (the analytics stage turns them into histograms); no engine decides on them. Kept outside
 * the engine classes, which may not read a clock (the architecture test). Any engine thread, on its
 * own slot.
 */
final class StageStamps {
    private StageStamps() {
    }

    static void stageDone(InboundEvent event, int stage) {
        event.stageDone(stage, System.nanoTime());
    }
}
