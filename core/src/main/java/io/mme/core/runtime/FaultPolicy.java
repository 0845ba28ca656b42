package io.mme.core.runtime;

import io.mme.core.ring.InboundEvent;
import io.mme.core.ring.OrderCommand;

/** What an engine fault does to the slot and from which inbound sequence it halts trading. */
interface FaultPolicy<E> {
    /** marks the slot so the engines after this one see that it faulted */
    void mark(E event, String engine);

    /** the first inbound sequence whose decisions may no longer add risk */
    long haltFrom(E event, long sequence);

    /**
     * Inbound: the slot is marked and trading halts from this event on. The execution engine sees
     * the event after the faulting engine (or the fault is in execution itself), so the refused
     * commands are exactly those of this event and later ones.
     */
    FaultPolicy<InboundEvent> INBOUND = new FaultPolicy<>() {
        @Override
        public void mark(InboundEvent event, String engine) {
            event.markFaulted(engine);
        }

        @Override
        public long haltFrom(InboundEvent event, long sequence) {
            // the event's own number in the sequenced input, which is what commands name as their cause
            return event.sequence();
        }
    };

    /**
     * Outbound: a venue that threw on a command may have half-applied it; trading halts at once,
     * whatever the execution engine is deciding now.
     */
    FaultPolicy<OrderCommand> OUTBOUND = new FaultPolicy<>() {
        @Override
        public void mark(OrderCommand command, String engine) {
            // an order command has no decisions downstream to protect
        }

        @Override
        public long haltFrom(OrderCommand command, long sequence) {
            return Long.MIN_VALUE;
        }
    };
}
