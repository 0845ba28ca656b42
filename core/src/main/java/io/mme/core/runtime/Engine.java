package io.mme.core.runtime;

/**
 * A single-threaded consumer of one ring: the unit the {@link Pipeline} wires, pins and watches.
 *
 * <p>Contract: the runtime calls every method on the engine's own thread, {@link #onStart} first,
 * then {@link #onEvent} once per event in sequence order, then {@link #onShutdown} after the rings
 * drained. State the engine keeps is owned by that thread. An engine is deterministic: what it does
 * depends only on the events it consumed; its clock is the event's timestamp (reading the wall clock
 * inside an engine is refused by the architecture test). An exception thrown from here halts trading
 * and is reported; the event is still passed on to the engines after it, marked as faulted.
 *
 * @param <E> the ring's slot type: {@link io.mme.core.ring.InboundEvent} or
 *            {@link io.mme.core.ring.OrderCommand}
 */
public interface Engine<E> {
    /** called once on the engine thread before the first event */
    default void onStart(EngineContext context) {
    }

    /**
     * Handles one event. The slot is only valid during this call; copy what must be kept.
     *
     * @param endOfBatch true for the last event currently available: a good moment to flush
     */
    void onEvent(E event, long sequence, boolean endOfBatch) throws Exception;

    /**
     * How long the engine may wait for an event before {@link #onIdle} is called; 0 (the default)
     * means never. For engines that stand for something outside the engine's deterministic core
     * and have a clock of their own, such as the paper venue's simulated market.
     */
    default long idleWakeUpNanos() {
        return 0;
    }

    /** called on the engine thread when no event arrived for {@link #idleWakeUpNanos()} */
    default void onIdle() {
    }

    /** called once on the engine thread after the last event */
    default void onShutdown() {
    }
}
