package io.mme.bench;

import ch.qos.logback.classic.Level;
import io.mme.analytics.LatencyEngine;
import io.mme.analytics.LatencySummary;
import io.mme.audit.JournalEngine;
import io.mme.core.instrument.AssetAliases;
import io.mme.core.instrument.Instrument;
import io.mme.core.instrument.InstrumentRegistry;
import io.mme.core.instrument.InstrumentSpec;
import io.mme.core.instrument.Venue;
import io.mme.core.ring.InboundEventType;
import io.mme.core.runtime.EngineSpec;
import io.mme.core.runtime.EngineState;
import io.mme.core.runtime.EngineStatus;
import io.mme.core.runtime.InboundPublisher;
import io.mme.core.runtime.Pipeline;
import io.mme.core.runtime.PipelineConfig;
import io.mme.core.runtime.WaitStrategyKind;
import io.mme.execution.ExecutionConfig;
import io.mme.execution.ExecutionEngine;
import io.mme.marketdata.ConsolidatedView;
import io.mme.marketdata.FairValueMethod;
import io.mme.marketdata.MarketDataEngine;
import io.mme.marketdata.ResyncRequests;
import io.mme.risk.LimitKind;
import io.mme.risk.RiskConfig;
import io.mme.risk.RiskEngine;
import io.mme.risk.RiskLimits;
import io.mme.strategy.InventorySkewStrategy;
import io.mme.strategy.StrategyEngine;
import io.mme.strategy.StrategyEngineConfig;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;

/**
 * Load generator for the whole inbound chain: {@code ./mme bench pipeline [options]}.
 *
 * <p>The engine is wired as the app wires it (market data with a consolidated view, the
 * inventory-skew strategy quoting BTC/USD on Binance, Coinbase and Kraken, risk, execution, the
 * journal at the audit stage and the latency recorder at the analytics stage), with an
 * {@link AckingVenue} on the outbound ring in place of the paper venue: it acknowledges every
 * command at once and publishes no market data. One generator thread offers market data through
 * the edge publisher at {@code --rate} events per second on a fixed schedule ({@link TouchWalkFeed}:
 * snapshots, then touch moves that walk the fair value up and down a few ticks so the strategy
 * re-quotes), plus a TIMER event every 100 ms as the app's timer source would.
 *
 * <p>After {@code --warmup} seconds the latency recorder's histograms are sampled (dropping the
 * warm-up), then {@code --seconds} are measured: events the chain processed per second (the
 * execution stage's sequence, so execution reports and timers count too), tick-to-quote
 * percentiles (market data event published into the ring until the execution stage finished the
 * event that put a risk-approved order on the outbound ring; {@link LatencyEngine}), and the bytes
 * the engine threads allocated per processed event. A short summary goes to stderr (unless
 * {@code --json-only}); one JSON line goes to stdout.
 */
public final class PipelineBenchmark {
    private static final String USAGE = """
            usage: ./mme bench pipeline [--rate N] [--seconds N] [--warmup N] [--strategies N] [--wait STRATEGY] [--chain fused|threads] [--chain-wait STRATEGY] [--message-items 1|2] [--journal-sync none|async|sync] [--json-only] [--smoke]
              --rate       market data events per second offered (default 100,000)
              --seconds    measured seconds (default 20)
              --warmup     seconds of warm-up before measuring (default 5)
              --strategies N pairs, each quoted by its own strategy on Binance, Coinbase and Kraken (default 1,
                           BTC/USD; up to 200); the market data walks every one of the 3N instruments in turn
              --wait       wait strategy of every engine thread: busy-spin, yielding, sleeping or blocking
                           (default: the pipeline's choice for the machine's cores)
              --chain      fused: marketdata, strategy, risk and execution on one thread (the default on a
                           machine with fewer cores than engines, as in mme); threads: a thread each
              --chain-wait wait strategy of the fused chain's thread alone (overrides --wait for it), e.g.
                           busy-spin on one core while the other engines block on the other
              --message-items  items per venue message of the walk (default 1): 2 sends each touch move's pair
                           of level updates (one per side) as one message, interleaved with the other
                           instruments' messages, so the chain decides once per two events
              --journal-sync  the journals' sync policy, as mme's journal.sync: none (the page cache; the
                           default), async or sync (Chronicle Queue's msync of each record)
              --book-depth book levels a side in each strategy's market view, 1 to 20 (default 5): the market
                           data engine copies as many of the touched book into each message's last slot
              --json-only  print only the JSON result line (no progress, no summary)
              --smoke      --rate 20000 --seconds 2 --warmup 1 (options given beside it win): for CI
              --help       this text
            The summary goes to stderr; one JSON line with the result goes to stdout:
            {"events_per_s":..,"tick_to_quote_p50_ns":..,"tick_to_quote_p99_ns":..,"tick_to_quote_p999_ns":..,
             "alloc_bytes_per_event":..,"chain_cpu_ns_per_event":..,"engines_cpu_ns_per_event":..,"strategies":..,"book_depth":..,...}""";
    private static final String PREFIX = "mme bench pipeline: ";
    /** what --smoke stands for (options given beside it win) */
    static final String[] SMOKE = {"--rate", "20000", "--seconds", "2", "--warmup", "1"};
    /** the venue's engine name: the execution engine's default route for every venue */
    private static final String VENUE = ExecutionConfig.PAPER;
    private static final long NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final long TIMER_PERIOD_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    private static final int BOOK_LEVELS_PER_SIDE = 64;

    private PipelineBenchmark() {
    }

    /** the options, with their defaults; {@code waitStrategy} null means the pipeline's default */
    record Options(long rate, int seconds, int warmupSeconds, WaitStrategyKind waitStrategy, boolean jsonOnly, boolean fused,
                   WaitStrategyKind chainWait, int messageItems, io.mme.audit.JournalSync journalSync, int strategies,
                   int bookDepth) {
        static final List<String> KEYS = List.of("--rate", "--seconds", "--warmup", "--strategies", "--wait", "--chain",
                "--chain-wait", "--message-items", "--journal-sync", "--book-depth", "--json-only");

        Options(long rate, int seconds, int warmupSeconds, WaitStrategyKind waitStrategy, boolean jsonOnly, boolean fused,
                WaitStrategyKind chainWait, int messageItems, io.mme.audit.JournalSync journalSync, int strategies) {
            this(rate, seconds, warmupSeconds, waitStrategy, jsonOnly, fused, chainWait, messageItems, journalSync, strategies,
                    StrategyEngineConfig.DEFAULT_BOOK_DEPTH);
        }

        /** the options without --chain: fused below 8 cores, as mme's engine.chain auto chooses */
        Options(long rate, int seconds, int warmupSeconds, WaitStrategyKind waitStrategy, boolean jsonOnly) {
            this(rate, seconds, warmupSeconds, waitStrategy, jsonOnly, Runtime.getRuntime().availableProcessors() < 8, null, 1,
                    io.mme.audit.JournalSync.NONE, 1);
        }

        static Options parse(String[] args) {
            long rate = 100_000;
            int seconds = 20;
            int warmup = 5;
            WaitStrategyKind wait = null;
            boolean jsonOnly = false;
            boolean fused = Runtime.getRuntime().availableProcessors() < 8;
            WaitStrategyKind chainWait = null;
            int messageItems = 1;
            int strategies = 1;
            int bookDepth = StrategyEngineConfig.DEFAULT_BOOK_DEPTH;
            io.mme.audit.JournalSync journalSync = io.mme.audit.JournalSync.NONE;
            for (int a = 0; a < args.length; a++) {
                String key = args[a];
                String value = null;
                int eq = key.indexOf('=');
                if (key.startsWith("--") && eq > 0) {
                    value = key.substring(eq + 1);
                    key = key.substring(0, eq);
                }
                if (!KEYS.contains(key)) {
                    throw new IllegalArgumentException("unknown option '" + key + "' (options: " + String.join(", ", KEYS)
                            + ", --help)");
                }
                if (key.equals("--json-only")) {
                    if (value != null) {
                        throw new IllegalArgumentException("option --json-only takes no value");
                    }
                    jsonOnly = true;
                    continue;
                }
                if (value == null) {
                    if (a + 1 >= args.length) {
                        throw new IllegalArgumentException("option " + key + " needs a value");
                    }
                    value = args[++a];
                }
                switch (key) {
                    case "--rate" -> rate = number(key, value, 1, 10_000_000);
                    case "--seconds" -> seconds = (int) number(key, value, 1, 3_600);
                    case "--warmup" -> warmup = (int) number(key, value, 0, 3_600);
                    case "--message-items" -> messageItems = (int) number(key, value, 1, 2);
                    case "--strategies" -> strategies = (int) number(key, value, 1, MAX_STRATEGIES);
                    case "--book-depth" -> bookDepth = (int) number(key, value, 1, StrategyEngineConfig.MAX_BOOK_DEPTH);
                    case "--chain" -> {
                        if (!value.equals("fused") && !value.equals("threads")) {
                            throw new IllegalArgumentException("option --chain: '" + value + "' is not fused or threads");
                        }
                        fused = value.equals("fused");
                    }
                    case "--journal-sync" -> {
                        try {
                            journalSync = io.mme.audit.JournalSync.parse(value);
                        } catch (IllegalArgumentException e) {
                            throw new IllegalArgumentException("option --journal-sync: '" + value + "' is not "
                                    + io.mme.audit.JournalSync.allConfigNames(), e);
                        }
                    }
                    case "--chain-wait" -> {
                        try {
                            chainWait = WaitStrategyKind.parse(value);
                        } catch (IllegalArgumentException e) {
                            throw new IllegalArgumentException("option --chain-wait: " + e.getMessage(), e);
                        }
                    }
                    case "--wait" -> {
                        try {
                            wait = WaitStrategyKind.parse(value);
                        } catch (IllegalArgumentException e) {
                            throw new IllegalArgumentException("option --wait: " + e.getMessage(), e);
                        }
                    }
                    default -> throw new IllegalStateException(key);
                }
            }
            if (chainWait != null && !fused) {
                throw new IllegalArgumentException("option --chain-wait needs --chain fused");
            }
            return new Options(rate, seconds, warmup, wait, jsonOnly, fused, chainWait, messageItems, journalSync, strategies,
                    bookDepth);
        }

        private static long number(String key, String value, long min, long max) {
            return BenchArgs.number(key, value, min, max);
        }
    }

    /** what one measured window gave */
    record Result(double eventsPerSecond, LatencySummary tickToQuote, double allocatedPerEvent, double offeredPerSecond,
                  double ordersPerSecond, String waitStrategy, boolean fused, int strategies, double chainCpuPerEvent,
                  double enginesCpuPerEvent, int bookDepth) {
        String json() {
            return String.format(Locale.ROOT, "{\"events_per_s\":%.0f,\"tick_to_quote_p50_ns\":%d,\"tick_to_quote_p99_ns\":%d,"
                            + "\"tick_to_quote_p999_ns\":%d,\"alloc_bytes_per_event\":%.3f,\"quotes\":%d,"
                            + "\"tick_to_quote_max_ns\":%d,\"offered_per_s\":%.0f,\"orders_per_s\":%.0f,\"wait\":\"%s\",\"chain\":\"%s\","
                            + "\"strategies\":%d,\"chain_cpu_ns_per_event\":%.1f,\"engines_cpu_ns_per_event\":%.1f,\"book_depth\":%d}",
                    eventsPerSecond, tickToQuote.p50(), tickToQuote.p99(), tickToQuote.p999(), allocatedPerEvent,
                    tickToQuote.count(), tickToQuote.max(), offeredPerSecond, ordersPerSecond, waitStrategy, fused ? "fused" : "threads",
                    strategies, chainCpuPerEvent, enginesCpuPerEvent, bookDepth);
        }
    }

    public static void main(String[] args) {
        // stdout carries the result line only: everything else, logs included, goes to stderr
        PrintStream stdout = System.out;
        System.setOut(System.err);
        quietLogs();
        PrintStream err = System.err;
        for (String arg : args) {
            if (arg.equals("--help") || arg.equals("-h")) {
                stdout.println(USAGE);
                return;
            }
        }
        boolean smoke = BenchArgs.smoke(args);
        Options options;
        try {
            // --smoke: 20,000 events/s for 2 s after 1 s of warm-up; every run checks its answer (run)
            options = Options.parse(BenchArgs.withSmokeDefaults(args, SMOKE));
        } catch (IllegalArgumentException e) {
            err.println(PREFIX + e.getMessage());
            err.println(USAGE);
            System.exit(2);
            return;
        }
        int status = 0;
        try {
            Result result = run(options, options.jsonOnly() ? null : err);
            stdout.println(result.json());
            stdout.flush();
            if (smoke) {
                err.printf(Locale.ROOT, PREFIX + "smoke OK: %,d quotes measured tick to quote, %,.0f orders/s acknowledged,"
                        + " every inbound event journaled%n", result.tickToQuote().count(), result.ordersPerSecond());
            }
        } catch (RuntimeException | InterruptedException | IOException e) {
            err.println(PREFIX + "FAILED: " + e.getMessage());
            e.printStackTrace(err);
            status = 1;
        }
        System.exit(status);
    }

    private static void quietLogs() {
        if (LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME) instanceof ch.qos.logback.classic.Logger root) {
            root.setLevel(Level.toLevel(System.getProperty("mme.log.level", "WARN"), Level.WARN));
        }
    }

    /** the most strategies (pairs) --strategies takes */
    static final int MAX_STRATEGIES = 200;

    /** BTC/USD on the three venues, tick and lot sizes as in the demo configuration */
    static InstrumentRegistry instruments() {
        return instruments(1);
    }

    /**
     * {@code pairs} pairs on the three venues: BTC/USD first (as in the demo configuration), then
     * made-up base assets (QAA, QAB, ...) with BTC's tick and lot sizes, so that every book fits the
     * feed's one price grid. Instrument ids go pair by pair: Binance, Coinbase, Kraken.
     */
    static InstrumentRegistry instruments(int pairs) {
        InstrumentRegistry.Builder builder = InstrumentRegistry.builder(AssetAliases.defaultsWith(Map.of("USDT", "USD")))
                .add(new InstrumentSpec(Venue.BINANCE, "BTCUSDT", "BTC", "USDT", "0.01", "0.00001", null, "5", null, null))
                .add(new InstrumentSpec(Venue.COINBASE, "BTC-USD", "BTC", "USD", "0.01", "0.00000001", null, "1", null, null))
                .add(new InstrumentSpec(Venue.KRAKEN, "BTC/USD", "XBT", "USD", "0.1", "0.00000001", "0.0001", null, null, null));
        for (int k = 1; k < pairs; k++) {
            String base = "Q" + (char) ('A' + k / 26) + (char) ('A' + k % 26);
            builder.add(new InstrumentSpec(Venue.BINANCE, base + "USDT", base, "USDT", "0.01", "0.00001", null, "5", null, null))
                    .add(new InstrumentSpec(Venue.COINBASE, base + "-USD", base, "USD", "0.01", "0.00000001", null, "1", null, null))
                    .add(new InstrumentSpec(Venue.KRAKEN, base + "/USD", base, "USD", "0.1", "0.00000001", "0.0001", null, null,
                            null));
        }
        return builder.build();
    }

    /** one inventory-skew strategy per pair, on its three instruments (ids as {@link #instruments(int)} gives them) */
    static List<io.mme.strategy.HostedStrategy> strategies(InstrumentRegistry registry, ConsolidatedView consolidated, int pairs) {
        return strategies(registry, consolidated, pairs, StrategyEngineConfig.DEFAULT_BOOK_DEPTH);
    }

    static List<io.mme.strategy.HostedStrategy> strategies(InstrumentRegistry registry, ConsolidatedView consolidated, int pairs,
                                                           int bookDepth) {
        List<io.mme.strategy.HostedStrategy> hosted = new ArrayList<>();
        for (int k = 0; k < pairs; k++) {
            List<Integer> ids = List.of(3 * k, 3 * k + 1, 3 * k + 2);
            hosted.add(new io.mme.strategy.HostedStrategy("pair-" + k,
                    StrategyEngineConfig.of(consolidated.pairOf(ids.get(0)), ids).withAntiChurn(0, 0, 0, 0).withBookDepth(bookDepth),
                    new InventorySkewStrategy(InventorySkewStrategy.Parameters.defaults())));
        }
        return hosted;
    }

    /** risk limits that approve the benchmark's quotes: the widest band, the fastest throttle, room for orders */
    static RiskLimits limits(InstrumentRegistry registry) {
        RiskLimits limits = RiskLimits.defaults(registry);
        for (int i = 0; i < registry.size(); i++) {
            limits.set(LimitKind.PRICE_BAND, i, LimitKind.PRICE_BAND.maxValue());
            limits.set(LimitKind.MAX_OPEN_ORDERS_PER_INSTRUMENT, i, 1_000);
        }
        for (int v = 0; v < limits.size(LimitKind.Scope.VENUE); v++) {
            limits.set(LimitKind.MAX_OPEN_ORDERS_PER_VENUE, v, 1_000);
            limits.set(LimitKind.ORDER_RATE, v, LimitKind.ORDER_RATE.maxValue());
            limits.set(LimitKind.ORDER_BURST, v, LimitKind.ORDER_BURST.maxValue());
        }
        return limits;
    }

    static Result run(Options o, PrintStream out) throws InterruptedException, IOException {
        InstrumentRegistry registry = instruments(o.strategies());
        ConsolidatedView consolidated = new ConsolidatedView(registry, FairValueMethod.MID, null);
        MarketDataEngine marketData = new MarketDataEngine(registry, BOOK_LEVELS_PER_SIDE, Long.MAX_VALUE / 4,
                ResyncRequests.NONE, consolidated, o.bookDepth());
        List<io.mme.strategy.HostedStrategy> hosted = strategies(registry, consolidated, o.strategies(), o.bookDepth());
        StrategyEngine strategy = new StrategyEngine(hosted, registry);
        List<String> strategyIds = new ArrayList<>();
        List<int[]> strategyInstruments = new ArrayList<>();
        for (io.mme.strategy.HostedStrategy h : hosted) {
            strategyIds.add(h.id());
            strategyInstruments.add(h.config().instrumentIds().stream().mapToInt(Integer::intValue).toArray());
        }
        // the strategies' own limits exist (at none) so that risk runs their checks as it does for a desk
        RiskEngine risk = new RiskEngine(registry, RiskConfig.defaults(registry)
                .withLimits(limits(registry).withStrategies(strategyIds, strategyInstruments)));
        ExecutionEngine execution = new ExecutionEngine(ExecutionConfig.defaults());
        Path journalDirectory = Files.createTempDirectory("mme-bench-journal");
        // as in mme: the input journal is the chain's first stage, the decisions journal the audit stage
        JournalEngine journal = new JournalEngine(journalDirectory.resolve("queue"), o.journalSync());
        io.mme.audit.DecisionJournalEngine decisions = new io.mme.audit.DecisionJournalEngine(journalDirectory.resolve("decisions"),
                o.journalSync());
        LatencyEngine latency = new LatencyEngine();
        AckingVenue venue = new AckingVenue();

        List<String> engineNames = new ArrayList<>(o.fused() ? List.of(Pipeline.FUSED_CHAIN) : Pipeline.CHAIN);
        engineNames.addAll(Pipeline.AFTER_CHAIN);
        // the engine threads: a stage with no engine (the WebSocket stream: no clients here) has no thread
        engineNames.remove(Pipeline.STREAM);
        engineNames.add(VENUE);
        Map<String, EngineSpec> specs = new HashMap<>();
        if (o.waitStrategy() != null) {
            for (String name : engineNames) {
                specs.put(name, new EngineSpec(EngineSpec.NO_CPU, o.waitStrategy()));
            }
        }
        if (o.chainWait() != null) {
            specs.put(Pipeline.FUSED_CHAIN, new EngineSpec(EngineSpec.NO_CPU, o.chainWait()));
        }
        Pipeline pipeline = Pipeline.builder(new PipelineConfig(PipelineConfig.DEFAULT_INBOUND_RING_SIZE,
                        PipelineConfig.DEFAULT_OUTBOUND_RING_SIZE, specs, Duration.ofSeconds(30), o.fused()))
                .bookDepth(o.bookDepth())
                .stage(Pipeline.MARKETDATA, marketData)
                .stage(Pipeline.STRATEGY, strategy)
                .stage(Pipeline.RISK, risk)
                .stage(Pipeline.EXECUTION, execution)
                .stage(Pipeline.JOURNAL, journal)
                .stage(Pipeline.AUDIT, decisions)
                .stage(Pipeline.ANALYTICS, latency)
                .outbound(VENUE, venue)
                .build();
        String waits = waitStrategies(pipeline);
        if (out != null) {
            out.printf(Locale.ROOT, PREFIX + "%d instruments (%s) quoted by %d inventory-skew strategies (one per pair); %d engine"
                            + " threads on %d cores (chain %s), wait strategy %s%s; journal in %s (journal.sync %s)%n", registry.size(),
                    registry.size() > 12 ? describe(instruments(1)) + ", ..." : describe(registry), o.strategies(),
                    engineNames.size(), Runtime.getRuntime().availableProcessors(), o.fused() ? "fused on one thread" : "a thread per engine", waits,
                    o.waitStrategy() == null && o.chainWait() == null ? " (the pipeline's default)" : " (--wait / --chain-wait)", journalDirectory,
                    o.journalSync().configName());
            out.printf(Locale.ROOT, PREFIX + "offering %,d market data events/s: %d s warm-up, then %d s measured%n",
                    o.rate(), o.warmupSeconds(), o.seconds());
        }

        com.sun.management.ThreadMXBean threads = threadBean();
        Generator generator = new Generator(pipeline.inbound(), new TouchWalkFeed(registry, o.messageItems() == 2), o.rate());
        Window window;
        long journaled;
        long leftAtShutdown = -1;
        try {
            pipeline.start();
            long[] engineThreadIds = threadIds(engineNames);
            generator.start();
            long start = System.nanoTime();
            long measureFrom = start + o.warmupSeconds() * NANOS;
            awaitOrFail(measureFrom, pipeline, generator, out, start, "warm-up");
            latency.sample();
            Snapshot first = Snapshot.take(pipeline, generator, venue, threads, engineThreadIds);
            awaitOrFail(first.nanos + o.seconds() * NANOS, pipeline, generator, out, start, "measuring");
            latency.sample();
            Snapshot last = Snapshot.take(pipeline, generator, venue, threads, engineThreadIds);
            window = new Window(first, last, engineNames);
            if (pipeline.health().tradingHalted()) {
                throw new IllegalStateException("trading halted during the run: " + pipeline.health().haltReason());
            }
        } finally {
            generator.halt();
            long left = pipeline.shutdown();
            leftAtShutdown = left;
            journaled = journal.appended();
            deleteRecursively(journalDirectory);
            if (left != 0 && out != null) {
                out.println(PREFIX + left + " events were left unprocessed at shutdown");
            }
        }
        if (generator.failure != null) {
            throw new IllegalStateException("the generator failed: " + generator.failure, generator.failure);
        }
        checkEngines(pipeline);
        LatencySummary tickToQuote = latency.tickToQuoteLastInterval();
        long published = generator.published();
        if (published == 0 || window.offered() == 0) {
            throw new IllegalStateException("the generator published no market data in the measured window");
        }
        if (window.orders() == 0) {
            throw new IllegalStateException("no order reached the venue in the measured window");
        }
        if (leftAtShutdown == 0 && journaled < published) {
            throw new IllegalStateException("the journal appended " + journaled + " events for " + published
                    + " market data events published (every inbound event is journaled)");
        }
        if (tickToQuote.count() == 0) {
            throw new IllegalStateException("no market data event put an approved order on the outbound ring in the measured"
                    + " window (risk approved " + risk.approvedIntents() + ", rejected " + risk.rejectedIntents() + " intents)");
        }
        Result result = new Result(window.events() / window.seconds(), tickToQuote, window.allocated() / (double) window.events(),
                window.offered() / window.seconds(), window.orders() / window.seconds(), waits, o.fused(), o.strategies(),
                window.chainCpu(o.fused()) / (double) window.events(), window.cpu() / (double) window.events(), o.bookDepth());
        if (out != null) {
            summary(out, o, window, result, latency, venue, risk, generator, journaled);
        }
        return result;
    }

    /** the engines' wait strategies: one name when they all agree */
    private static String waitStrategies(Pipeline pipeline) {
        StringBuilder text = new StringBuilder();
        WaitStrategyKind common = null;
        boolean same = true;
        for (EngineStatus status : pipeline.health().engines()) {
            if (common == null) {
                common = status.waitStrategy();
            } else if (common != status.waitStrategy()) {
                same = false;
            }
            text.append(text.isEmpty() ? "" : ", ").append(status.name()).append(' ').append(status.waitStrategy().configName());
        }
        return same && common != null ? common.configName() : text.toString();
    }

    private static String describe(InstrumentRegistry registry) {
        StringBuilder text = new StringBuilder();
        for (Instrument instrument : registry.all()) {
            text.append(text.isEmpty() ? "" : ", ").append(instrument.venue().configName()).append(' ')
                    .append(instrument.venueSymbol());
        }
        return text.toString();
    }

    /** sleeps until {@code until}, printing progress every 5 s, failing fast when an engine died */
    private static void awaitOrFail(long until, Pipeline pipeline, Generator generator, PrintStream out, long start,
                                    String phase) throws InterruptedException {
        long nextReport = start + 5 * NANOS * ((System.nanoTime() - start) / (5 * NANOS) + 1);
        while (true) {
            long now = System.nanoTime();
            if (now >= until) {
                return;
            }
            checkEngines(pipeline);
            if (generator.failure != null || !generator.isAlive()) {
                throw new IllegalStateException("the generator stopped: " + generator.failure, generator.failure);
            }
            if (out != null && now >= nextReport) {
                nextReport += 5 * NANOS;
                EngineStatus execution = pipeline.health().engine(Pipeline.EXECUTION);
                out.printf(Locale.ROOT, PREFIX + "%5.1f s %-9s: %,d market data events published (%,d behind schedule),"
                                + " %,d inbound events through the chain%n", (now - start) / 1e9, phase, generator.published(),
                        Math.max(0, generator.due(now) - generator.published()), execution.lastSequence() + 1);
            }
            TimeUnit.MILLISECONDS.sleep(Math.max(1, Math.min(200, TimeUnit.NANOSECONDS.toMillis(until - now))));
        }
    }

    /** fails when an engine thread died or threw: the figures of such a run mean nothing */
    private static void checkEngines(Pipeline pipeline) {
        for (EngineStatus status : pipeline.health().engines()) {
            if (status.faults() > 0 || status.state() == EngineState.DEAD) {
                throw new IllegalStateException("engine " + status.name() + " is " + status.state() + " with " + status.faults()
                        + " faults; first: " + status.firstFault());
            }
        }
    }

    @SuppressWarnings("UnusedVariable") // venue, generator: the run's parts, passed whole
    private static void summary(PrintStream out, Options o, Window w, Result r, LatencyEngine latency, AckingVenue venue,
                                RiskEngine risk, Generator generator, long journaled) {
        out.printf(Locale.ROOT, PREFIX + "measured %.3f s:%n", w.seconds());
        out.printf(Locale.ROOT, "  offered        %,.0f market data events/s (target %,d/s)%n", r.offeredPerSecond(), o.rate());
        out.printf(Locale.ROOT, "  processed      %,.0f inbound events/s through the chain (market data as offered, the rest"
                        + " execution reports and timers)%n", r.eventsPerSecond());
        out.printf(Locale.ROOT, "  orders         %,.0f/s on the outbound ring, all acknowledged (in the window: %,d NEW, %,d REPLACE,"
                        + " %,d CANCEL); risk over the run: %,d intents approved, %,d rejected%n", r.ordersPerSecond(),
                w.last.news - w.first.news, w.last.replaces - w.first.replaces, w.last.cancels - w.first.cancels,
                risk.approvedIntents(), risk.rejectedIntents());
        out.println("  tick-to-quote  " + r.tickToQuote().describe() + ", max " + LatencySummary.micros(r.tickToQuote().max()));
        for (Venue v : Venue.values()) {
            out.printf(Locale.ROOT, "    %-12s %s%n", v.configName(), latency.tickToQuoteLastInterval(v).describe());
        }
        StringBuilder perThread = new StringBuilder();
        for (int t = 0; t < w.names.size(); t++) {
            perThread.append(t == 0 ? "" : ", ").append(w.names.get(t)).append(' ')
                    .append(String.format(Locale.ROOT, "%,d B", w.last.allocated[t] - w.first.allocated[t]));
        }
        out.printf(Locale.ROOT, "  allocation     %.3f B per processed event: %,d B on the engine threads (%s);"
                        + " the generator thread allocated %,d B%n", r.allocatedPerEvent(), w.allocated(), perThread,
                w.last.generatorAllocated - w.first.generatorAllocated);
        out.printf(Locale.ROOT, "  cpu            %.1f ns per processed event on the chain (%s), %.1f ns on all engine threads;"
                        + " book depth %d%n", r.chainCpuPerEvent(), o.fused() ? "the fused thread" : "its engine threads",
                r.enginesCpuPerEvent(), r.bookDepth());
        out.printf(Locale.ROOT, "  journal        %,d events appended over the run (deleted with its directory)%n", journaled);
        long behind = w.last.behind;
        if (behind > o.rate() / 10) {
            out.printf(Locale.ROOT, "  WARNING: at the end the generator was %,d events (%.1f s) behind its schedule: the chain did"
                    + " not keep up with the offered rate, and the latencies include the queue in the ring%n",
                    behind, behind / (double) o.rate());
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

    /** the ids of the engine threads, named "mme-" + engine name by the runtime, in the order of {@code engines} */
    private static long[] threadIds(List<String> engines) {
        Map<String, Long> byName = new HashMap<>();
        for (Thread thread : Thread.getAllStackTraces().keySet()) {
            byName.put(thread.getName(), thread.threadId());
        }
        long[] ids = new long[engines.size()];
        for (int i = 0; i < ids.length; i++) {
            Long id = byName.get("mme-" + engines.get(i));
            if (id == null) {
                throw new IllegalStateException("no thread named mme-" + engines.get(i) + " among " + byName.keySet());
            }
            ids[i] = id;
        }
        return ids;
    }

    private static void deleteRecursively(Path directory) {
        try (Stream<Path> paths = Files.walk(directory)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete the benchmark's journal in " + directory, e);
        }
    }

    /** the counters at one edge of the measured window */
    private record Snapshot(long nanos, long chainSequence, long published, long behind, long news, long replaces,
                            long cancels, long[] allocated, long generatorAllocated, long[] cpu) {
        static Snapshot take(Pipeline pipeline, Generator generator, AckingVenue venue, com.sun.management.ThreadMXBean threads,
                             long[] engineThreadIds) {
            long nanos = System.nanoTime();
            long sequence = pipeline.health().engine(Pipeline.EXECUTION).lastSequence();
            long published = generator.published();
            long news = venue.news();
            long replaces = venue.replaces();
            long cancels = venue.cancels();
            long[] allocated = threads.getThreadAllocatedBytes(engineThreadIds);
            long generatorAllocated = threads.getThreadAllocatedBytes(generator.threadId());
            long[] cpu = new long[engineThreadIds.length];
            for (int t = 0; t < cpu.length; t++) {
                cpu[t] = threads.getThreadCpuTime(engineThreadIds[t]);
            }
            return new Snapshot(nanos, sequence, published, Math.max(0, generator.due(nanos) - published), news, replaces,
                    cancels, allocated, generatorAllocated, cpu);
        }
    }

    /** the measured window between two snapshots */
    private record Window(Snapshot first, Snapshot last, List<String> names) {
        double seconds() {
            return (last.nanos - first.nanos) / 1e9;
        }

        long events() {
            return Math.max(1, last.chainSequence - first.chainSequence);
        }

        long offered() {
            return last.published - first.published;
        }

        long orders() {
            return (last.news + last.replaces + last.cancels) - (first.news + first.replaces + first.cancels);
        }

        /** CPU time of every engine thread over the window, ns (the machine's load does not inflate it as it does wall time) */
        long cpu() {
            long sum = 0;
            for (int t = 0; t < first.cpu.length; t++) {
                sum += last.cpu[t] - first.cpu[t];
            }
            return sum;
        }

        /**
         * CPU time of the business chain over the window: the fused thread (the journal on it too),
         * or the market data, strategy, risk and execution threads (listed after the journal's)
         */
        long chainCpu(boolean fused) {
            long sum = 0;
            for (int t = fused ? 0 : 1; t < (fused ? 1 : Pipeline.CHAIN.size()); t++) {
                sum += last.cpu[t] - first.cpu[t];
            }
            return sum;
        }

        long allocated() {
            long sum = 0;
            for (int t = 0; t < first.allocated.length; t++) {
                if (first.allocated[t] < 0 || last.allocated[t] < 0) {
                    throw new IllegalStateException("engine thread mme-" + names.get(t) + " ended during the measured window");
                }
                sum += last.allocated[t] - first.allocated[t];
            }
            return sum;
        }
    }

    /**
     * The market data generator: publishes the feed's snapshots, then its walk at {@code rate}
     * events per second on a fixed schedule (event k is due at start + k / rate; when it is ahead the
     * thread parks, when it is behind it publishes at once, so the offered rate is kept on average
     * and a stall shows as a backlog), plus a TIMER event every 100 ms. Publishing allocates nothing: the
     * writers are non-capturing and the update object is reused. The counters are written by the
     * generator thread and read by the main thread.
     */
    private static final class Generator extends Thread {
        private final InboundPublisher inbound;
        private final TouchWalkFeed feed;
        private final long rate;
        private final TouchWalkFeed.Update update = new TouchWalkFeed.Update();
        private volatile boolean halted;
        private volatile long published;
        private volatile long startNanos;
        volatile Throwable failure;

        Generator(InboundPublisher inbound, TouchWalkFeed feed, long rate) {
            super("bench-generator");
            this.inbound = inbound;
            this.feed = feed;
            this.rate = rate;
            setDaemon(true);
        }

        @Override
        public void run() {
            try {
                for (TouchWalkFeed.Update item : feed.snapshot()) {
                    inbound.publish(InboundEventType.MARKET_DATA, TouchWalkFeed.WRITE, item);
                }
                long start = System.nanoTime();
                startNanos = start;
                long nextTimer = start + TIMER_PERIOD_NANOS;
                long k = 0;
                while (!halted) {
                    long due = dueAt(start, k);
                    long now = System.nanoTime();
                    if (now < due) {
                        LockSupport.parkNanos(due - now);
                        continue;
                    }
                    if (now >= nextTimer) {
                        inbound.publishTimer();
                        nextTimer += TIMER_PERIOD_NANOS;
                    }
                    inbound.publish(InboundEventType.MARKET_DATA, TouchWalkFeed.WRITE, feed.next(update));
                    k++;
                    published = k;
                }
            } catch (IllegalStateException e) {
                if (!halted) {
                    failure = e;
                }
            } catch (RuntimeException | Error e) {
                failure = e;
            }
        }

        private long dueAt(long start, long k) {
            return start + (k / rate) * NANOS + (k % rate) * NANOS / rate;
        }

        /** walk events due by {@code now} */
        long due(long now) {
            long start = startNanos;
            return start == 0 ? 0 : Math.max(0, (now - start) / NANOS * rate + (now - start) % NANOS * rate / NANOS);
        }

        long published() {
            return published;
        }

        /** stops publishing and waits for the thread, before the pipeline closes its edge publisher */
        void halt() throws InterruptedException {
            halted = true;
            join(TimeUnit.SECONDS.toMillis(10));
        }
    }
}
