package io.mme.bench;

import io.mme.core.ring.InboundEvent;
import io.mme.core.ring.InboundEventType;
import io.mme.core.ring.MarketDataKind;
import io.mme.core.ring.Side;
import io.mme.core.runtime.Engine;
import io.mme.core.runtime.EngineSpec;
import io.mme.core.runtime.Pipeline;
import io.mme.core.runtime.PipelineConfig;
import io.mme.core.runtime.WaitStrategyKind;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * One publisher into the inbound ring, the four-engine business chain behind it (each engine sums
 * the prices it sees): the shape of the engine's hot path without the engines' work. Throughput in
 * events per second for each wait strategy; each invocation checks that the last engine saw every
 * event with the right checksum.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class InboundChainThroughputBenchmark {
    static final int BATCH = 100_000;

    @Param({"blocking", "sleeping", "yielding"})
    public String waitStrategy;

    private Pipeline pipeline;
    private final SummingEngine[] chain = new SummingEngine[4];
    /** the price the next published event carries; the writer reads it (no boxing per event) */
    private long nextPrice;

    private static final io.mme.core.runtime.InboundPublisher.Writer<InboundChainThroughputBenchmark> WRITE_LEVEL =
            (e, bench) -> e.marketData().set(MarketDataKind.LEVEL, 0, 0, Side.BUY, bench.nextPrice, 1, bench.nextPrice, 0, 0, true);

    /** sums prices; written by its engine thread, read by the benchmark thread */
    static final class SummingEngine implements Engine<InboundEvent> {
        volatile long sum;
        volatile long count;

        @Override
        public void onEvent(InboundEvent event, long sequence, boolean endOfBatch) {
            sum = sum + event.marketData().priceTicks();
            count = count + 1;
        }
    }

    @Setup(Level.Trial)
    public void start() {
        Map<String, EngineSpec> specs = new HashMap<>();
        for (String stage : Pipeline.CHAIN) {
            specs.put(stage, new EngineSpec(EngineSpec.NO_CPU, WaitStrategyKind.parse(waitStrategy)));
        }
        Pipeline.Builder builder = Pipeline.builder(new PipelineConfig(65_536, 1024, specs, Duration.ofSeconds(30)));
        for (int i = 0; i < chain.length; i++) {
            chain[i] = new SummingEngine();
            builder.stage(Pipeline.CHAIN.get(i), chain[i]);
        }
        pipeline = builder.build().start();
    }

    @TearDown(Level.Trial)
    public void stop() {
        pipeline.shutdown();
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long publishThroughTheChain() {
        SummingEngine last = chain[chain.length - 1];
        long countBefore = last.count;
        long sumBefore = last.sum;
        for (int i = 0; i < BATCH; i++) {
            nextPrice = i;
            pipeline.inbound().publish(InboundEventType.MARKET_DATA, WRITE_LEVEL, this);
        }
        while (last.count < countBefore + BATCH) {
            LockSupport.parkNanos(1_000);
        }
        long expected = (long) BATCH * (BATCH - 1) / 2;
        if (last.sum - sumBefore != expected) {
            throw new IllegalStateException("chain lost or repeated events: sum " + (last.sum - sumBefore) + " != " + expected);
        }
        return last.count;
    }
}
