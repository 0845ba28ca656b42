package io.mme.core.runtime;

import com.lmax.disruptor.InsufficientCapacityException;
import com.lmax.disruptor.RingBuffer;
import io.mme.core.ring.InboundEvent;
import io.mme.core.ring.InboundEventType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;

/**
 * Puts events into the inbound ring: the one sequenced input of the engine. The publisher claims a
 * slot, starts its lap (sequence, type, a timestamp from the edge clock), lets the writer fill the
 * input part and publishes it. Nothing allocates as long as the writer is a non-capturing lambda or
 * a reused object. Once closed it refuses events with an exception rather than dropping them.
 *
 * <p>Two kinds exist:
 * <ul>
 *   <li>the <b>edge</b> publisher (connectors, timers, REST): any thread; waits for room when the
 *       ring is full, which is the back-pressure the edges should feel;</li>
 *   <li>an <b>engine</b> publisher, one per engine that publishes back into the inbound ring (the
 *       paper venue's execution reports): used by that engine's thread only, and it never waits.
 *       Waiting would close a cycle (inbound full because execution waits for outbound room,
 *       outbound full because the venue waits for inbound room) and deadlock the pipeline. When the
 *       ring is full the event is held in order in a local overflow and published ahead of anything
 *       newer, on the engine's next publish or when the runtime wakes the idle engine to flush.
 *       Overflow slots come from a pool, so they allocate only when the pool itself must grow.</li>
 * </ul>
 */
public final class InboundPublisher {
    private static final Logger LOG = LoggerFactory.getLogger(InboundPublisher.class);
    private static final int OVERFLOW_POOL = 1024;

    private final String name;
    private final RingBuffer<InboundEvent> ring;
    private final EpochClock clock;
    private final boolean waitWhenFull;
    private final ArrayDeque<InboundEvent> overflow;
    private final ArrayDeque<InboundEvent> pool;
    /** overflow size, for other threads (shutdown, health); written by the owner thread only */
    private volatile int held;
    private long heldHighWater;
    private volatile boolean closed;
    /** a replay's engine publisher: what the engine publishes is already in the journal being replayed */
    private final boolean discarding;
    /** events a discarding publisher dropped; owner thread writes */
    private volatile long discarded;
    /**
     * added to the ring's sequence to give an event its number in the sequenced input, so that a
     * pipeline restarted after a journal of n events numbers its first event n (set by the pipeline)
     */
    private long sequenceBase;
    /** while true an engine publisher drops what it publishes (a recovery feeding journaled events) */
    private volatile boolean discardingNow;
    /**
     * An event-time driver's way to make room ({@link EventTimeChain}): run on the publishing
     * thread when the ring is full, it consumes what the ring holds, so the event is published
     * instead of held. Null for every other publisher.
     */
    private Runnable whenFull;
    /**
     * An event-time publisher ({@link EventTimeChain}): the receive time it stamps is the event's
     * time, not {@code System.nanoTime()}. There is no wall-clock latency to measure in event
     * time, and reading the monotonic clock cost ~100 ns an event on this machine (a backtest
     * publishes four events per venue message). Set once, before the first publish.
     */
    private boolean eventTime;

    /** fills the input part of a claimed slot; must not throw (decode before publishing) */
    @FunctionalInterface
    public interface Writer<A> {
        void write(InboundEvent event, A arg);
    }

    private InboundPublisher(String name, RingBuffer<InboundEvent> ring, EpochClock clock, boolean waitWhenFull) {
        this(name, ring, clock, waitWhenFull, false);
    }

    private InboundPublisher(String name, RingBuffer<InboundEvent> ring, EpochClock clock, boolean waitWhenFull, boolean discarding) {
        this.discarding = discarding;
        this.name = name;
        this.ring = ring;
        this.clock = clock;
        this.waitWhenFull = waitWhenFull;
        this.overflow = waitWhenFull ? null : new ArrayDeque<>(OVERFLOW_POOL);
        this.pool = waitWhenFull ? null : new ArrayDeque<>(OVERFLOW_POOL);
        if (pool != null) {
            for (int i = 0; i < OVERFLOW_POOL; i++) {
                // a held event keeps its input only (copyInputFrom): no book levels
                pool.add(new InboundEvent(0));
            }
        }
    }

    static InboundPublisher edge(RingBuffer<InboundEvent> ring, EpochClock clock) {
        return new InboundPublisher("edge", ring, clock, true);
    }

    static InboundPublisher forEngine(String engine, RingBuffer<InboundEvent> ring, EpochClock clock) {
        return new InboundPublisher(engine, ring, clock, false);
    }

    /**
     * The driver of an {@link EventTimeChain}: an engine publisher (never waits) that, when the
     * ring is full, first runs {@code whenFull} on this thread, which consumes the ring, and then
     * publishes; it holds an event back only if that made no room.
     */
    static InboundPublisher drainingWhenFull(String engine, RingBuffer<InboundEvent> ring, EpochClock clock, Runnable whenFull) {
        InboundPublisher publisher = new InboundPublisher(engine, ring, clock, false);
        publisher.whenFull = whenFull;
        publisher.eventTime = true;
        return publisher;
    }

    /** an engine publisher of an {@link EventTimeChain}: its receive times are the event time (see {@link #eventTime}) */
    static InboundPublisher forEngineInEventTime(String engine, RingBuffer<InboundEvent> ring, EpochClock clock) {
        InboundPublisher publisher = new InboundPublisher(engine, ring, clock, false);
        publisher.eventTime = true;
        return publisher;
    }

    /**
     * An engine publisher for a replay: the events the engine published in the live run are in the
     * journal that the replay feeds in, so publishing them again would duplicate them. It counts
     * them and drops them.
     */
    static InboundPublisher discardingForEngine(String engine, RingBuffer<InboundEvent> ring, EpochClock clock) {
        return new InboundPublisher(engine, ring, clock, false, true);
    }

    /** events dropped by a replay's engine publisher */
    public long discarded() {
        return discarded;
    }

    void sequenceBase(long base) {
        this.sequenceBase = base;
    }

    /** an engine publisher drops what it publishes while set: its events are in the journal being fed in */
    void discarding(boolean discard) {
        if (!waitWhenFull) {
            this.discardingNow = discard;
        }
    }

    /**
     * Publishes one event. The edge publisher waits for room; an engine publisher holds the event
     * in its overflow when the ring is full.
     *
     * @return the event's sequence (its number in the sequenced input), or -1 when an engine
     *         publisher held it back or dropped it
     * @throws IllegalStateException when the pipeline is shutting down
     */
    public <A> long publish(InboundEventType type, Writer<A> writer, A arg) {
        checkOpen();
        if (discarding || discardingNow) {
            discarded = discarded + 1;
            return -1;
        }
        if (waitWhenFull) {
            long sequence = ring.next();
            fill(sequence, type, writer, arg);
            return sequence + sequenceBase;
        }
        if (held == 0) {
            long sequence = tryClaim();
            if (sequence < 0 && whenFull != null) {
                whenFull.run();
                sequence = tryClaim();
            }
            if (sequence >= 0) {
                fill(sequence, type, writer, arg);
                return sequence + sequenceBase;
            }
        }
        hold(type, writer, arg);
        flush();
        return -1;
    }

    /**
     * Publishes one event if the ring has room right now (and, for an engine publisher, nothing is
     * held back).
     *
     * @return the sequence, or -1 when the ring is full (the caller keeps the event)
     */
    public <A> long tryPublish(InboundEventType type, Writer<A> writer, A arg) {
        checkOpen();
        if (discarding) {
            discarded = discarded + 1;
            return -1;
        }
        if (held > 0) {
            flush();
            if (held > 0) {
                return -1;
            }
        }
        long sequence = tryClaim();
        if (sequence >= 0) {
            fill(sequence, type, writer, arg);
            return sequence + sequenceBase;
        }
        return -1;
    }

    /** a clock tick: an event with only a timestamp */
    public long publishTimer() {
        return publish(InboundEventType.TIMER, (event, arg) -> { }, null);
    }

    /** Publishes held-back events while the ring has room; owner thread only. */
    void flush() {
        if (overflow == null) {
            return;
        }
        while (!overflow.isEmpty()) {
            long sequence = tryClaim();
            if (sequence < 0) {
                return;
            }
            InboundEvent heldEvent = overflow.pollFirst();
            try {
                InboundEvent slot = ring.get(sequence);
                // a new lap of the slot: its own number first, then the held input
                slot.begin(sequence + sequenceBase, heldEvent.type(), heldEvent.timestampNanos());
                slot.copyInputFrom(heldEvent);
            } finally {
                ring.publish(sequence);
            }
            pool.addLast(heldEvent);
            held = overflow.size();
        }
    }

    /** events held back by an engine publisher because the ring was full */
    public int held() {
        return held;
    }

    private <A> void hold(InboundEventType type, Writer<A> writer, A arg) {
        InboundEvent spare = pool.pollFirst();
        if (spare == null) {
            spare = new InboundEvent(0);
        }
        long now = clock.epochNanos();
        spare.begin(-1, type, now);
        spare.receivedNanos(eventTime ? now : System.nanoTime());
        try {
            writer.write(spare, arg);
        } catch (RuntimeException | Error e) {
            spare.markPublisherFaulted(name);
            throw e;
        } finally {
            overflow.addLast(spare);
            held = overflow.size();
            if (held > heldHighWater) {
                heldHighWater = held;
                if (Long.bitCount(heldHighWater) == 1) {
                    LOG.warn("{}: inbound ring full, {} events held back for publishing", name, heldHighWater);
                }
            }
        }
    }

    private long tryClaim() {
        try {
            return ring.tryNext();
        } catch (InsufficientCapacityException full) {
            return -1;
        }
    }

    private <A> void fill(long sequence, InboundEventType type, Writer<A> writer, A arg) {
        InboundEvent event = ring.get(sequence);
        try {
            long now = clock.epochNanos();
            event.begin(sequence + sequenceBase, type, now);
            event.receivedNanos(eventTime ? now : System.nanoTime());
            writer.write(event, arg);
        } catch (RuntimeException | Error e) {
            // A claimed slot must be published or the ring stalls; publish it marked so no engine acts on it.
            event.markPublisherFaulted(name);
            throw e;
        } finally {
            ring.publish(sequence);
        }
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("inbound publisher '" + name + "' is closed: the pipeline is shutting down, event not accepted");
        }
    }

    void close() {
        closed = true;
    }

    /** whether the pipeline closed this publisher (it is shutting down); a volatile read, any thread */
    boolean isClosed() {
        return closed;
    }

    /** the number of the last event claimed on the ring (by any publisher) */
    public long cursor() {
        return ring.getCursor() + sequenceBase;
    }
}
