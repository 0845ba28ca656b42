package io.mme.core.runtime;

import com.lmax.disruptor.BatchEventProcessor;
import com.lmax.disruptor.BatchEventProcessorBuilder;
import com.lmax.disruptor.RingBuffer;
import com.lmax.disruptor.Sequence;
import com.lmax.disruptor.SequenceBarrier;
import io.mme.core.ring.BookView;
import io.mme.core.ring.InboundEvent;
import io.mme.core.ring.OrderCommand;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The two rings and every engine thread, wired in one place (the constructor below), in the order
 * of DESIGN.md:
 *
 * <pre>
 *  publishers ──▶ INBOUND RING (multi-producer)
 *                  1 marketdata ─▶ 2 strategy ─▶ 3 risk ─▶ 4 execution ─┬─▶ 5a audit
 *                                                          │            └─▶ 5b analytics
 *                                                          ▼
 *                 OUTBOUND RING (single producer: execution)
 *                  6 venue gateways / paper venue, each in parallel
 * </pre>
 *
 * Stages 1-4 form the business chain: each waits for the one before it on the same slot. Audit and
 * analytics consume after the chain (so they see the slot with its decisions) in parallel with
 * each other, never in front of the chain. Every engine has its own thread, pinned and waiting as
 * its {@link EngineSpec} says. A stage that has no engine is left out of the chain.
 *
 * <p>Lifecycle: build, {@link #start()}, {@link #close()}. Close stops the edge publishers, halts
 * trading (no new risk while draining), waits until both rings are drained (an outbound consumer
 * may still publish execution reports into the inbound ring meanwhile), then stops the threads.
 * Not thread-safe: one owner thread builds, starts and closes it.
 */
public final class Pipeline implements AutoCloseable {
    /** the journal of the input: first, so that nothing is decided on an event not yet journaled */
    public static final String JOURNAL = "journal";
    public static final String MARKETDATA = "marketdata";
    public static final String STRATEGY = "strategy";
    public static final String RISK = "risk";
    public static final String EXECUTION = "execution";
    public static final String AUDIT = "audit";
    public static final String ANALYTICS = "analytics";
    /** the streaming API's tap: keeps what subscribers are sent (depth, trades, order-level books) */
    public static final String STREAM = "stream";
    /** the business chain, in order */
    public static final List<String> CHAIN = List.of(JOURNAL, MARKETDATA, STRATEGY, RISK, EXECUTION);
    /** consumers after the chain, in parallel with each other */
    public static final List<String> AFTER_CHAIN = List.of(AUDIT, ANALYTICS, STREAM);
    /** the thread's name when the chain runs fused on one thread ({@link PipelineConfig#fusedChain()}) */
    public static final String FUSED_CHAIN = "chain";

    private static final Logger LOG = LoggerFactory.getLogger(Pipeline.class);
    private static final String INBOUND = "inbound";
    private static final String OUTBOUND = "outbound";

    private final PipelineConfig config;
    private final RingBuffer<InboundEvent> inboundRing;
    private final RingBuffer<OrderCommand> outboundRing;
    private final PipelineHealth health = new PipelineHealth();
    private final InboundPublisher edgePublisher;
    private final EpochClock clock;
    private final OutboundPublisher outboundPublisher;
    private final List<Runner> inboundRunners = new ArrayList<>();
    private final List<Runner> outboundRunners = new ArrayList<>();
    private final boolean replay;
    private final long sequenceBase;
    private final Snapshots snapshots;
    private boolean started;
    private boolean closed;

    /** one engine's processor and the thread that will run it */
    private record Runner(String name, BatchEventProcessor<?> processor, EngineThread thread, InboundPublisher publisher) {
    }

    private Pipeline(Builder b) {
        this.config = b.config;
        this.replay = b.replay;
        this.sequenceBase = b.firstSequence;
        this.snapshots = b.snapshotSink == null ? null : new Snapshots(b.snapshotSink);
        List<String> chainPresent = new ArrayList<>();
        for (String stage : CHAIN) {
            if (b.inbound.containsKey(stage)) {
                chainPresent.add(stage);
            }
        }
        boolean fused = config.fusedChain() && !chainPresent.isEmpty();
        int engineCount = b.inbound.size() + b.outbound.size() - (fused ? chainPresent.size() - 1 : 0);
        if (b.inbound.isEmpty()) {
            throw new IllegalArgumentException("a pipeline needs at least one inbound engine");
        }
        WaitStrategyKind defaultWait = WaitStrategyKind.defaultFor(b.cores, engineCount);
        Map<String, WaitStrategyKind> waits = new LinkedHashMap<>();
        b.inbound.keySet().forEach(name -> waits.put(name, waitOf(name, defaultWait)));
        if (fused) {
            chainPresent.forEach(waits::remove);
            waits.put(FUSED_CHAIN, waitOf(FUSED_CHAIN, defaultWait));
        }
        b.outbound.keySet().forEach(name -> waits.put(name, waitOf(name, defaultWait)));
        warnIfOversubscribed(waits, b.cores);
        LOG.info("pipeline: {} engines on {} cores, default wait strategy {}", engineCount, b.cores, defaultWait.configName());

        // The rings. Each has one wait strategy object that lets each engine thread wait its own way.
        int bookDepth = b.bookDepth;
        inboundRing = RingBuffer.createMultiProducer(() -> new InboundEvent(bookDepth), config.inboundRingSize(),
                new EngineWaitStrategy(WaitStrategyKind.BLOCKING, anyBlocking(waits, b.inbound.keySet())));
        outboundRing = RingBuffer.createSingleProducer(OrderCommand::new, config.outboundRingSize(),
                new EngineWaitStrategy(WaitStrategyKind.BLOCKING, anyBlocking(waits, b.outbound.keySet())));
        clock = b.clock;
        edgePublisher = InboundPublisher.edge(inboundRing, clock);
        edgePublisher.sequenceBase(sequenceBase);
        outboundPublisher = new OutboundPublisher(outboundRing, health);

        // Stages 1-4: the business chain, each stage gated on the one before it, or all on one thread.
        SequenceBarrier barrier = inboundRing.newBarrier();
        Sequence endOfChain = null;
        if (fused) {
            List<Engine<InboundEvent>> engines = new ArrayList<>();
            List<EngineHealth> healths = new ArrayList<>();
            for (String stage : chainPresent) {
                engines.add(b.inbound.get(stage));
                EngineHealth stageHealth = new EngineHealth(stage, INBOUND, waits.get(FUSED_CHAIN), config.engine(FUSED_CHAIN).cpu(), inboundRing);
                stageHealth.sequenceBase(sequenceBase);
                healths.add(stageHealth);
            }
            FusedChain chain = new FusedChain(chainPresent, engines, healths, health);
            if (b.snapshotSink != null) {
                chain.snapshots(new Snapshots(b.snapshotSink));
            }
            Runner runner = runner(FUSED_CHAIN, INBOUND, chain, inboundRing, barrier, FaultPolicy.INBOUND, waits.get(FUSED_CHAIN), b.pinning);
            inboundRunners.add(runner);
            endOfChain = runner.processor().getSequence();
            for (EngineHealth stageHealth : healths) {
                stageHealth.track(endOfChain);
                health.add(stageHealth);
            }
            barrier = inboundRing.newBarrier(endOfChain);
        }
        for (String stage : fused ? List.<String>of() : CHAIN) {
            Engine<InboundEvent> engine = b.inbound.get(stage);
            if (engine != null) {
                Runner runner = runner(stage, INBOUND, engine, inboundRing, barrier, FaultPolicy.INBOUND, waits.get(stage), b.pinning);
                inboundRunners.add(runner);
                endOfChain = runner.processor().getSequence();
                barrier = inboundRing.newBarrier(endOfChain);
            }
        }
        // Stage 5: audit and analytics, after the chain and in parallel with each other.
        List<Sequence> inboundGates = new ArrayList<>();
        boolean parallelPresent = false;
        for (String stage : AFTER_CHAIN) {
            Engine<InboundEvent> engine = b.inbound.get(stage);
            if (engine != null) {
                Runner runner = runner(stage, INBOUND, engine, inboundRing, barrier, FaultPolicy.INBOUND, waits.get(stage), b.pinning);
                inboundRunners.add(runner);
                inboundGates.add(runner.processor().getSequence());
                parallelPresent = true;
            }
        }
        if (!parallelPresent) {
            inboundGates.add(endOfChain);
        }
        inboundRing.addGatingSequences(inboundGates.toArray(new Sequence[0]));

        // Stage 6: the outbound consumers (venue gateways, the paper venue), in parallel.
        SequenceBarrier outboundBarrier = outboundRing.newBarrier();
        for (Map.Entry<String, Engine<OrderCommand>> e : b.outbound.entrySet()) {
            Runner runner = runner(e.getKey(), OUTBOUND, e.getValue(), outboundRing, outboundBarrier,
                    FaultPolicy.OUTBOUND, waits.get(e.getKey()), b.pinning);
            outboundRunners.add(runner);
            outboundRing.addGatingSequences(runner.processor().getSequence());
        }
    }

    private <E> Runner runner(String name, String ring, Engine<E> engine, RingBuffer<E> buffer, SequenceBarrier barrier,
                              FaultPolicy<E> faultPolicy, WaitStrategyKind wait, CpuPinning pinning) {
        int cpu = config.engine(name).cpu();
        // The health tracks the processor's sequence, which exists only once the processor is built.
        EngineHealth engineHealth = new EngineHealth(name, ring, wait, cpu, buffer);
        InboundPublisher publisher = replay ? InboundPublisher.discardingForEngine(name, inboundRing, clock)
                : InboundPublisher.forEngine(name, inboundRing, clock);
        publisher.sequenceBase(sequenceBase);
        engineHealth.sequenceBase(INBOUND.equals(ring) ? sequenceBase : 0);
        EngineContext context = new EngineContext(name, publisher, outboundPublisher, health);
        EngineHandler<E> handler = new EngineHandler<>(name, engine, engineHealth, health, faultPolicy, context, pinning, cpu)
                .stampsChainStage(INBOUND.equals(ring) ? CHAIN.indexOf(name) : -1);
        if (snapshots != null && INBOUND.equals(ring)) {
            handler.snapshots(snapshots);
        }
        BatchEventProcessor<E> processor = new BatchEventProcessorBuilder().build(buffer, barrier, handler);
        processor.setExceptionHandler(handler);
        engineHealth.track(processor.getSequence());
        health.add(engineHealth);
        return new Runner(name, processor, new EngineThread(name, wait, publisher, engine.idleWakeUpNanos(), processor), publisher);
    }

    private WaitStrategyKind waitOf(String name, WaitStrategyKind defaultWait) {
        WaitStrategyKind configured = config.engine(name).waitStrategy();
        return configured != null ? configured : defaultWait;
    }

    private static boolean anyBlocking(Map<String, WaitStrategyKind> waits, Iterable<String> names) {
        for (String name : names) {
            if (waits.get(name) == WaitStrategyKind.BLOCKING) {
                return true;
            }
        }
        return false;
    }

    private static void warnIfOversubscribed(Map<String, WaitStrategyKind> waits, int cores) {
        long spinning = waits.values().stream().filter(w -> w == WaitStrategyKind.BUSY_SPIN).count();
        if (spinning > 0 && waits.size() > cores) {
            LOG.warn("{} engines busy-spin on a machine with {} cores and {} engines: spinning threads will starve the others",
                    spinning, cores, waits.size());
        }
    }

    /** Starts every engine thread. */
    public Pipeline start() {
        if (started) {
            throw new IllegalStateException("pipeline already started");
        }
        started = true;
        outboundRunners.forEach(r -> r.thread().start());
        inboundRunners.forEach(r -> r.thread().start());
        return this;
    }

    /**
     * Recovery mode, around feeding a journal's tail into a restarted pipeline: what engines publish
     * into the inbound ring is dropped (the journal holds what they published before the crash),
     * and order commands are marked {@link OrderCommand#recovered()} so that no gateway sends them.
     * The journal stage itself skips the events it already holds.
     */
    public void recovering(boolean on) {
        health.recovering(on);
        for (Runner r : inboundRunners) {
            r.publisher().discarding(on);
        }
        for (Runner r : outboundRunners) {
            r.publisher().discarding(on);
        }
        outboundPublisher.recovering(on);
    }

    /** the number of the first inbound event of this pipeline ({@link Builder#firstSequence}) */
    public long firstSequence() {
        return sequenceBase;
    }

    /** the publisher for the edges: connectors, timers, the REST API; closed first on shutdown */
    public InboundPublisher inbound() {
        return edgePublisher;
    }

    public PipelineHealth health() {
        return health;
    }

    /**
     * The outbound ring's publisher. It is single-producer: in the engine only the execution
     * engine's thread uses it (through its {@link EngineContext}); a load generator or a test that
     * runs a pipeline without an execution engine may use it from one thread of its own.
     */
    public OutboundPublisher outbound() {
        return outboundPublisher;
    }

    /**
     * Drains both rings and stops every engine. Returns once the threads ended or the configured
     * timeout passed; what was left undrained is logged and returned, never dropped in silence.
     *
     * @return events left unprocessed (0 after a clean drain)
     */
    public long shutdown() {
        if (closed) {
            return 0;
        }
        closed = true;
        health.shuttingDown();
        edgePublisher.close();
        health.haltTrading("shutdown", Long.MIN_VALUE);
        if (!started) {
            return 0;
        }
        long deadline = System.nanoTime() + config.shutdownTimeout().toNanos();
        long left = waitUntilDrained(deadline);
        if (left > 0) {
            LOG.error("shutdown timed out after {}: {} events not processed", config.shutdownTimeout(), left);
        }
        for (Runner r : inboundRunners) {
            r.publisher().close();
            r.processor().halt();
        }
        for (Runner r : outboundRunners) {
            r.publisher().close();
            r.processor().halt();
        }
        joinAll(deadline);
        LOG.info("pipeline stopped: inbound cursor {}, outbound cursor {}, {} events unprocessed",
                inboundRing.getCursor(), outboundRing.getCursor(), left);
        return left;
    }

    @Override
    public void close() {
        shutdown();
    }

    /**
     * Waits until both rings are drained twice in a row with the cursors unchanged: an outbound
     * consumer may publish into the inbound ring while the inbound engines drain, and the
     * execution engine may publish again in answer.
     */
    private long waitUntilDrained(long deadline) {
        long lastInbound = Long.MIN_VALUE;
        long lastOutbound = Long.MIN_VALUE;
        while (true) {
            long inCursor = inboundRing.getCursor();
            long outCursor = outboundRing.getCursor();
            long left = backlog(inboundRunners, inCursor) + backlog(outboundRunners, outCursor);
            if (left == 0 && inCursor == lastInbound && outCursor == lastOutbound) {
                return 0;
            }
            if (System.nanoTime() - deadline > 0 || anyThreadDead()) {
                return left;
            }
            lastInbound = left == 0 ? inCursor : Long.MIN_VALUE;
            lastOutbound = left == 0 ? outCursor : Long.MIN_VALUE;
            sleepQuietly(TimeUnit.MILLISECONDS.toNanos(1));
        }
    }

    /** the largest backlog of any engine on the ring, plus what engines hold back from publishing */
    private static long backlog(List<Runner> runners, long cursor) {
        long max = 0;
        long held = 0;
        for (Runner r : runners) {
            max = Math.max(max, cursor - r.processor().getSequence().get());
            held += r.publisher().held();
        }
        return max + held;
    }

    private boolean anyThreadDead() {
        for (Runner r : inboundRunners) {
            if (!r.thread().isAlive()) {
                return true;
            }
        }
        for (Runner r : outboundRunners) {
            if (!r.thread().isAlive()) {
                return true;
            }
        }
        return false;
    }

    private void joinAll(long deadline) {
        List<Runner> all = new ArrayList<>(inboundRunners);
        all.addAll(outboundRunners);
        for (Runner r : all) {
            long waitMillis = Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()));
            try {
                r.thread().join(waitMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            if (r.thread().isAlive()) {
                LOG.error("engine {} did not stop within the shutdown timeout", r.name());
            }
        }
    }

    private static void sleepQuietly(long nanos) {
        java.util.concurrent.locks.LockSupport.parkNanos(nanos);
    }

    public static Builder builder(PipelineConfig config) {
        return new Builder(config);
    }

    /** Collects engines before the one-place wiring in the constructor. */
    public static final class Builder {
        private final PipelineConfig config;
        private final Map<String, Engine<InboundEvent>> inbound = new LinkedHashMap<>();
        private final Map<String, Engine<OrderCommand>> outbound = new LinkedHashMap<>();
        private EpochClock clock = EpochClock.system();
        private int cores = Runtime.getRuntime().availableProcessors();
        private CpuPinning pinning;
        private boolean replay;
        private long firstSequence;
        private io.mme.core.state.SnapshotSink snapshotSink;
        private int bookDepth = BookView.MAX_DEPTH;

        private Builder(PipelineConfig config) {
            this.config = config;
        }

        /**
         * Puts an engine at an inbound stage.
         *
         * @param stage one of {@link #CHAIN} or {@link #AFTER_CHAIN}
         */
        public Builder stage(String stage, Engine<InboundEvent> engine) {
            if (!CHAIN.contains(stage) && !AFTER_CHAIN.contains(stage)) {
                throw new IllegalArgumentException("stage '" + stage + "' is not one of " + CHAIN + " or " + AFTER_CHAIN);
            }
            if (inbound.putIfAbsent(stage, engine) != null) {
                throw new IllegalArgumentException("stage '" + stage + "' already has an engine");
            }
            return this;
        }

        /** Adds a consumer of the outbound ring: a venue gateway or the paper venue. */
        public Builder outbound(String name, Engine<OrderCommand> engine) {
            if (CHAIN.contains(name) || AFTER_CHAIN.contains(name) || outbound.putIfAbsent(name, engine) != null) {
                throw new IllegalArgumentException("engine name '" + name + "' is already taken");
            }
            return this;
        }

        /** the clock publishers stamp events with (tests pass a fixed one) */
        public Builder clock(EpochClock clock) {
            this.clock = clock;
            return this;
        }

        /**
         * Builds a pipeline that re-runs a journal: the edge publisher feeds the journaled events
         * (stamped by a clock that returns each event's journaled time), and whatever an engine
         * publishes into the inbound ring is dropped, because the live run's engine-published events
         * are in the journal already.
         */
        public Builder replay() {
            this.replay = true;
            return this;
        }

        /**
         * The number the first inbound event gets in the sequenced input (default 0): a pipeline
         * restarted on a journal of n events starts at n, so that events, client order ids and the
         * journal keep counting where they were.
         */
        public Builder firstSequence(long first) {
            if (first < 0) {
                throw new IllegalArgumentException("first sequence " + first + " must not be negative");
            }
            this.firstSequence = first;
            return this;
        }

        /**
         * The most book levels a side each inbound slot carries from the market data engine to the
         * strategies (default {@link BookView#MAX_DEPTH}): the deepest
         * {@code bookDepth} of the configured strategies, so that slots stay small.
         */
        public Builder bookDepth(int levels) {
            if (levels < 0 || levels > BookView.MAX_DEPTH) {
                throw new IllegalArgumentException("book depth " + levels + " must be from 0 to " + BookView.MAX_DEPTH);
            }
            this.bookDepth = levels;
            return this;
        }

        /** where engines that keep state write it at snapshot events (none: no state files) */
        public Builder snapshots(io.mme.core.state.SnapshotSink sink) {
            this.snapshotSink = sink;
            return this;
        }

        /** the core count the default wait strategy is chosen for (the machine's by default) */
        public Builder cores(int cores) {
            this.cores = cores;
            return this;
        }

        public Pipeline build() {
            if (pinning == null) {
                pinning = new CpuPinning();
            }
            return new Pipeline(this);
        }
    }
}
