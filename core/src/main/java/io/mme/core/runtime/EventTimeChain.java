package io.mme.core.runtime;

import com.lmax.disruptor.RingBuffer;
import com.lmax.disruptor.Sequence;
import com.lmax.disruptor.YieldingWaitStrategy;
import io.mme.core.ring.InboundEvent;
import io.mme.core.ring.InboundEventType;
import io.mme.core.ring.OrderCommand;

import java.util.ArrayList;
import java.util.List;

/**
 * The business chain and the outbound consumers run in event time on the caller's thread, for a
 * backtest: the caller sets the clock to an event's time, publishes it, and {@link #publish} runs
 * that event through every chain engine, then hands each order command the execution engine
 * published to the outbound consumers, then runs whatever those and the engines published back
 * into the inbound ring, until both rings are empty. The next event is taken only after that, so
 * the order of everything the engines see depends on the input alone: the same input gives the
 * same decisions on any machine.
 *
 * <p>The engines are the live ones with the live contract: the same slots ({@link InboundEvent},
 * {@link OrderCommand}) on real Disruptor rings, the same publishers (each engine its own, never
 * waiting), the same outbound halt gate, and the fault containment of {@link FusedChain} (an
 * exception is logged, recorded, halts trading from the event and marks the slot). Time is the
 * {@link EpochClock} the caller passes: publishers stamp events with it, so engines see the
 * event's time and nothing else (the receive time kept for latency figures is the event time too:
 * no wall clock is read per event).
 *
 * <p>Thread: one thread builds, starts, publishes and stops it; not thread-safe.
 */
public final class EventTimeChain {
    private final RingBuffer<InboundEvent> inboundRing;
    private final RingBuffer<OrderCommand> outboundRing;
    private final Sequence inboundDone = new Sequence(-1);
    private final Sequence outboundDone = new Sequence(-1);
    private final PipelineHealth health = new PipelineHealth();
    private final List<String> chainNames;
    private final Engine<InboundEvent>[] chain;
    private final EngineHealth[] chainHealth;
    private final Engine<OrderCommand>[] consumers;
    private final EngineHealth[] consumerHealth;
    private final List<String> consumerNames;
    private final InboundPublisher driver;
    private final List<InboundPublisher> enginePublishers = new ArrayList<>();
    /** the same, as an array for the drain's check of held events (no iterator per drained event) */
    private InboundPublisher[] publishers = new InboundPublisher[0];
    private final OutboundPublisher outbound;
    private final EpochClock clock;
    private boolean started;
    private long faults;

    /**
     * @param chainNames     the chain engines' names, in chain order ({@link Pipeline#MARKETDATA} ...)
     * @param chain          the chain engines, same order
     * @param consumerNames  the outbound consumers' names (the simulated venues)
     * @param consumers      the outbound consumers
     * @param clock          event time: publishers stamp every event with it
     * @param ringSize       slots of each ring (a power of two); holds what one event sets off
     */
    public EventTimeChain(List<String> chainNames, List<? extends Engine<InboundEvent>> chain, List<String> consumerNames,
                          List<? extends Engine<OrderCommand>> consumers, EpochClock clock, int ringSize) {
        this(chainNames, chain, consumerNames, consumers, clock, ringSize, ringSize);
    }

    /**
     * @param chainNames       the chain engines' names, in chain order ({@link Pipeline#MARKETDATA} ...)
     * @param chain            the chain engines, same order
     * @param consumerNames    the outbound consumers' names (the simulated venues)
     * @param consumers        the outbound consumers
     * @param clock            event time: publishers stamp every event with it
     * @param inboundRingSize  slots of the inbound ring (a power of two). It need not hold a whole
     *                         venue message: when the driver finds it full, the chain first runs
     *                         what it holds (see {@link #inbound()}). Small is fast: the slots the
     *                         engines touch stay in the core's cache instead of streaming a ring of
     *                         megabytes through it.
     * @param outboundRingSize slots of the outbound ring (a power of two); holds the commands one event sets off
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    public EventTimeChain(List<String> chainNames, List<? extends Engine<InboundEvent>> chain, List<String> consumerNames,
                          List<? extends Engine<OrderCommand>> consumers, EpochClock clock, int inboundRingSize, int outboundRingSize) {
        if (chainNames.size() != chain.size() || consumerNames.size() != consumers.size()) {
            throw new IllegalArgumentException("one name per engine");
        }
        this.clock = clock;
        this.chainNames = List.copyOf(chainNames);
        this.consumerNames = List.copyOf(consumerNames);
        this.chain = chain.toArray(new Engine[0]);
        this.consumers = consumers.toArray(new Engine[0]);
        // every publisher runs on the caller's thread: single-producer rings; nothing ever waits on them
        inboundRing = RingBuffer.createSingleProducer(InboundEvent::new, inboundRingSize, new YieldingWaitStrategy());
        outboundRing = RingBuffer.createSingleProducer(OrderCommand::new, outboundRingSize, new YieldingWaitStrategy());
        inboundRing.addGatingSequences(inboundDone);
        outboundRing.addGatingSequences(outboundDone);
        // never waits (that would deadlock this thread): a full ring is first drained through the chain, on this thread
        driver = InboundPublisher.drainingWhenFull("driver", inboundRing, clock, this::drain);
        enginePublishers.add(driver);
        publishers = new InboundPublisher[] {driver};
        outbound = new OutboundPublisher(outboundRing, health);
        chainHealth = new EngineHealth[this.chain.length];
        for (int i = 0; i < chainHealth.length; i++) {
            chainHealth[i] = new EngineHealth(chainNames.get(i), "inbound", WaitStrategyKind.BUSY_SPIN, -1, inboundRing);
            chainHealth[i].track(inboundDone);
            health.add(chainHealth[i]);
        }
        consumerHealth = new EngineHealth[this.consumers.length];
        for (int i = 0; i < consumerHealth.length; i++) {
            consumerHealth[i] = new EngineHealth(consumerNames.get(i), "outbound", WaitStrategyKind.BUSY_SPIN, -1, outboundRing);
            consumerHealth[i].track(outboundDone);
            health.add(consumerHealth[i]);
        }
    }

    /** calls every engine's {@code onStart} with its own publishers, as the pipeline does */
    public EventTimeChain start() {
        if (started) {
            throw new IllegalStateException("started twice");
        }
        started = true;
        for (int i = 0; i < chain.length; i++) {
            InboundPublisher own = InboundPublisher.forEngineInEventTime(chainNames.get(i), inboundRing, clock);
            enginePublishers.add(own);
            chainHealth[i].state(EngineState.RUNNING);
            chain[i].onStart(new EngineContext(chainNames.get(i), own, outbound, health));
        }
        for (int i = 0; i < consumers.length; i++) {
            InboundPublisher own = InboundPublisher.forEngineInEventTime(consumerNames.get(i), inboundRing, clock);
            enginePublishers.add(own);
            consumerHealth[i].state(EngineState.RUNNING);
            consumers[i].onStart(new EngineContext(consumerNames.get(i), own, outbound, health));
        }
        publishers = enginePublishers.toArray(new InboundPublisher[0]);
        return this;
    }

    /**
     * Publishes one event at the clock's current time and runs it, and everything it sets off, to
     * completion.
     *
     * @return the event's sequence (-1 only when the ring was full and it was held for the drain)
     */
    public <A> long publish(InboundEventType type, InboundPublisher.Writer<A> writer, A arg) {
        long sequence = driver.publish(type, writer, arg);
        drain();
        return sequence;
    }

    /**
     * The driver's publisher: publishes without running the chain (call {@link #drain()} after).
     * When the ring is full it runs the chain over what the ring holds first (a {@link #drain()}
     * inside the publish), so a venue message longer than the ring (a 1,000-level snapshot) is run
     * part by part. That changes no decision: the chain engines act on a market data slot only at
     * its message's end (docs/ARCHITECTURE.md, the slot contract), and the slots before it only
     * update the books, whenever they run.
     */
    public InboundPublisher inbound() {
        return driver;
    }

    /** runs every published event through the chain and every command through the consumers until both rings are empty */
    public void drain() {
        while (true) {
            long next = inboundDone.get() + 1;
            if (next <= inboundRing.getCursor()) {
                runChain(inboundRing.get(next), next);
                inboundDone.set(next);
                runConsumers();
                continue;
            }
            if (!flushHeld()) {
                return;
            }
        }
    }

    private boolean flushHeld() {
        boolean any = false;
        for (InboundPublisher p : publishers) {
            if (p.held() > 0) {
                p.flush();
                any = true;
            }
        }
        return any;
    }

    private void runChain(InboundEvent event, long ringSequence) {
        for (int i = 0; i < chain.length; i++) {
            try {
                chain[i].onEvent(event, ringSequence, true);
            } catch (VirtualMachineError e) {
                throw e;
            } catch (Throwable t) {
                faults++;
                EngineHandler.recordFault(chainNames.get(i), "event " + event.sequence(), ringSequence, event, t, FaultPolicy.INBOUND,
                        chainHealth[i], health);
            }
        }
    }

    private void runConsumers() {
        long cursor = outboundRing.getCursor();
        for (long s = outboundDone.get() + 1; s <= cursor; s++) {
            OrderCommand command = outboundRing.get(s);
            for (int i = 0; i < consumers.length; i++) {
                try {
                    consumers[i].onEvent(command, s, s == cursor);
                } catch (VirtualMachineError e) {
                    throw e;
                } catch (Throwable t) {
                    faults++;
                    EngineHandler.recordFault(consumerNames.get(i), "command " + s, s, command, t, FaultPolicy.OUTBOUND,
                            consumerHealth[i], health);
                }
            }
            outboundDone.set(s);
        }
    }

    /** drains, then calls every engine's {@code onShutdown} */
    public void stop() {
        drain();
        for (Engine<InboundEvent> engine : chain) {
            engine.onShutdown();
        }
        for (Engine<OrderCommand> consumer : consumers) {
            consumer.onShutdown();
        }
    }

    /** exceptions the engines threw (each halted trading, as live) */
    public long faults() {
        return faults;
    }

    /** the engines' health, as the app shows it for a live pipeline */
    public PipelineHealth health() {
        return health;
    }

    /** the number of the last event published */
    public long lastSequence() {
        return inboundRing.getCursor();
    }
}
