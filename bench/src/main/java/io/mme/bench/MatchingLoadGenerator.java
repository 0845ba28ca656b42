package io.mme.bench;

import ch.qos.logback.classic.Level;
import io.mme.core.runtime.EngineSpec;
import io.mme.core.runtime.EpochClock;
import io.mme.core.runtime.OutboundPublisher;
import io.mme.core.runtime.Pipeline;
import io.mme.core.runtime.PipelineConfig;
import io.mme.core.runtime.WaitStrategyKind;
import io.mme.matching.OrderBook;
import io.mme.matching.PaperVenue;
import io.mme.core.ring.Side;
import org.HdrHistogram.Histogram;
import org.slf4j.LoggerFactory;

import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Load generator for the matching engine: {@code ./mme bench matching [options]}.
 *
 * <ul>
 *   <li>{@code --mode book}: the order book alone on this thread, no pacing: maximum throughput.
 *       A stream of {@code --ops} commands is generated, then replayed on the same book again and
 *       again (the untimed start of each pass empties the book by mass cancels and preloads it):
 *       first for {@code --warmup-seconds}, then measured passes until {@code --seconds} of
 *       replay time were measured. Latency percentiles are not measured in this mode (null):
 *       timing single commands would cost more than many commands take.</li>
 *   <li>{@code --mode engine}: through the paper venue on its own engine thread, fed through the
 *       outbound ring at {@code --rate} commands per second on a fixed schedule. The latency of a
 *       command is from its planned send time to the end of its processing on the engine thread,
 *       so a late send or a queue counts (no coordinated omission). The preload is sent unpaced
 *       first, then {@code --warmup-seconds} of paced commands, then {@code --seconds} measured.
 *       The venue thread busy-spins; the inbound ring's one consumer (which counts what the venue
 *       publishes) sleeps between batches. {@code --venue book} puts the bare book behind the ring
 *       instead, {@code --market-data trades} turns the venue's L2 and L3 publishing off: both
 *       show where the time goes.</li>
 * </ul>
 *
 * Prints progress on stderr and one JSON line on stdout. Every run checks its answer: the book's
 * counts of accepted, cancelled, replaced and filled orders, its trades, its final size and touch
 * must be exactly those of the model the stream was generated on, and in engine mode every execution
 * report must have reached the inbound ring. A mismatch fails the run (exit code 1).
 */
public final class MatchingLoadGenerator {
    private static final String USAGE = """
            usage: ./mme bench matching [--mix exchange|maker|exchange-core-small|exchange-core-large] [--mode book|engine]
                                        [--rate N] [--seconds N]
                                        [--warmup-seconds N] [--seed N] [--ops N] [--passes N] [--capacity N]
                                        [--venue paper|book] [--market-data full|trades]
              --mix             exchange: 9% GTC, 3% IOC, 6% cancel, 82% replace, ~1,000 orders on ~750 levels (default)
                                maker: 50% limit near the touch, 35% cancel, 10% crossing, 5% replace, 1,000,000 orders
                                exchange-core-small: exchange-core's small-book stream: 70.8% move (a few ticks),
                                  12.8% GTC, 7.3% cancel, 7.3% reduce, 1.75% IOC, 0.06% FOK, 1,000 orders
                                  over 300 ticks a side (~185 non-empty levels of 2-3)
                                exchange-core-large: 73.1% move, 12.4% GTC, 6% cancel, 6% reduce, 2.4% IOC,
                                  0.08% FOK, 984,000 orders, ~1,200 levels a side x 410
              --mode            engine: through the paper venue's engine thread at --rate, with latency (default)
                                book: the book alone on this thread, unpaced: maximum throughput
              --rate            engine mode: commands per second offered (default 1,000,000)
              --seconds         measured seconds (default 10)
              --warmup-seconds  seconds of warm-up before measuring (default 5)
              --seed            seed of the command stream (default 1)
              --ops             book mode: commands in the replayed stream (default 10,000,000)
              --passes          book mode: exactly this many measured passes instead of --seconds (a run whose
                                work does not depend on the time: for instruction counts under valgrind)
              --capacity        book capacity in orders (default 4,096 for exchange and exchange-core-small,
                                1,048,576 for maker and exchange-core-large)
              --venue           engine mode: paper: the paper venue (default); book: the book alone behind
                                the ring, its output only counted (the ring and thread hand-off without the
                                venue's publishing)
              --market-data     engine mode, paper venue: full: L2, L3 and trades, as the venue's defaults
                                (default); trades: trades and execution reports only
              --smoke           a short run of each mode (one second, no warm-up; the other options still
                                apply), the answer checked as in every run: for CI
            Progress goes to stderr; one JSON line with the result goes to stdout.""";
    private static final String VENUE_ENGINE = "paper-venue";
    /** a generated stream costs about 50 bytes of heap per command while it is generated */
    private static final int MAX_COMMANDS = 200_000_000;
    private static final long NANOS = TimeUnit.SECONDS.toNanos(1);

    private MatchingLoadGenerator() {
    }

    /** the options, with their defaults */
    record Options(CommandStream.Mix mix, boolean engineMode, long rate, int seconds, int warmupSeconds, long seed,
                   int ops, int capacity, boolean bookOnlyVenue, boolean fullMarketData, boolean rateGiven,
                   boolean opsGiven, int passes) {

        static Options parse(String[] args) {
            CommandStream.Mix mix = CommandStream.Mix.EXCHANGE;
            boolean engine = true;
            long rate = 1_000_000;
            int seconds = 10;
            int warmup = 5;
            long seed = 1;
            int ops = 10_000_000;
            int capacity = -1;
            boolean bookOnly = false;
            boolean fullMarketData = true;
            boolean rateGiven = false;
            boolean opsGiven = false;
            int passes = 0;
            for (int a = 0; a < args.length; a++) {
                String key = args[a];
                String value;
                int eq = key.indexOf('=');
                if (key.startsWith("--") && eq > 0) {
                    value = key.substring(eq + 1);
                    key = key.substring(0, eq);
                } else if (a + 1 < args.length) {
                    value = args[++a];
                } else {
                    value = null;
                }
                if (!key.startsWith("--") || !List.of("--mix", "--mode", "--rate", "--seconds", "--warmup-seconds",
                        "--seed", "--ops", "--capacity", "--venue", "--market-data", "--passes").contains(key)) {
                    throw new IllegalArgumentException("unknown option '" + key + "'");
                }
                if (value == null) {
                    throw new IllegalArgumentException("option " + key + " needs a value");
                }
                switch (key) {
                    case "--mix" -> mix = CommandStream.Mix.parse(value);
                    case "--mode" -> engine = switch (value) {
                        case "engine" -> true;
                        case "book" -> false;
                        default -> throw new IllegalArgumentException("option --mode: '" + value + "' is not book or engine");
                    };
                    case "--rate" -> {
                        rate = number(key, value, 1, 100_000_000);
                        rateGiven = true;
                    }
                    case "--seconds" -> seconds = (int) number(key, value, 1, 3_600);
                    case "--warmup-seconds" -> warmup = (int) number(key, value, 0, 3_600);
                    case "--seed" -> seed = number(key, value, Long.MIN_VALUE, Long.MAX_VALUE);
                    case "--ops" -> {
                        ops = (int) number(key, value, 1, MAX_COMMANDS);
                        opsGiven = true;
                    }
                    case "--passes" -> passes = (int) number(key, value, 1, 1_000_000);
                    case "--capacity" -> capacity = (int) number(key, value, 1, io.mme.matching.BookConfig.MAX_CAPACITY);
                    case "--venue" -> bookOnly = switch (value) {
                        case "paper" -> false;
                        case "book" -> true;
                        default -> throw new IllegalArgumentException("option --venue: '" + value + "' is not paper or book");
                    };
                    case "--market-data" -> fullMarketData = switch (value) {
                        case "full" -> true;
                        case "trades" -> false;
                        default -> throw new IllegalArgumentException("option --market-data: '" + value + "' is not full or trades");
                    };
                    default -> throw new IllegalStateException(key);
                }
            }
            if (capacity < 0) {
                capacity = mix.defaultCapacity();
            }
            if (!engine && (bookOnly || !fullMarketData)) {
                throw new IllegalArgumentException("options --venue and --market-data are for --mode engine");
            }
            if (engine && passes > 0) {
                throw new IllegalArgumentException("option --passes is for --mode book");
            }
            if (engine && opsGiven) {
                throw new IllegalArgumentException("option --ops is for --mode book; in engine mode the stream is --rate x"
                        + " (--warmup-seconds + --seconds) commands");
            }
            if (engine && rate * (warmup + (long) seconds) > MAX_COMMANDS) {
                throw new IllegalArgumentException("--rate " + rate + " for " + (warmup + seconds)
                        + " s is more than " + MAX_COMMANDS + " commands to generate (about 50 bytes each while"
                        + " generating); lower --rate or --seconds");
            }
            return new Options(mix, engine, rate, seconds, warmup, seed, ops, capacity, bookOnly, fullMarketData, rateGiven,
                    opsGiven, passes);
        }

        private static long number(String key, String value, long min, long max) {
            return BenchArgs.number(key, value, min, max);
        }

        String mode() {
            return engineMode ? "engine" : "book";
        }
    }

    /** the result line */
    record Result(Options options, long ops, double opsPerSecond, double opsPerCpuSecond, Histogram latency,
                  double allocatedPerOp) {
        String json() {
            return String.format(Locale.ROOT, "{\"mix\":\"%s\",\"mode\":\"%s\",\"ops\":%d,\"ops_per_s\":%.0f,"
                            + "\"ops_per_cpu_s\":%s,\"p50_ns\":%s,\"p99_ns\":%s,\"p999_ns\":%s,\"p9999_ns\":%s,"
                            + "\"alloc_bytes_per_op\":%.3f}",
                    options.mix().configName(), options.mode(), ops, opsPerSecond,
                    opsPerCpuSecond > 0 ? String.format(Locale.ROOT, "%.0f", opsPerCpuSecond) : "null", percentile(50),
                    percentile(99), percentile(99.9), percentile(99.99), allocatedPerOp);
        }

        private String percentile(double p) {
            return latency == null ? "null" : Long.toString(latency.getValueAtPercentile(p));
        }
    }

    public static void main(String[] args) {
        // stdout carries the result line only: everything else, logs included, goes to stderr
        PrintStream stdout = System.out;
        System.setOut(System.err);
        quietLogs();
        PrintStream err = System.err;
        if (args.length == 1 && (args[0].equals("--help") || args[0].equals("-h"))) {
            stdout.println(USAGE);
            return;
        }
        // --smoke: a second of each mode (both unless --mode is given), every answer checked as always
        List<String[]> runs = new java.util.ArrayList<>();
        if (BenchArgs.smoke(args)) {
            boolean modeGiven = java.util.Arrays.stream(args).anyMatch(a -> a.equals("--mode") || a.startsWith("--mode="));
            String mode = null;
            for (int a = 0; a < args.length; a++) {
                if (args[a].startsWith("--mode=")) {
                    mode = args[a].substring("--mode=".length());
                } else if (args[a].equals("--mode") && a + 1 < args.length) {
                    mode = args[a + 1];
                }
            }
            if (!modeGiven || "engine".equals(mode)) {
                runs.add(BenchArgs.withSmokeDefaults(args, SMOKE_ENGINE));
            }
            if (!modeGiven || "book".equals(mode)) {
                runs.add(BenchArgs.withSmokeDefaults(args, SMOKE_BOOK));
                // exchange-core's two streams, in book mode: unless a mix was chosen, each smoke run covers them too
                boolean mixGiven = java.util.Arrays.stream(args).anyMatch(a -> a.equals("--mix") || a.startsWith("--mix="));
                if (!mixGiven) {
                    for (String[] core : SMOKE_EXCHANGE_CORE) {
                        runs.add(BenchArgs.withSmokeDefaults(args, core));
                    }
                }
            }
            if (runs.isEmpty()) {
                runs.add(BenchArgs.withSmokeDefaults(args));
            }
        } else {
            runs.add(args);
        }
        List<Options> options = new java.util.ArrayList<>();
        try {
            for (String[] run : runs) {
                options.add(Options.parse(run));
            }
        } catch (IllegalArgumentException e) {
            err.println("mme bench matching: " + e.getMessage());
            err.println(USAGE);
            System.exit(2);
            return;
        }
        int status = 0;
        try {
            for (Options o : options) {
                Result result = o.engineMode() ? runEngine(o, err) : runBook(o, err);
                stdout.println(result.json());
                stdout.flush();
                if (result.ops() <= 0) {
                    throw new IllegalStateException("no command was measured");
                }
            }
            if (BenchArgs.smoke(args)) {
                err.println("mme bench matching: smoke OK: every book's counts, trades, size and touch matched the model");
            }
        } catch (RuntimeException | InterruptedException e) {
            err.println("mme bench matching: FAILED: " + e.getMessage());
            e.printStackTrace(err);
            status = 1;
        }
        System.exit(status);
    }

    /** --smoke in engine mode: a second at 100,000 commands per second, no warm-up */
    static final String[] SMOKE_ENGINE = {"--mode", "engine", "--rate", "100000", "--seconds", "1", "--warmup-seconds", "0"};
    /** --smoke in book mode: a stream of 200,000 commands, replayed for a second, no warm-up */
    static final String[] SMOKE_BOOK = {"--mode", "book", "--ops", "200000", "--seconds", "1", "--warmup-seconds", "0"};

    /** --smoke, book mode, exchange-core's streams: the small one as SMOKE_BOOK, the large one 100,000 commands */
    static final String[][] SMOKE_EXCHANGE_CORE = {
            {"--mode", "book", "--mix", "exchange-core-small", "--ops", "200000", "--seconds", "1", "--warmup-seconds", "0"},
            {"--mode", "book", "--mix", "exchange-core-large", "--ops", "100000", "--seconds", "1", "--warmup-seconds", "0"}};

    private static void quietLogs() {
        if (LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME) instanceof ch.qos.logback.classic.Logger root) {
            root.setLevel(Level.toLevel(System.getProperty("mme.log.level", "WARN"), Level.WARN));
        }
    }

    private static com.sun.management.ThreadMXBean threadBean() {
        if (!(ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean t)
                || !t.isThreadAllocatedMemorySupported()) {
            throw new IllegalStateException("this JVM cannot measure a thread's allocated bytes");
        }
        t.setThreadAllocatedMemoryEnabled(true);
        return t;
    }

    // ------------------------------------------------------------------ book mode

    static Result runBook(Options o, PrintStream err) {
        if (o.rateGiven()) {
            err.println("mme bench matching: --rate is ignored in book mode (no pacing: the book runs flat out)");
        }
        err.printf(Locale.ROOT, "mme bench matching: mode book, mix %s, seed %d, book capacity %,d, stream of %,d commands%n",
                o.mix().configName(), o.seed(), o.capacity(), o.ops());
        CommandStream stream = CommandStream.generate(o.mix(), o.capacity(), o.ops(), o.seed(), err);
        err.println("mme bench matching: " + stream.describe());
        System.gc();
        CountingListener counts = new CountingListener();
        OrderBook book = new OrderBook(stream.config, counts);
        com.sun.management.ThreadMXBean threads = threadBean();

        long warmupEnd = System.nanoTime() + TimeUnit.SECONDS.toNanos(o.warmupSeconds());
        int pass = 0;
        while (System.nanoTime() < warmupEnd) {
            long[] r = pass(stream, book, counts, threads);
            err.printf(Locale.ROOT, "mme bench matching: warm-up pass %d: %s%n", ++pass, passSummary(stream, r));
        }
        long measuredNanos = 0;
        long measuredCpuNanos = 0;
        long measuredOps = 0;
        long allocated = 0;
        long wanted = TimeUnit.SECONDS.toNanos(o.seconds());
        pass = 0;
        while (o.passes() > 0 ? pass < o.passes() : measuredNanos < wanted) {
            long[] r = pass(stream, book, counts, threads);
            measuredNanos += r[0];
            allocated += r[1];
            measuredCpuNanos += r[2];
            measuredOps += stream.size() - stream.preload();
            err.printf(Locale.ROOT, "mme bench matching: measured pass %d: %s%n", ++pass, passSummary(stream, r));
        }
        double opsPerSecond = measuredOps * (double) NANOS / measuredNanos;
        double opsPerCpuSecond = measuredOps * (double) NANOS / measuredCpuNanos;
        err.printf(Locale.ROOT, "mme bench matching: %,d commands in %.2f s of replay: %.2f M commands/s (%.2f M per second of"
                        + " this thread's CPU time, %.0f%% of a CPU), %,d bytes allocated%n",
                measuredOps, measuredNanos / 1e9, opsPerSecond / 1e6, opsPerCpuSecond / 1e6,
                100.0 * measuredCpuNanos / measuredNanos, allocated);
        return new Result(o, measuredOps, opsPerSecond, opsPerCpuSecond, null, allocated / (double) measuredOps);
    }

    private static String passSummary(CommandStream stream, long[] r) {
        long ops = stream.size() - stream.preload();
        return String.format(Locale.ROOT, "%,d commands in %.3f s = %.2f M/s (%.2f M per CPU second), %,d bytes allocated;"
                + " answer checked", ops, r[0] / 1e9, ops * 1e3 / r[0], ops * 1e3 / r[2], r[1]);
    }

    /**
     * One replay: empty the book, preload it (untimed), replay the rest of the stream (timed), check.
     *
     * @return nanoseconds, bytes allocated by this thread and this thread's CPU nanoseconds during the timed part
     */
    private static long[] pass(CommandStream stream, OrderBook book, CountingListener counts,
                               com.sun.management.ThreadMXBean threads) {
        stream.clear(book);
        counts.reset();
        replay(stream, book, 0, stream.preload());
        check("after the preload", stream.expectedAfterPreload(), CommandStream.Expected.of(counts, book));
        long allocatedBefore = threads.getCurrentThreadAllocatedBytes();
        long cpuStart = threads.getCurrentThreadCpuTime();
        long start = System.nanoTime();
        replay(stream, book, stream.preload(), stream.size());
        long nanos = System.nanoTime() - start;
        long cpuNanos = threads.getCurrentThreadCpuTime() - cpuStart;
        long allocated = threads.getCurrentThreadAllocatedBytes() - allocatedBefore;
        check("after the stream", stream.expected(), CommandStream.Expected.of(counts, book));
        return new long[]{nanos, allocated, cpuNanos};
    }

    private static void replay(CommandStream stream, OrderBook book, int from, int to) {
        for (int i = from; i < to; i++) {
            stream.apply(book, i);
        }
    }

    private static void check(String when, CommandStream.Expected expected, CommandStream.Expected actual) {
        String mismatch = expected.mismatch(actual);
        if (mismatch != null) {
            throw new IllegalStateException("wrong answer " + when + ": " + mismatch);
        }
    }

    // ------------------------------------------------------------------ engine mode

    /** what the outbound writer reads: the stream, the command to write and its planned send time */
    private static final class Feeder {
        CommandStream stream;
        int index;
        long timestamp;
    }

    private static final OutboundPublisher.Writer<Feeder> WRITE = (command, f) -> f.stream.write(f.index, command, f.timestamp);

    static Result runEngine(Options o, PrintStream err) throws InterruptedException {
        long warmupOps = o.rate() * o.warmupSeconds();
        long measuredOps = o.rate() * o.seconds();
        err.printf(Locale.ROOT, "mme bench matching: mode engine, mix %s, seed %d, book capacity %,d, %,d commands/s offered,"
                        + " %d s warm-up + %d s measured%n",
                o.mix().configName(), o.seed(), o.capacity(), o.rate(), o.warmupSeconds(), o.seconds());
        CommandStream stream = CommandStream.generate(o.mix(), o.capacity(), Math.toIntExact(warmupOps + measuredOps), o.seed(), err);
        err.println("mme bench matching: " + stream.describe());
        System.gc();

        int preload = stream.preload();
        int total = stream.size();
        PaperVenue venue = null;
        BookOnlyEngine bookOnly = null;
        if (o.bookOnlyVenue()) {
            bookOnly = new BookOnlyEngine(stream);
        } else if (o.fullMarketData()) {
            venue = new PaperVenue(List.of(stream.config));
        } else {
            PaperVenue.Options d = PaperVenue.Options.DEFAULT;
            venue = new PaperVenue(List.of(stream.config), List.of(), new PaperVenue.Options(false, false, d.stp(),
                    d.idleWakeUpNanos()), EpochClock.system());
        }
        err.println("mme bench matching: behind the outbound ring: " + (bookOnly != null
                ? "the book alone, its output counted on the engine thread (no inbound events)"
                : "the paper venue, publishing execution reports and " + (o.fullMarketData() ? "L2, L3 and trade" : "trade")
                + " market data into the inbound ring"));
        LatencyRecordingEngine recorder = new LatencyRecordingEngine(bookOnly != null ? bookOnly : venue,
                preload + warmupOps, total - 1L);
        InboundCountingEngine sink = new InboundCountingEngine();
        Map<String, EngineSpec> specs = Map.of(
                VENUE_ENGINE, new EngineSpec(EngineSpec.NO_CPU, WaitStrategyKind.BUSY_SPIN),
                Pipeline.EXECUTION, new EngineSpec(EngineSpec.NO_CPU, WaitStrategyKind.SLEEPING));
        PipelineConfig config = new PipelineConfig(PipelineConfig.DEFAULT_INBOUND_RING_SIZE,
                PipelineConfig.DEFAULT_OUTBOUND_RING_SIZE, specs, Duration.ofSeconds(60));
        Pipeline pipeline = Pipeline.builder(config)
                .stage(Pipeline.EXECUTION, sink)
                .outbound(VENUE_ENGINE, recorder)
                .build()
                .start();
        OutboundPublisher out = pipeline.outbound();
        Feeder feeder = new Feeder();
        feeder.stream = stream;
        long maxLag = 0;
        long firstMeasuredPlanned;
        Thread progress = null;
        try {
            // the preload: as fast as the venue and the inbound consumer take it, a window at a time
            long preloadStart = System.nanoTime();
            for (int i = 0; i < preload; i++) {
                while (i - recorder.processed() > 4_096
                        || pipeline.inbound().cursor() + 1 - sink.consumed() > PipelineConfig.DEFAULT_INBOUND_RING_SIZE / 2) {
                    Thread.onSpinWait();
                }
                send(out, feeder, stream, i, System.nanoTime());
            }
            awaitProcessed(recorder, preload, "the preload");
            err.printf(Locale.ROOT, "mme bench matching: preloaded %,d orders through the venue in %.1f s; warming up for %d s,"
                    + " then measuring %d s%n", preload, (System.nanoTime() - preloadStart) / 1e9, o.warmupSeconds(), o.seconds());

            // the paced part: command k of it is planned at start + k / rate
            long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(1);
            firstMeasuredPlanned = start + warmupOps * NANOS / o.rate();
            progress = progressReporter(err, start, firstMeasuredPlanned, o.rate(), preload, total, out, recorder);
            for (int i = preload; i < total; i++) {
                long planned = start + (i - preload) * NANOS / o.rate();
                long now;
                while ((now = System.nanoTime()) < planned) {
                    Thread.onSpinWait();
                }
                if (now - planned > maxLag) {
                    maxLag = now - planned;
                }
                send(out, feeder, stream, i, planned);
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!recorder.done()) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the venue processed " + recorder.processed() + " of " + total
                            + " commands within 60 s of the last send");
                }
                LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(100));
            }
            if (pipeline.health().tradingHalted()) {
                throw new IllegalStateException("trading halted during the run: " + pipeline.health().haltReason());
            }
        } finally {
            if (progress != null) {
                progress.interrupt();
            }
            long left = pipeline.shutdown();
            if (left != 0) {
                err.println("mme bench matching: " + left + " events were left unprocessed at shutdown");
            }
        }

        Histogram latency = recorder.histogram();
        double seconds = (recorder.lastEndNanos() - firstMeasuredPlanned) / 1e9;
        double opsPerSecond = measuredOps / seconds;
        err.printf(Locale.ROOT, "mme bench matching: %,d commands measured over %.3f s: %.3f M/s processed (%.3f M/s offered);"
                        + " largest send lag behind schedule %.1f us; latency from planned send to processed: p50 %,d ns,"
                        + " p99 %,d ns, p99.9 %,d ns, p99.99 %,d ns, max %,d ns; %,d bytes allocated on the venue thread,"
                        + " which had %.0f%% of a CPU%n",
                measuredOps, seconds, opsPerSecond / 1e6, o.rate() / 1e6, maxLag / 1e3, latency.getValueAtPercentile(50),
                latency.getValueAtPercentile(99), latency.getValueAtPercentile(99.9), latency.getValueAtPercentile(99.99),
                latency.getMaxValue(), recorder.allocatedBytes(), recorder.cpuNanos() / 1e7 / seconds);
        double cpuShare = recorder.cpuNanos() / 1e9 / seconds;
        if (cpuShare < 0.9) {
            err.printf(Locale.ROOT, "mme bench matching: WARNING: the busy-spinning venue thread was on a CPU only %.0f%% of the"
                    + " measured time: other threads or processes took the CPUs from it, and the latencies show that%n",
                    100 * cpuShare);
        }
        if (recorder.clampedCount() > 0) {
            err.println("mme bench matching: " + recorder.clampedCount() + " latencies above 60 s were recorded as 60 s");
        }
        if (bookOnly != null) {
            check("behind the ring", stream.expected(), CommandStream.Expected.of(bookOnly.counts, bookOnly.book));
            if (sink.events != 0) {
                throw new IllegalStateException("the book alone published " + sink.events + " inbound events");
            }
            err.println("mme bench matching: answer checked: the book's counts and final state are the model's");
        } else {
            checkEngine(stream, venue.book(CommandStream.INSTRUMENT), sink, o.fullMarketData(), err);
        }
        if (latency.getTotalCount() != measuredOps) {
            throw new IllegalStateException("recorded " + latency.getTotalCount() + " latencies for " + measuredOps + " commands");
        }
        return new Result(o, measuredOps, opsPerSecond, 0, latency, recorder.allocatedBytes() / (double) measuredOps);
    }

    /**
     * Prints where the run is every 2 s, from a thread of its own so that the sending thread keeps
     * its schedule (this one sleeps in between and allocates a little garbage, never enough for a
     * collection in a run).
     */
    private static Thread progressReporter(PrintStream err, long start, long measuredFrom, long rate, int preload, int total,
                                           OutboundPublisher out, LatencyRecordingEngine recorder) {
        Thread t = new Thread(() -> {
            try {
                while (true) {
                    Thread.sleep(2_000);
                    long now = System.nanoTime();
                    long due = Math.min(total - preload, (now - start) * rate / NANOS);
                    err.printf(Locale.ROOT, "mme bench matching: %5.1f s %s: sent %,d of %,d due, venue processed %,d%n",
                            (now - start) / 1e9, now < measuredFrom ? "warm-up  " : "measuring",
                            out.cursor() + 1 - preload, due, recorder.processed() - preload);
                }
            } catch (InterruptedException e) {
                // the run is over
            }
        }, "mme-bench-progress");
        t.setDaemon(true);
        t.start();
        return t;
    }

    private static void send(OutboundPublisher out, Feeder feeder, CommandStream stream, int i, long timestamp) {
        feeder.index = i;
        feeder.timestamp = timestamp;
        long sequence = out.publish(stream.commandType(i), 0, WRITE, feeder);
        if (sequence != i) {
            throw new IllegalStateException("command " + i + " got ring sequence " + sequence
                    + (sequence < 0 ? " (refused: trading halted)" : ""));
        }
    }

    private static void awaitProcessed(LatencyRecordingEngine recorder, long count, String what) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (recorder.processed() < count) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the venue processed " + recorder.processed() + " of " + count
                        + " commands of " + what + " within 60 s");
            }
            LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(100));
        }
    }

    /** the venue's book and the reports that reached the inbound ring against the model's counts */
    private static void checkEngine(CommandStream stream, OrderBook book, InboundCountingEngine sink, boolean fullMarketData,
                                    PrintStream err) {
        CommandStream.Expected e = stream.expected();
        CountingListener r = sink.byExecType;
        long executions = e.accepted() + e.cancelled() + e.replaced() + e.fills();
        StringBuilder wrong = new StringBuilder();
        expect(wrong, "book sequence (listener calls)", book.sequence(), e.listenerCalls());
        expect(wrong, "resting orders", book.restingOrders(), e.resting());
        expect(wrong, "best bid", book.bestPrice(Side.BUY), e.bestBid());
        expect(wrong, "best ask", book.bestPrice(Side.SELL), e.bestAsk());
        expect(wrong, "bid levels", book.levels(Side.BUY), e.bidLevels());
        expect(wrong, "ask levels", book.levels(Side.SELL), e.askLevels());
        expect(wrong, "execution reports", sink.reports, executions);
        expect(wrong, "ACCEPTED reports", r.accepted, e.accepted());
        expect(wrong, "CANCELLED reports", r.cancelled, e.cancelled());
        expect(wrong, "REPLACED reports", r.replaced, e.replaced());
        expect(wrong, "fill reports", r.fills, e.fills());
        expect(wrong, "refusals", r.refusals(), 0);
        expect(wrong, "faulted events", sink.faulted, 0);
        // with L2 on, the venue opens its one book with a snapshot: a CLEAR before the first order
        expect(wrong, "market data events", sink.marketData, fullMarketData ? e.listenerCalls() - executions + 1 : e.trades());
        if (!wrong.isEmpty()) {
            throw new IllegalStateException("wrong answer through the engine:" + wrong);
        }
        err.printf(Locale.ROOT, "mme bench matching: answer checked: %,d execution reports (%,d fills) and %,d market data"
                + " events reached the inbound ring; the venue's book ends as the model's (%,d orders, touch %d / %d)%n",
                sink.reports, r.fills, sink.marketData, book.restingOrders(), book.bestPrice(Side.BUY), book.bestPrice(Side.SELL));
    }

    private static void expect(StringBuilder wrong, String what, long actual, long expected) {
        if (actual != expected) {
            wrong.append("\n  ").append(what).append(": ").append(actual).append(", expected ").append(expected);
        }
    }
}
