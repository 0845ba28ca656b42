package io.mme.bench;

import ch.qos.logback.classic.Level;
import io.mme.connectors.binance.BinanceDepthSync;
import io.mme.connectors.binance.BinanceMarketDataDecoder;
import io.mme.connectors.coinbase.CoinbaseAdvancedTradeDecoder;
import io.mme.connectors.coinbase.CoinbaseExchangeDecoder;
import io.mme.connectors.hyperliquid.HyperliquidDecoder;
import io.mme.connectors.hyperliquid.HyperliquidTicks;
import io.mme.connectors.kraken.KrakenV1BookDecoder;
import io.mme.connectors.kraken.KrakenV2BookDecoder;
import io.mme.core.instrument.InstrumentRegistry;
import io.mme.core.instrument.InstrumentSpec;
import io.mme.core.instrument.Venue;
import io.mme.core.ring.Side;
import io.mme.marketdata.FeedSink;
import io.mme.marketdata.L2Book;
import io.mme.marketdata.replay.Recording;
import org.HdrHistogram.Histogram;
import org.slf4j.LoggerFactory;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

/**
 * Market data replay benchmark: {@code ./mme bench marketdata [options]}. For each venue, the
 * recorded session of {@code ../shared/data/venues} is read into memory once, then replayed again
 * and again through the venue's decoder into a sink that applies every level to an
 * {@link L2Book} per instrument (the Kraken decoder verifies each update's CRC32 checksum on its
 * own copy of the book as part of decoding): passes for {@code --warmup-seconds}, then measured
 * passes until {@code --seconds} of replay were measured.
 *
 * <p>Venues: {@code binance} (the combined stream, its REST depth snapshots fed at their recorded
 * places, untimed and not counted: they are HTTP bodies, not WebSocket messages),
 * {@code kraken} (the WS v1 {@code book-1000} recording), {@code kraken-v2} (the same recording's
 * book messages rewritten in WS v2's form: the same levels, prices and quantities printed as JSON
 * numbers with the v1 text's digits, the v1 checksums carried over, which v2's rule gives again
 * when each pair's price and size decimals are those of its v1 text; no v2 recording exists among
 * the shared data), {@code coinbase} (Advanced Trade),
 * {@code coinbase-exchange} (the legacy feed) and {@code hyperliquid} (the hftbacktest capture of
 * {@code ../hftbacktest/hyperliquid} beside the recordings: whole-book {@code l2Book} messages and
 * trades). Their snapshots that come over the WebSocket are messages like any other and are timed
 * and counted.
 *
 * <p>Timing: {@code System.nanoTime()} around every message, so percentiles are per message. The
 * timer's own cost (printed on stderr; about 20 ns where the clock source is the TSC) is inside
 * each figure. Throughput is the measured messages over the sum of their timed intervals; beside
 * messages per second it gives the book levels per second (every level the decoder passed to the
 * sink inside a timed message: a snapshot's levels, an update's changed levels) and the megabytes of
 * message text per second (the recordings are ASCII: one byte a character), so that venues whose
 * messages carry different amounts compare. The same three for the fastest measured pass alone:
 * every pass does the same work, so on a machine shared with other work the fastest pass is the
 * one least disturbed by it.
 * CPU time: the thread's CPU time ({@code ThreadMXBean.getCurrentThreadCpuTime}) read around
 * each run of timed messages (a pass's set-up, Binance's untimed REST snapshots and the answer
 * check are outside it) gives messages per CPU-second, the figure least disturbed when other
 * processes share the cores (the wall clock also counts the time the thread waited for one). The
 * measured passes are then run again as often without the per-message timer and histogram, by CPU
 * time alone: the difference is what the timer costs.
 * Allocation: this thread's allocated bytes ({@code com.sun.management.ThreadMXBean}) over the
 * measured passes with and without the timer, per message.
 *
 * <p>Each pass starts the session again as a reconnect would: the Binance books' synchronisation
 * is reset (the recorded snapshots then resynchronise them), the Coinbase sequence restarts, the
 * Kraken snapshots at the start of the recording rebuild those books. Every pass checks its answer
 * and a wrong one fails the run (exit code 1): no malformed message; Binance every snapshot
 * applied and no gap; every Kraken checksum passed; no Coinbase sequence gap; no book crossed or
 * overflowed at a message end; each pass's decoder counters and final books exactly those of the
 * first pass.
 *
 * <p>Prints progress on stderr and one JSON line per venue on stdout. Thread: everything runs on
 * the main thread, one venue after another; each venue has its own replay loop, so every loop's
 * decoder call stays monomorphic.
 */
public final class MarketDataBenchmark {
    private static final String USAGE = """
            usage: ./mme bench marketdata [--venue binance|kraken|kraken-v2|coinbase|coinbase-exchange|hyperliquid|all] [--seconds N]
                                          [--warmup-seconds N] [--data DIR]
              --venue           the venue to replay (default all, one after another)
              --seconds         measured seconds of replay per venue (default 5)
              --warmup-seconds  seconds of replay before measuring (default 2)
              --data            the recordings (default $MME_SHARED_DIR/data/venues, else ../shared/data/venues
                                beside the project); hyperliquid reads ../hftbacktest/hyperliquid beside it
              --smoke           every venue for one measured second without warm-up (answers checked as
                                always): for CI
            Progress goes to stderr; one JSON line per venue goes to stdout:
              {"venue":..,"msgs":..,"msgs_per_s":..,"levels_per_s":..,"mb_per_s":..,"best_pass_msgs_per_s":..,
               "best_pass_levels_per_s":..,"best_pass_mb_per_s":..,"p50_ns":..,"p99_ns":..,"p999_ns":..,"msgs_per_cpu_s":..,
               "untimed_msgs_per_cpu_s":..,"alloc_bytes_per_msg":..}
              (best_pass: the fastest measured pass, the least disturbed by other threads on a shared machine;
               msgs_per_cpu_s: the measured messages over the thread's CPU time in them, the per-message timer
               included: the figure a machine shared with other work disturbs least; untimed_msgs_per_cpu_s:
               as many passes again without the per-message timer, by CPU time only)""";
    private static final List<String> VENUES = List.of("binance", "kraken", "kraken-v2", "coinbase", "coinbase-exchange", "hyperliquid");
    /** the Hyperliquid capture, relative to the recordings' directory */
    private static final String HYPERLIQUID_CAPTURE = "../hftbacktest/hyperliquid/btcusd_20250126.gz";
    /** every instrument's grid: fine enough for the 8 decimals these venues print at most */
    private static final String STEP = "0.00000001";
    private static final long NANOS = TimeUnit.SECONDS.toNanos(1);
    /** this thread's CPU time and allocated bytes */
    private static final com.sun.management.ThreadMXBean CPU = threadBean();

    private MarketDataBenchmark() {
    }

    /** the options, with their defaults */
    record Options(List<String> venues, int seconds, int warmupSeconds, Path data) {
        static Options parse(String[] args) {
            List<String> venues = VENUES;
            int seconds = 5;
            int warmup = 2;
            // the shared recordings: $MME_SHARED_DIR/data/venues when set (as the tests read them), else ../shared beside the project
            String shared = System.getenv("MME_SHARED_DIR");
            Path data = shared != null && !shared.isBlank() ? Path.of(shared, "data", "venues")
                    : Path.of(System.getProperty("mme.project.root", ".")).resolve("../shared/data/venues").normalize();
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
                if (!List.of("--venue", "--seconds", "--warmup-seconds", "--data").contains(key)) {
                    throw new IllegalArgumentException("unknown option '" + key + "'");
                }
                if (value == null) {
                    throw new IllegalArgumentException("option " + key + " needs a value");
                }
                switch (key) {
                    case "--venue" -> {
                        if (!value.equals("all") && !VENUES.contains(value)) {
                            throw new IllegalArgumentException("option --venue: '" + value + "' is not one of " + VENUES + " or all");
                        }
                        venues = value.equals("all") ? VENUES : List.of(value);
                    }
                    case "--seconds" -> seconds = number(key, value, 1);
                    case "--warmup-seconds" -> warmup = number(key, value, 0);
                    case "--data" -> data = Path.of(value);
                    default -> throw new IllegalStateException(key);
                }
            }
            return new Options(venues, seconds, warmup, data);
        }

        private static int number(String key, String value, int min) {
            int n;
            try {
                n = Integer.parseInt(value);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("option " + key + ": '" + value + "' is not a whole number");
            }
            if (n < min || n > 3_600) {
                throw new IllegalArgumentException("option " + key + ": " + value + " is outside " + min + "..3600");
            }
            return n;
        }
    }

    public static void main(String[] args) {
        // stdout carries the result lines only: everything else, logs included, goes to stderr
        PrintStream stdout = System.out;
        System.setOut(System.err);
        if (LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME) instanceof ch.qos.logback.classic.Logger root) {
            root.setLevel(Level.toLevel(System.getProperty("mme.log.level", "WARN"), Level.WARN));
        }
        PrintStream err = System.err;
        if (args.length == 1 && (args[0].equals("--help") || args[0].equals("-h"))) {
            stdout.println(USAGE);
            return;
        }
        boolean smoke = BenchArgs.smoke(args);
        Options options;
        try {
            // --smoke: every venue, one measured second each and no warm-up; every pass checks its answer
            options = Options.parse(BenchArgs.withSmokeDefaults(args, "--seconds", "1", "--warmup-seconds", "0"));
        } catch (IllegalArgumentException e) {
            err.println("mme bench marketdata: " + e.getMessage());
            err.println(USAGE);
            System.exit(2);
            return;
        }
        int status = 0;
        try {
            err.printf(Locale.ROOT, "mme bench marketdata: recordings in %s; System.nanoTime() costs about %d ns a call%n",
                    options.data().toAbsolutePath(), timerCost());
            for (String venue : options.venues()) {
                stdout.println(run(load(venue, options.data()), options, err));
                stdout.flush();
            }
            if (smoke) {
                err.println("mme bench marketdata: smoke OK: " + options.venues() + " replayed, every pass's books checked");
            }
        } catch (IOException | RuntimeException e) {
            err.println("mme bench marketdata: FAILED: " + e.getMessage());
            e.printStackTrace(err);
            status = 1;
        }
        System.exit(status);
    }

    /** the median cost of one System.nanoTime() call, from back-to-back calls */
    private static long timerCost() {
        long[] samples = new long[101];
        for (int s = 0; s < samples.length; s++) {
            long start = System.nanoTime();
            for (int i = 0; i < 10_000; i++) {
                System.nanoTime();
            }
            samples[s] = (System.nanoTime() - start) / 10_001;
        }
        Arrays.sort(samples);
        return samples[samples.length / 2];
    }

    /**
     * Warm-up passes, then measured passes with a timer around every message, then as many passes
     * again without that timer (their messages measured by the thread's CPU time only, which shows
     * what the timer itself costs); returns the venue's JSON line.
     */
    static String run(Replay replay, Options o, PrintStream err) {
        Histogram latency = new Histogram(1, TimeUnit.MINUTES.toNanos(1), 3);
        err.printf(Locale.ROOT, "mme bench marketdata: %s: %,d messages a pass (%s)%n", replay.venue, replay.messagesPerPass(), replay.describe());
        long warmupEnd = System.nanoTime() + TimeUnit.SECONDS.toNanos(o.warmupSeconds());
        int passes = 0;
        while (passes == 0 || System.nanoTime() < warmupEnd) {
            replay.pass(latency);
            replay.pass(null);
            passes++;
        }
        err.printf(Locale.ROOT, "mme bench marketdata: %s: %d warm-up passes, answers checked%n", replay.venue, 2 * passes);
        latency.reset();
        long wanted = TimeUnit.SECONDS.toNanos(o.seconds());
        long measuredNanos = 0;
        long messages = 0;
        long bytes = 0;
        passes = 0;
        long levelsBefore = replay.sink.timedLevels();
        long bestPassNanos = Long.MAX_VALUE;
        long bestPassLevels = 0;
        long allocatedBefore = CPU.getCurrentThreadAllocatedBytes();
        long cpuBefore = replay.timedCpuNanos;
        while (measuredNanos < wanted) {
            long passLevelsBefore = replay.sink.timedLevels();
            long passNanos = replay.pass(latency);
            if (passNanos < bestPassNanos) {
                bestPassNanos = passNanos;
                bestPassLevels = replay.sink.timedLevels() - passLevelsBefore;
            }
            measuredNanos += passNanos;
            messages += replay.messagesPerPass();
            bytes += replay.bytesPerPass();
            passes++;
        }
        // the thread's CPU time in the timed messages: what a machine shared with other work disturbs least (the wall
        // clock also counts the time the thread waited for a core); the per-message timer and histogram are inside it
        long cpuNanos = replay.timedCpuNanos - cpuBefore;
        long levels = replay.sink.timedLevels() - levelsBefore;
        // the same passes again without the per-message timer: decode and book only, by CPU time
        long untimedCpuBefore = replay.timedCpuNanos;
        for (int p = 0; p < passes; p++) {
            replay.pass(null);
        }
        long untimedCpuNanos = replay.timedCpuNanos - untimedCpuBefore;
        long allocated = CPU.getCurrentThreadAllocatedBytes() - allocatedBefore;
        double seconds = measuredNanos / (double) NANOS;
        double perSecond = messages / seconds;
        double levelsPerSecond = levels / seconds;
        double megabytesPerSecond = bytes / seconds / 1e6;
        // the fastest pass: the least disturbed by other threads on a shared machine (every pass does the same work)
        double bestSeconds = bestPassNanos / (double) NANOS;
        double bestPerSecond = replay.messagesPerPass() / bestSeconds;
        double perCpuSecond = messages / (cpuNanos / (double) NANOS);
        double untimedPerCpuSecond = messages / (untimedCpuNanos / (double) NANOS);
        err.printf(Locale.ROOT, "mme bench marketdata: %s: %d measured passes, %,d messages in %.2f s: %.2f M messages/s, "
                        + "%.2f M levels/s, %.1f MB/s (fastest pass: %.2f M messages/s, %.2f M levels/s, %.1f MB/s), p50 %,d ns, p99 %,d ns, "
                        + "p99.9 %,d ns, max %,d ns; CPU time of the thread: %.2f M messages per CPU-second (%.0f ns a message), "
                        + "%.2f M (%.0f ns) in as many passes without the per-message timer; %,d bytes allocated in both; answers checked%n",
                replay.venue, passes, messages, seconds, perSecond / 1e6, levelsPerSecond / 1e6, megabytesPerSecond,
                bestPerSecond / 1e6, bestPassLevels / bestSeconds / 1e6, replay.bytesPerPass() / bestSeconds / 1e6,
                latency.getValueAtPercentile(50), latency.getValueAtPercentile(99), latency.getValueAtPercentile(99.9), latency.getMaxValue(),
                perCpuSecond / 1e6, cpuNanos / (double) messages, untimedPerCpuSecond / 1e6, untimedCpuNanos / (double) messages, allocated);
        return String.format(Locale.ROOT, "{\"venue\":\"%s\",\"msgs\":%d,\"msgs_per_s\":%.0f,\"levels_per_s\":%.0f,\"mb_per_s\":%.1f,"
                        + "\"best_pass_msgs_per_s\":%.0f,\"best_pass_levels_per_s\":%.0f,\"best_pass_mb_per_s\":%.1f,"
                        + "\"p50_ns\":%d,\"p99_ns\":%d,\"p999_ns\":%d,\"msgs_per_cpu_s\":%.0f,\"untimed_msgs_per_cpu_s\":%.0f,"
                        + "\"alloc_bytes_per_msg\":%.3f}", replay.venue, messages,
                perSecond, levelsPerSecond, megabytesPerSecond, bestPerSecond, bestPassLevels / bestSeconds, replay.bytesPerPass() / bestSeconds / 1e6,
                latency.getValueAtPercentile(50), latency.getValueAtPercentile(99),
                latency.getValueAtPercentile(99.9), perCpuSecond, untimedPerCpuSecond, allocated / (2.0 * messages));
    }

    private static com.sun.management.ThreadMXBean threadBean() {
        if (!(ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean t)
                || !t.isThreadAllocatedMemorySupported() || !t.isCurrentThreadCpuTimeSupported()) {
            throw new IllegalStateException("this JVM cannot measure a thread's allocated bytes or CPU time");
        }
        t.setThreadAllocatedMemoryEnabled(true);
        t.setThreadCpuTimeEnabled(true);
        return t;
    }

    // ------------------------------------------------------------------ loading

    static Replay load(String venue, Path data) throws IOException {
        return switch (venue) {
            case "binance" -> {
                Recording recording = Recording.read(file(data, "binance-spot.ws.rec"), file(data, "binance-spot.http.rec"));
                yield new BinanceReplay(recording, registry(Venue.BINANCE, recording, Pattern.compile("\"s\":\"([A-Z0-9]+)\"")));
            }
            case "kraken" -> {
                Recording recording = Recording.read(file(data, "kraken-v1-book1000.ws.rec"));
                yield new KrakenReplay(recording, registry(Venue.KRAKEN, recording, Pattern.compile("\"book-[0-9]+\",\"([^\"]+)\"\\]$")));
            }
            case "kraken-v2" -> KrakenV2Replay.of(Recording.read(file(data, "kraken-v1-book1000.ws.rec")));
            case "coinbase", "coinbase-exchange" -> {
                boolean advanced = venue.equals("coinbase");
                Recording recording = Recording.read(file(data, advanced ? "coinbase-advanced-trade.jsonl" : "coinbase-exchange-level2.ws.rec"));
                InstrumentRegistry registry = registry(Venue.COINBASE, recording, Pattern.compile("\"product_id\":\"([A-Z0-9]+-[A-Z0-9]+)\""));
                yield advanced ? new CoinbaseAdvancedTradeReplay(recording, registry) : new CoinbaseExchangeReplay(recording, registry);
            }
            case "hyperliquid" -> new HyperliquidReplay(hyperliquidMessages(data.resolve(HYPERLIQUID_CAPTURE).normalize()));
            default -> throw new IllegalArgumentException("no venue " + venue);
        };
    }

    /** the capture's messages as the venue sent them (each line's receive-time prefix cut off) */
    private static List<String> hyperliquidMessages(Path capture) throws IOException {
        if (!Files.isRegularFile(capture)) {
            throw new IOException("the Hyperliquid capture " + capture.toAbsolutePath() + " is missing (--data names the directory"
                    + " beside which hftbacktest/ stands)");
        }
        try (BufferedReader in = new BufferedReader(new InputStreamReader(new GZIPInputStream(Files.newInputStream(capture)),
                StandardCharsets.UTF_8))) {
            List<String> messages = new ArrayList<>();
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                int space = line.indexOf(' ');
                if (!line.isBlank() && space > 0) {
                    messages.add(line.substring(space + 1));
                }
            }
            return messages;
        }
    }

    private static Path file(Path data, String name) throws IOException {
        Path path = data.resolve(name);
        if (!Files.isRegularFile(path)) {
            throw new IOException("the recording " + path.toAbsolutePath() + " is missing (--data names the directory)");
        }
        return path;
    }

    /** an instrument for every symbol the received messages name, all on {@link #STEP} grids */
    private static InstrumentRegistry registry(Venue venue, Recording recording, Pattern symbol) {
        TreeSet<String> symbols = new TreeSet<>();
        for (String message : recording.received()) {
            Matcher m = symbol.matcher(message);
            while (m.find()) {
                symbols.add(m.group(1));
            }
        }
        if (symbols.isEmpty()) {
            throw new IllegalStateException("the " + venue.configName() + " recording names no instrument");
        }
        InstrumentRegistry.Builder b = InstrumentRegistry.builder();
        for (String s : symbols) {
            b.add(new InstrumentSpec(venue, s, s, "QUOTE", STEP, STEP, null, null, null, null));
        }
        return b.build();
    }

    // ------------------------------------------------------------------ replays

    /** one venue's recording in memory, its decoder and its books, replayed pass after pass */
    abstract static class Replay {
        final String venue;
        final InstrumentRegistry registry;
        final BookSink sink;
        /** per pass: the decoder's counters before and after, what the pass added and the books' fingerprint last */
        private final long[] before;
        private final long[] after;
        private final long[] pass;
        /** {@link #pass} of the first pass, which every pass must repeat; null before it */
        private long[] firstPass;
        /**
         * The thread's CPU time in the timed messages, read around each run of them (one run a pass;
         * Binance: the runs between its untimed REST snapshots), so without the pass's set-up and
         * answer check; with the per-message timer and histogram when the pass had them.
         */
        long timedCpuNanos;

        Replay(String venue, InstrumentRegistry registry, int bookCapacityPerSide, int counters) {
            this.venue = venue;
            this.registry = registry;
            this.sink = new BookSink(registry.size(), bookCapacityPerSide);
            before = new long[counters];
            after = new long[counters];
            pass = new long[counters + 1];
        }

        abstract int messagesPerPass();

        /** characters (bytes: the recordings are ASCII) of the timed messages of one pass */
        abstract long bytesPerPass();

        abstract String describe();

        static long characters(String[] texts) {
            long n = 0;
            for (String text : texts) {
                n += text.length();
            }
            return n;
        }

        /**
         * Replays the recording once, each timed message's nanoseconds into {@code latency} (null: the
         * same messages without a per-message timer, measured by CPU time only), and checks the
         * answer.
         *
         * @return the nanoseconds of the timed messages (0 without {@code latency})
         */
        abstract long pass(Histogram latency);

        /** the decoder's counters that a pass adds to (and that must add the same every pass), into {@code into} */
        abstract void counters(long[] into);

        /** what is wrong with a pass that added {@code added} to the counters, or null */
        abstract String wrongAfterPass(long[] added);

        /**
         * Decodes each text once, timing each into {@code latency} (null: no per-message timer, for the
         * CPU-time passes), and adds the thread's CPU time over all of them to {@link #timedCpuNanos}.
         *
         * @return the nanoseconds of the timed messages (0 without {@code latency})
         */
        final long timed(String[] texts, java.util.function.Consumer<String> decode, Histogram latency) {
            long cpuStart = CPU.getCurrentThreadCpuTime();
            long nanos = 0;
            if (latency == null) {
                for (String text : texts) {
                    decode.accept(text);
                }
            } else {
                for (String text : texts) {
                    long start = System.nanoTime();
                    decode.accept(text);
                    long took = System.nanoTime() - start;
                    latency.recordValue(took);
                    nanos += took;
                }
            }
            timedCpuNanos += CPU.getCurrentThreadCpuTime() - cpuStart;
            return nanos;
        }

        final void startPass() {
            counters(before);
            sink.crossedEnds = 0;
        }

        /** checks the pass's answer; allocates only to report a wrong one (and to keep the first pass's) */
        final void endPass() {
            counters(after);
            for (int i = 0; i < after.length; i++) {
                pass[i] = after[i] - before[i];
            }
            pass[after.length] = sink.fingerprint();
            String wrong = wrongAfterPass(pass);
            if (wrong == null && sink.crossedEnds > 0) {
                wrong = sink.crossedEnds + " message ends with a crossed book";
            }
            if (wrong == null && sink.overflowed()) {
                wrong = "a book overflowed its capacity";
            }
            if (wrong == null && firstPass != null && !Arrays.equals(firstPass, pass)) {
                wrong = "counters and books " + Arrays.toString(pass) + " differ from the first pass's " + Arrays.toString(firstPass);
            }
            if (wrong != null) {
                throw new IllegalStateException(venue + ": wrong answer after a pass: " + wrong);
            }
            if (firstPass == null) {
                firstPass = pass.clone();
            }
        }
    }

    /**
     * Binance: the combined stream with the REST snapshots at their recorded places. A pass resets
     * every book's synchronisation, as BinanceFeed does on connecting; the diffs before a book's
     * snapshot are buffered again and the snapshot resynchronises it.
     */
    static final class BinanceReplay extends Replay {
        private static final Pattern SNAPSHOT_SYMBOL = Pattern.compile("symbol=([A-Z0-9]+)");

        private final BinanceMarketDataDecoder decoder;
        private final String[] texts;
        /** per text: the instrument of a REST snapshot, -1 for a WebSocket message */
        private final int[] snapshotOf;
        private final int messages;
        private final long bytes;

        BinanceReplay(Recording recording, InstrumentRegistry registry) {
            super("binance", registry, 10_000, 7);
            decoder = new BinanceMarketDataDecoder(registry, sink);
            List<String> texts = new ArrayList<>();
            List<Integer> snapshotOf = new ArrayList<>();
            for (Recording.Entry e : recording.entries()) {
                if (e.kind() == Recording.Kind.RECEIVED) {
                    texts.add(e.text());
                    snapshotOf.add(-1);
                } else if (e.kind() == Recording.Kind.REST) {
                    Matcher m = SNAPSHOT_SYMBOL.matcher(e.url());
                    if (!m.find()) {
                        throw new IllegalStateException("a REST response without a symbol: " + e.url());
                    }
                    texts.add(e.text());
                    snapshotOf.add(registry.find(Venue.BINANCE, m.group(1)).id());
                }
            }
            this.texts = texts.toArray(String[]::new);
            this.snapshotOf = snapshotOf.stream().mapToInt(Integer::intValue).toArray();
            this.messages = (int) snapshotOf.stream().filter(id -> id < 0).count();
            long b = 0;
            for (int i = 0; i < this.texts.length; i++) {
                b += this.snapshotOf[i] < 0 ? this.texts[i].length() : 0;
            }
            this.bytes = b;
        }

        @Override
        int messagesPerPass() {
            return messages;
        }

        @Override
        long bytesPerPass() {
            return bytes;
        }

        @Override
        String describe() {
            return (texts.length - messages) + " REST snapshots fed untimed at their recorded places";
        }

        @Override
        long pass(Histogram latency) {
            startPass();
            for (int id = 0; id < registry.size(); id++) {
                decoder.sync(id).reset();
                sink.invalid(id, "a new pass");
            }
            long nanos = 0;
            long cpuStart = CPU.getCurrentThreadCpuTime();
            for (int i = 0; i < texts.length; i++) {
                if (snapshotOf[i] >= 0) {
                    timedCpuNanos += CPU.getCurrentThreadCpuTime() - cpuStart;
                    long levelsBefore = sink.levels;
                    BinanceDepthSync.SnapshotResult result = decoder.onSnapshot(snapshotOf[i], texts[i]);
                    sink.untimedLevels += sink.levels - levelsBefore;
                    if (result != BinanceDepthSync.SnapshotResult.APPLIED) {
                        throw new IllegalStateException("binance: wrong answer: the recorded snapshot of "
                                + registry.get(snapshotOf[i]).venueSymbol() + " was " + result);
                    }
                    cpuStart = CPU.getCurrentThreadCpuTime();
                    continue;
                }
                if (latency == null) {
                    decoder.onMessage(texts[i]);
                    continue;
                }
                long start = System.nanoTime();
                decoder.onMessage(texts[i]);
                long took = System.nanoTime() - start;
                latency.recordValue(took);
                nanos += took;
            }
            timedCpuNanos += CPU.getCurrentThreadCpuTime() - cpuStart;
            endPass();
            return nanos;
        }

        @Override
        void counters(long[] into) {
            long gaps = 0;
            long applied = 0;
            for (int id = 0; id < registry.size(); id++) {
                gaps += decoder.sync(id).gaps();
                applied += decoder.sync(id).applied();
            }
            into[0] = decoder.messages();
            into[1] = decoder.malformed();
            into[2] = gaps;
            into[3] = applied;
            into[4] = sink.ends;
            into[5] = sink.trades;
            into[6] = sink.quotes;
        }

        @Override
        String wrongAfterPass(long[] added) {
            if (added[1] != 0) {
                return added[1] + " malformed messages; the last: " + decoder.lastError();
            }
            if (added[2] != 0) {
                return added[2] + " sequence gaps";
            }
            return added[3] == 0 ? "no diff applied" : null;
        }
    }

    /** Kraken WS v1 book-1000: the snapshots at the start of the recording rebuild the books every pass */
    static final class KrakenReplay extends Replay {
        private final KrakenV1BookDecoder decoder;
        private final java.util.function.Consumer<String> decode;
        private final String[] texts;
        private final long bytes;
        private final long withChecksum;

        KrakenReplay(Recording recording, InstrumentRegistry registry) {
            super("kraken", registry, 4_096, 7);
            decoder = new KrakenV1BookDecoder(registry, sink);
            decode = decoder::onMessage;
            texts = recording.received().toArray(String[]::new);
            bytes = characters(texts);
            withChecksum = Arrays.stream(texts).filter(t -> t.startsWith("[") && t.contains("\"c\":")).count();
        }

        @Override
        int messagesPerPass() {
            return texts.length;
        }

        @Override
        long bytesPerPass() {
            return bytes;
        }

        @Override
        String describe() {
            return withChecksum + " with a checksum, verified by the decoder";
        }

        @Override
        long pass(Histogram latency) {
            startPass();
            long nanos = timed(texts, decode, latency);
            endPass();
            return nanos;
        }

        @Override
        void counters(long[] into) {
            into[0] = decoder.messages();
            into[1] = decoder.malformed();
            into[2] = decoder.checksumsPassed();
            into[3] = decoder.checksumsFailed();
            into[4] = decoder.droppedWhileInvalid();
            into[5] = decoder.snapshots();
            into[6] = sink.ends;
        }

        @Override
        String wrongAfterPass(long[] added) {
            if (added[1] != 0) {
                return added[1] + " malformed messages; the last: " + decoder.lastError();
            }
            if (added[3] != 0 || added[2] != withChecksum) {
                return added[2] + " checksums passed and " + added[3] + " failed of " + withChecksum;
            }
            return added[4] != 0 ? added[4] + " updates dropped while their book was invalid" : null;
        }
    }

    /**
     * Kraken WS v2: the v1 recording's book messages in v2's form (see the class comment), after a
     * v2 subscribe acknowledgement per pair giving the depth (1000). The snapshots at the start
     * rebuild the books every pass, as with v1.
     */
    static final class KrakenV2Replay extends Replay {
        private static final Pattern PAIR = Pattern.compile("\"book-[0-9]+\",\"([^\"]+)\"\\]$");
        private static final Pattern SIDE = Pattern.compile("\"(as|bs|a|b)\":\\[(.*?)\\]\\]");
        private static final Pattern LEVEL = Pattern.compile("\\[\"([0-9.]+)\",\"([0-9.]+)\",\"([0-9.]+)\"(,\"r\")?\\]");
        private static final Pattern CHECKSUM = Pattern.compile("\"c\":\"([0-9]+)\"");

        private final KrakenV2BookDecoder decoder;
        private final java.util.function.Consumer<String> decode;
        private final String[] texts;
        private final long bytes;
        private final long withChecksum;

        private KrakenV2Replay(InstrumentRegistry registry, String[] texts) {
            super("kraken-v2", registry, 4_096, 7);
            decoder = new KrakenV2BookDecoder(registry, sink);
            decode = decoder::onMessage;
            this.texts = texts;
            bytes = characters(texts);
            withChecksum = Arrays.stream(texts).filter(t -> t.contains("\"checksum\":")).count();
        }

        static KrakenV2Replay of(Recording recording) {
            java.util.Map<String, Integer> priceDecimals = new java.util.TreeMap<>();
            List<String> converted = new ArrayList<>();
            for (String message : recording.received()) {
                Matcher pair = PAIR.matcher(message);
                if (!message.startsWith("[") || !pair.find()) {
                    continue; // events (status, heartbeats, subscription answers) and other channels
                }
                boolean snapshot = message.contains("\"as\":") || message.contains("\"bs\":");
                StringBuilder bids = new StringBuilder();
                StringBuilder asks = new StringBuilder();
                String firstTime = null;
                Matcher side = SIDE.matcher(message);
                while (side.find()) {
                    StringBuilder into = side.group(1).startsWith("b") ? bids : asks;
                    Matcher level = LEVEL.matcher(side.group(2) + "]");
                    while (level.find()) {
                        into.append(into.isEmpty() ? "" : ",").append("{\"price\":").append(level.group(1))
                                .append(",\"qty\":").append(level.group(2)).append('}');
                        priceDecimals.merge(pair.group(1), level.group(1).length() - level.group(1).indexOf('.') - 1, Math::max);
                        firstTime = firstTime == null ? level.group(3) : firstTime;
                    }
                }
                Matcher checksum = CHECKSUM.matcher(message);
                String timestamp = java.time.Instant.ofEpochSecond(0, new java.math.BigDecimal(firstTime == null ? "0" : firstTime)
                        .movePointRight(9).longValueExact()).toString();
                converted.add("{\"channel\":\"book\",\"type\":\"" + (snapshot ? "snapshot" : "update") + "\",\"data\":[{\"symbol\":\""
                        + pair.group(1) + "\",\"bids\":[" + bids + "],\"asks\":[" + asks + "]"
                        + (checksum.find() ? ",\"checksum\":" + checksum.group(1) : "") + ",\"timestamp\":\"" + timestamp + "\"}]}");
            }
            InstrumentRegistry.Builder b = InstrumentRegistry.builder();
            List<String> texts = new ArrayList<>();
            for (var e : priceDecimals.entrySet()) {
                String tick = java.math.BigDecimal.ONE.movePointLeft(e.getValue()).toPlainString();
                b.add(new InstrumentSpec(Venue.KRAKEN, e.getKey(), e.getKey(), "QUOTE", tick, "0.00000001", null, null, e.getValue(), 8));
                texts.add("{\"method\":\"subscribe\",\"result\":{\"channel\":\"book\",\"depth\":1000,\"snapshot\":true,\"symbol\":\""
                        + e.getKey() + "\"},\"success\":true}");
            }
            texts.addAll(converted);
            return new KrakenV2Replay(b.build(), texts.toArray(String[]::new));
        }

        @Override
        int messagesPerPass() {
            return texts.length;
        }

        @Override
        long bytesPerPass() {
            return bytes;
        }

        @Override
        String describe() {
            return withChecksum + " with a checksum, verified by the decoder; the v1 recording in v2's form";
        }

        @Override
        long pass(Histogram latency) {
            startPass();
            long nanos = timed(texts, decode, latency);
            endPass();
            return nanos;
        }

        @Override
        void counters(long[] into) {
            into[0] = decoder.messages();
            into[1] = decoder.malformed();
            into[2] = decoder.checksumsPassed();
            into[3] = decoder.checksumsFailed();
            into[4] = decoder.droppedWhileInvalid();
            into[5] = decoder.snapshots();
            into[6] = sink.ends;
        }

        @Override
        String wrongAfterPass(long[] added) {
            if (added[1] != 0) {
                return added[1] + " malformed messages; the last: " + decoder.lastError();
            }
            if (added[3] != 0 || added[2] != withChecksum) {
                return added[2] + " checksums passed and " + added[3] + " failed of " + withChecksum;
            }
            return added[4] != 0 ? added[4] + " updates dropped while their book was invalid" : null;
        }
    }

    /** Coinbase Advanced Trade: every pass is a new connection (the sequence restarts) with its snapshots */
    static final class CoinbaseAdvancedTradeReplay extends Replay {
        private final CoinbaseAdvancedTradeDecoder decoder;
        private final java.util.function.Consumer<String> decode;
        private final String[] texts;
        private final long bytes;

        CoinbaseAdvancedTradeReplay(Recording recording, InstrumentRegistry registry) {
            super("coinbase", registry, 1 << 17, 10);
            decoder = new CoinbaseAdvancedTradeDecoder(registry, sink);
            decode = decoder::onMessage;
            texts = recording.received().toArray(String[]::new);
            bytes = characters(texts);
        }

        @Override
        int messagesPerPass() {
            return texts.length;
        }

        @Override
        long bytesPerPass() {
            return bytes;
        }

        @Override
        String describe() {
            return "Advanced Trade, whole-book snapshots included";
        }

        @Override
        long pass(Histogram latency) {
            startPass();
            decoder.newConnection();
            long nanos = timed(texts, decode, latency);
            endPass();
            return nanos;
        }

        @Override
        void counters(long[] into) {
            into[0] = decoder.messages();
            into[1] = decoder.malformed();
            into[2] = decoder.gaps();
            into[3] = decoder.late();
            into[4] = decoder.snapshots();
            into[5] = decoder.updates();
            into[6] = decoder.droppedWhileInvalid();
            into[7] = decoder.trades();
            into[8] = decoder.tickers();
            into[9] = sink.ends;
        }

        @Override
        String wrongAfterPass(long[] added) {
            if (added[1] != 0) {
                return added[1] + " malformed messages; the last: " + decoder.lastError();
            }
            if (added[2] != 0 || added[3] != 0) {
                return added[2] + " sequence gaps and " + added[3] + " late messages";
            }
            return added[4] == 0 ? "no snapshot" : null;
        }
    }

    /** Coinbase Exchange (legacy): every pass is a new connection with its snapshots */
    static final class CoinbaseExchangeReplay extends Replay {
        private final CoinbaseExchangeDecoder decoder;
        private final java.util.function.Consumer<String> decode;
        private final String[] texts;
        private final long bytes;

        CoinbaseExchangeReplay(Recording recording, InstrumentRegistry registry) {
            super("coinbase-exchange", registry, 1 << 17, 10);
            decoder = new CoinbaseExchangeDecoder(registry, sink);
            decode = decoder::onMessage;
            texts = recording.received().toArray(String[]::new);
            bytes = characters(texts);
        }

        @Override
        int messagesPerPass() {
            return texts.length;
        }

        @Override
        long bytesPerPass() {
            return bytes;
        }

        @Override
        String describe() {
            return "the legacy Exchange feed, snapshots included";
        }

        @Override
        long pass(Histogram latency) {
            startPass();
            decoder.newConnection();
            long nanos = timed(texts, decode, latency);
            endPass();
            return nanos;
        }

        @Override
        void counters(long[] into) {
            into[0] = decoder.messages();
            into[1] = decoder.malformed();
            into[2] = decoder.outOfOrder();
            into[3] = decoder.late();
            into[4] = decoder.snapshots();
            into[5] = decoder.updates();
            into[6] = decoder.droppedWhileInvalid();
            into[7] = decoder.trades();
            into[8] = decoder.tickers();
            into[9] = sink.ends;
        }

        @Override
        String wrongAfterPass(long[] added) {
            if (added[1] != 0) {
                return added[1] + " malformed messages; the last: " + decoder.lastError();
            }
            if (added[2] != 0) {
                return added[2] + " l2updates out of order";
            }
            return added[4] == 0 ? "no snapshot" : null;
        }
    }

    /**
     * Hyperliquid: the capture's {@code l2Book} snapshots (whole books; the decoder passes on the
     * first whole and then each one's difference to the last) and trades. Every pass is a new
     * connection: the decoder is reset, so the first snapshot is passed on whole and the first
     * trades message is history again.
     */
    static final class HyperliquidReplay extends Replay {
        private final HyperliquidDecoder decoder;
        private final java.util.function.Consumer<String> decode;
        private final String[] texts;
        private final long bytes;

        HyperliquidReplay(List<String> messages) {
            super("hyperliquid", hyperliquidRegistry(), 2 * HyperliquidDecoder.MAX_LEVELS_PER_SIDE, 9);
            decoder = new HyperliquidDecoder(registry, sink);
            decode = decoder::onMessage;
            texts = messages.toArray(String[]::new);
            bytes = characters(texts);
        }

        /** BTC as Hyperliquid's {@code meta} describes it (szDecimals 5, a perpetual) */
        private static InstrumentRegistry hyperliquidRegistry() {
            return InstrumentRegistry.builder().add(new InstrumentSpec(Venue.HYPERLIQUID, "BTC", "BTC", "USD",
                    HyperliquidTicks.tickSize(5, true), HyperliquidTicks.lotSize(5), null, null, null, null)).build();
        }

        @Override
        int messagesPerPass() {
            return texts.length;
        }

        @Override
        long bytesPerPass() {
            return bytes;
        }

        @Override
        String describe() {
            return "whole-book l2Book snapshots and trades";
        }

        @Override
        long pass(Histogram latency) {
            startPass();
            decoder.reset();
            for (int id = 0; id < registry.size(); id++) {
                sink.invalid(id, "a new pass");
            }
            long nanos = timed(texts, decode, latency);
            endPass();
            return nanos;
        }

        @Override
        void counters(long[] into) {
            into[0] = decoder.messages();
            into[1] = decoder.malformed();
            into[2] = decoder.snapshots();
            into[3] = decoder.refusedCrossed();
            into[4] = decoder.refusedOlder();
            into[5] = decoder.trades();
            into[6] = decoder.ignoredTrades();
            into[7] = decoder.errors();
            into[8] = sink.ends;
        }

        @Override
        String wrongAfterPass(long[] added) {
            if (added[1] != 0 || added[7] != 0) {
                return added[1] + " malformed messages and " + added[7] + " errors; the last: " + decoder.lastError();
            }
            if (added[3] != 0 || added[4] != 0) {
                return added[3] + " crossed and " + added[4] + " older snapshots refused";
            }
            return added[2] == 0 || added[5] == 0 ? "no snapshot or no trade" : null;
        }
    }

    /**
     * Applies what a decoder says to one {@link L2Book} per instrument, as the market data engine
     * does, and counts what the answer checks need: message ends, crossed valid books at an end,
     * trades and best bid/offers. Allocation-free.
     */
    static final class BookSink implements FeedSink {
        final L2Book[] books;
        private final boolean[] valid;
        private final boolean[] snapshotOpen;
        long ends;
        /** every level passed on, and those of them outside the timed messages (Binance's REST snapshots) */
        long levels;
        long untimedLevels;
        long crossedEnds;
        long trades;
        long quotes;

        BookSink(int instruments, int capacityPerSide) {
            books = new L2Book[instruments];
            valid = new boolean[instruments];
            snapshotOpen = new boolean[instruments];
            for (int i = 0; i < instruments; i++) {
                books[i] = new L2Book(capacityPerSide);
            }
        }

        @Override
        public void clear(int id, long seq) {
            books[id].clear();
            valid[id] = false;
            snapshotOpen[id] = true;
        }

        @Override
        public void level(int id, Side side, long price, long qty, long seq) {
            books[id].set(side, price, qty);
            levels++;
        }

        /** the levels passed on inside timed messages */
        long timedLevels() {
            return levels - untimedLevels;
        }

        @Override
        public void endOfMessage(int id, long seq) {
            if (snapshotOpen[id]) {
                snapshotOpen[id] = false;
                valid[id] = true;
            }
            if (valid[id] && books[id].crossed()) {
                crossedEnds++;
            }
            ends++;
        }

        @Override
        public void invalid(int id, String reason) {
            valid[id] = false;
            snapshotOpen[id] = false;
        }

        @Override
        public void bestBidOffer(int id, long bid, long bidQty, long ask, long askQty, long seq) {
            quotes++;
        }

        @Override
        public void trade(int id, Side aggressor, long price, long qty, long tradeId, long ts) {
            trades++;
        }

        boolean overflowed() {
            for (L2Book book : books) {
                if (book.overflowed()) {
                    return true;
                }
            }
            return false;
        }

        /** a hash of every book's levels and validity */
        long fingerprint() {
            long h = 1;
            for (int id = 0; id < books.length; id++) {
                h = 31 * h + (valid[id] ? 1 : 0);
                h = hash(h, books[id], Side.BUY);
                h = hash(h, books[id], Side.SELL);
            }
            return h;
        }

        private static long hash(long h, L2Book book, Side side) {
            for (int i = 0; i < book.levels(side); i++) {
                h = 31 * (31 * h + book.price(side, i)) + book.quantity(side, i);
            }
            return h;
        }
    }
}
