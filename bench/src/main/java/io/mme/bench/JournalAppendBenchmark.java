package io.mme.bench;

import io.mme.audit.JournalEngine;
import io.mme.audit.JournalReader;
import io.mme.core.ring.InboundEvent;
import io.mme.core.ring.InboundEventType;
import io.mme.core.ring.MarketDataKind;
import io.mme.core.ring.Side;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The journal's cost on the hot path: one market data event appended to the Chronicle Queue by the
 * journal stage, as the chain's first engine does it. SampleTime mode gives the percentiles (the
 * target is p99 ≤ 1 µs); run with {@code -prof gc} for the bytes per append. At tear-down it reads
 * the journal back and checks every event is there, in order, so a fast journal that loses events
 * fails instead of winning.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class JournalAppendBenchmark {
    private Path directory;
    private JournalEngine journal;
    private final InboundEvent event = new InboundEvent();
    private long sequence;

    @Setup(Level.Trial)
    public void open() throws IOException {
        directory = Files.createTempDirectory("mme-journal-bench");
        journal = new JournalEngine(directory);
        journal.onStart(null);
    }

    @Benchmark
    public long appendMarketData() {
        long s = sequence++;
        event.begin(s, InboundEventType.MARKET_DATA, 1_700_000_000_000_000_000L + s);
        event.marketData().set(MarketDataKind.LEVEL, 0, 1, (s & 1) == 0 ? Side.BUY : Side.SELL, 6_400_000 + (s & 63), 100 + (s & 7),
                s, s, s, true);
        journal.onEvent(event, s, true);
        return s;
    }

    @TearDown(Level.Trial)
    public void checkAndDelete() throws IOException {
        journal.onShutdown();
        long read;
        try (JournalReader reader = new JournalReader(directory)) {
            read = reader.forEach(e -> { });
        }
        if (read != sequence) {
            throw new IllegalStateException("journal holds " + read + " events, " + sequence + " were appended");
        }
        try (Stream<Path> paths = Files.walk(directory)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
