package io.mme.backtest;

import io.mme.connectors.binance.BinanceMarketDataDecoder;
import io.mme.core.instrument.Instrument;
import io.mme.core.instrument.InstrumentRegistry;
import io.mme.core.instrument.Venue;
import io.mme.core.ring.InboundEvent;
import io.mme.core.ring.InboundEventType;
import io.mme.core.ring.Side;
import io.mme.core.runtime.Engine;
import io.mme.core.runtime.EventTimeChain;
import io.mme.core.runtime.InboundPublisher;
import io.mme.marketdata.L2Book;
import io.mme.marketdata.RingFeedSink;
import io.mme.matching.QueueModel;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.LongConsumer;

/**
 * One backtest: recorded venue messages through the real decoder and the real chain, in event
 * time, against the {@link SimulatedExchange}. The driver on the calling thread merges three
 * streams by time — the recorded lines (at their local receive time, several files merged), the
 * exchange's commands and answers in flight ({@link Schedule}), and the engine's timer ticks —
 * and runs the chain to completion for each ({@link EventTimeChain}) before taking the next. What
 * happens at one instant keeps a fixed order: due answers and timers first, then the recorded
 * line. Same input, same order, same decisions.
 *
 * <p>Normalised recordings ({@link RecordedFeed}: the engine's own inbound journals) are a fourth
 * kind of input, merged with the files by receive time: their messages go into the same sink as
 * the decoder's, so the exchange and the engine hear them as they would a venue's.
 *
 * <p>Input handling, as a live feed would: a line that cannot be read is reported with its file
 * and line and skipped (a lost depth diff makes the decoder resync from the next snapshot); diffs
 * before any snapshot are buffered by the decoder, and the run says the book is waiting; a symbol
 * the configuration does not name stops the run with a named error.
 *
 * <p>Thread: the caller's; one run per object.
 */
public final class Backtest {
    /** the REST depth snapshot's first field; the capture puts the snapshot's body on a line of its own */
    private static final String SNAPSHOT_PREFIX = "{\"lastUpdateId\"";
    private static final int MAX_REPORTED_LINES = 20;
    /**
     * Slots of the chain's inbound ring. Small on purpose: the ring is run whenever it fills (a
     * 1,000-level snapshot part by part, which changes no decision), and 256 slots of ~3 KB stay in
     * the core's cache where 8,192 streamed 24 MB through it (docs/PERFORMANCE.md, backtest).
     */
    private static final int INBOUND_RING = 1 << 8;
    /** slots of the outbound ring: the commands one event sets off (its publisher waits when full, so it must hold them) */
    private static final int OUTBOUND_RING = 1 << 13;

    /**
     * @param data              capture files (gzip or plain), merged by local receive time
     * @param fromNanos         trading starts at this time (the data before only builds the books); null: the data's start
     * @param toNanos           the run ends at this time; null: the data's end
     * @param queueModel        how the queue ahead of our orders shrinks
     * @param latency           order entry and response latency
     * @param timerPeriodNanos  the engine's timer period (engine.timerPeriodMillis)
     * @param bookCapacity      levels per side of the exchange's recorded books
     * @param makerFeeBps       per instrument, for the report
     * @param takerFeeBps       per instrument, for the report
     * @param recorded          normalised recordings (the engine's own journals), merged with the files by receive time
     */
    public record Options(List<Path> data, Long fromNanos, Long toNanos, QueueModel queueModel, LatencyModel latency,
                          long timerPeriodNanos, int bookCapacity, long[] makerFeeBps, long[] takerFeeBps,
                          List<RecordedFeed.Opener> recorded) {
        public Options {
            recorded = List.copyOf(recorded);
        }

        /** files only */
        public Options(List<Path> data, Long fromNanos, Long toNanos, QueueModel queueModel, LatencyModel latency,
                       long timerPeriodNanos, int bookCapacity, long[] makerFeeBps, long[] takerFeeBps) {
            this(data, fromNanos, toNanos, queueModel, latency, timerPeriodNanos, bookCapacity, makerFeeBps, takerFeeBps, List.of());
        }
    }

    /** what a run did, beside the report's recorder */
    public record Outcome(long lines, long venueMessages, long skippedLines, long events, long commands, long fills, long rejects,
                          long engineFaults, long firstTimestamp, long lastTimestamp, List<String> notes) {
    }

    private final InstrumentRegistry registry;
    private final Options options;
    private final EventClock clock = new EventClock(0);
    private final Schedule schedule = new Schedule();
    private final SimulatedExchange exchange;
    private final BacktestRecorder recorder;
    private final EventTimeChain chain;
    private final TeeFeedSink sink;
    private final RingFeedSink engineSink;
    private final BinanceMarketDataDecoder decoder;
    private final boolean[] simulated;
    private final PrintWriter log;
    private final List<String> notes = new ArrayList<>();
    private final boolean[] warnedWaiting;
    private final List<Source> recordedSources = new ArrayList<>();
    /** the latency model reads the feed latency: only then is it read off each message (a search of its text) */
    private final boolean readFeedLatency;
    private long commands;

    /**
     * @param chainNames   the chain engines' names in order (marketdata, strategy, risk, execution)
     * @param chainEngines the engines, built from the configuration as a live run builds them
     * @param log          where skipped lines and notices are reported (stderr)
     */
    public Backtest(InstrumentRegistry registry, List<String> chainNames, List<? extends Engine<InboundEvent>> chainEngines,
                    Options options, PrintWriter log) {
        this.registry = registry;
        this.options = options;
        this.log = log;
        this.readFeedLatency = options.latency().usesFeedLatency();
        simulated = new boolean[registry.size()];
        // the exchange holds a recorded book for every instrument; those the data says nothing of stay empty
        java.util.Arrays.fill(simulated, true);
        warnedWaiting = new boolean[registry.size()];
        recorder = new BacktestRecorder(registry, simulated, options.makerFeeBps(), options.takerFeeBps());
        exchange = new SimulatedExchange(registry, simulated, options.bookCapacity(), options.queueModel(), options.latency(), clock,
                schedule, new CountingListener(recorder));
        chain = new EventTimeChain(chainNames, chainEngines, List.of("exchange"), List.of(exchange), clock, INBOUND_RING, OUTBOUND_RING);
        engineSink = new RingFeedSink(chain.inbound(), registry, clock);
        sink = new TeeFeedSink(exchange, engineSink);
        decoder = new BinanceMarketDataDecoder(registry, sink);
        // the engines' publishers and start-up belong to building the run, not to running it
        chain.start();
    }

    /** counts the commands as they leave, then tells the recorder */
    private final class CountingListener implements SimulatedExchange.Listener {
        private final SimulatedExchange.Listener next;

        CountingListener(SimulatedExchange.Listener next) {
            this.next = next;
        }

        @Override
        public void commandSent(int instrumentId, io.mme.core.ring.OrderCommandType type, long quantityLots) {
            commands++;
            next.commandSent(instrumentId, type, quantityLots);
        }

        @Override
        public void fill(long timeNanos, int instrumentId, Side side, long priceTicks, long quantityLots, boolean maker) {
            next.fill(timeNanos, instrumentId, side, priceTicks, quantityLots, maker);
        }

        @Override
        public void rejected(int instrumentId) {
            next.rejected(instrumentId);
        }
    }

    /**
     * One input being read: a capture file (with the instrument its snapshots belong to), a Tardis
     * CSV file, or a normalised recording ({@code feed}; then {@code reader} is null).
     */
    private static final class Source {
        final CaptureReader reader;
        final TardisCsv tardis;
        final RecordedFeed feed;
        boolean more;
        /** the reader already holds the first line (read to tell the format) */
        boolean primed;
        int depthInstrument = -1;

        Source(CaptureReader reader, TardisCsv tardis) {
            this.reader = reader;
            this.tardis = tardis;
            this.feed = null;
        }

        Source(RecordedFeed feed) {
            this.reader = null;
            this.tardis = null;
            this.feed = feed;
        }

        long timestamp() {
            return feed != null ? feed.timestamp() : tardis != null ? tardis.timestamp() : reader.timestamp();
        }

        long bytesRead() {
            return feed != null ? feed.bytesRead() : reader.fileBytesRead();
        }

        void close() {
            if (feed != null) {
                feed.close();
            } else {
                reader.close();
            }
        }
    }

    /** a capture of raw venue messages, or a Tardis CSV file when its first line is a Tardis header */
    private Source open(Path p) {
        CaptureReader reader = new CaptureReader(p);
        boolean any = reader.next();
        if (any && TardisCsv.isTardisHeader(reader.message())) {
            TardisCsv csv = new TardisCsv(reader, registry);
            return new Source(reader, csv);
        }
        Source source = new Source(reader, null);
        source.primed = any;
        return source;
    }

    /**
     * Runs the whole backtest.
     *
     * @param progress hears the share of the input read (0..1000 per mille) now and then; may be a no-op
     * @throws BacktestInputException when the input cannot be used (named file, line or option)
     */
    public Outcome run(LongConsumer progress) {
        List<Source> sources = new ArrayList<>();
        long totalBytes = 0;
        try {
            for (Path p : options.data()) {
                sources.add(open(p));
                try {
                    totalBytes += java.nio.file.Files.size(p);
                } catch (java.io.IOException e) {
                    throw new BacktestInputException(p + ": cannot be read (" + e.getMessage() + ")");
                }
            }
            for (RecordedFeed.Opener opener : options.recorded()) {
                RecordedFeed feed = opener.open();
                Source source = new Source(feed);
                sources.add(source);
                recordedSources.add(source);
                totalBytes += feed.totalBytes();
            }
        } catch (RuntimeException e) {
            sources.forEach(Source::close);
            throw e;
        }
        long lines = 0;
        long messages = 0;
        long skipped = 0;
        long first = Long.MAX_VALUE;
        long last = Long.MIN_VALUE;
        long nextTimer = Long.MAX_VALUE;
        long linesSinceProgress = 0;
        long fromNanos = options.fromNanos() == null ? Long.MIN_VALUE : options.fromNanos();
        long toNanos = options.toNanos() == null ? Long.MAX_VALUE : options.toNanos();
        Source[] all = sources.toArray(new Source[0]);
        try {
            for (Source s : all) {
                skipped += advance(s);
            }
            for (Source s : sources) {
                if (s.more) {
                    first = Math.min(first, s.timestamp());
                }
            }
            if (first == Long.MAX_VALUE) {
                throw new BacktestInputException("no timestamped line in " + options.data()
                        + (options.recorded().isEmpty() ? "" : " nor market data in the recordings"));
            }
            if (options.toNanos() != null && toNanos < first) {
                throw new BacktestInputException("--to " + instant(toNanos) + " is before the data's start " + instant(first));
            }
            if (fromNanos <= first) {
                sink.live(true);
            }
            while (true) {
                Source next = null;
                for (Source s : all) {
                    if (s.more && (next == null || s.timestamp() < next.timestamp())) {
                        next = s;
                    }
                }
                if (next == null) {
                    break;
                }
                long t = next.timestamp();
                if (t > toNanos) {
                    break;
                }
                if (!sink.live() && t >= fromNanos) {
                    goLive(t);
                }
                if (sink.live()) {
                    if (nextTimer == Long.MAX_VALUE) {
                        nextTimer = t + options.timerPeriodNanos();
                    }
                    nextTimer = runDue(t, nextTimer);
                }
                clock.advanceTo(t);
                lines++;
                last = t;
                messages++;
                skipped += line(next);
                if (sink.live()) {
                    chain.drain();
                    recorder.observe(clock.epochNanos(), exchange);
                }
                if (next.tardis == null) {
                    skipped += advance(next);
                }
                if (++linesSinceProgress == 4096) {
                    linesSinceProgress = 0;
                    long read = 0;
                    for (Source s : all) {
                        read += s.bytesRead();
                    }
                    progress.accept(totalBytes == 0 ? 0 : Math.min(1000, read * 1000 / totalBytes));
                }
            }
            if (options.fromNanos() != null && !sink.live()) {
                throw new BacktestInputException("--from " + instant(fromNanos) + " is after the data's end " + instant(last));
            }
            // the answers still in flight when the data ends arrive, up to one second after it
            if (sink.live()) {
                long end = Math.min(toNanos, last) + 1_000_000_000L;
                runDue(end, Math.min(nextTimer, end + 1));
                recorder.observe(clock.epochNanos(), exchange);
            }
            chain.stop();
            progress.accept(1000);
        } finally {
            for (Source s : sources) {
                s.close();
            }
        }
        for (Instrument i : registry.all()) {
            if (i.venue() == Venue.BINANCE && !decoder.sync(i.id()).synced() && !tardisBook(sources, i.id()) && !recordedBook(i.id())) {
                notes.add(i.venue().configName() + " " + i.venueSymbol() + ": the book never synchronised"
                        + (decoder.sync(i.id()).needsSnapshot() ? " (its depth diffs waited for a snapshot the data does not have)"
                        : " (no depth data for it)"));
            }
        }
        for (Source s : recordedSources) {
            notes.add("recording " + s.feed.describe());
        }
        if (decoder.malformed() > 0) {
            notes.add(decoder.malformed() + " venue messages could not be read and were skipped (last: " + decoder.lastError() + ")");
        }
        return new Outcome(lines, messages, skipped, chain.lastSequence() + 1, commands, exchange.fills(), exchange.rejects(),
                chain.faults(), first, last, List.copyOf(notes));
    }

    /** whether a normalised recording fed a whole book of the instrument */
    private boolean recordedBook(int id) {
        for (Source s : recordedSources) {
            if (s.feed.synced(id)) {
                return true;
            }
        }
        return false;
    }

    private static boolean tardisBook(List<Source> sources, int id) {
        for (Source s : sources) {
            if (s.tardis != null && s.tardis.snapshotOf(id)) {
                return true;
            }
        }
        return false;
    }

    /** reads the next line of a source; returns 1 when lines were skipped (no timestamp) */
    private long advance(Source s) {
        if (s.feed != null) {
            s.more = s.feed.next();
            return 0;
        }
        if (s.tardis != null) {
            long skipped = s.tardis.advance(this::report);
            s.more = s.tardis.more();
            return skipped;
        }
        long skipped = 0;
        while (true) {
            if (s.primed) {
                s.primed = false;
                s.more = true;
            } else {
                s.more = s.reader.next();
            }
            if (!s.more || s.reader.timestampValid()) {
                return skipped;
            }
            skipped++;
            report(s, "no local timestamp at the start of the line");
        }
    }

    /** decodes one recorded line; returns 1 when it was skipped */
    private long line(Source s) {
        if (s.feed != null) {
            long venueTime = s.feed.venueTimestamp();
            if (readFeedLatency && venueTime > 0) {
                exchange.feedLatency(Math.max(0, s.feed.timestamp() - venueTime));
            }
            s.feed.apply(sink);
            return 0;
        }
        if (s.tardis != null) {
            // normalised by Tardis: the rows go to the sink the decoders feed (and the reader moves past the message)
            long skipped = s.tardis.apply(sink, this::report);
            s.more = s.tardis.more();
            return skipped;
        }
        AsciiText message = s.reader.message();
        if (readFeedLatency) {
            long feedTime = feedLatency(message, s.reader.timestamp());
            if (feedTime >= 0) {
                exchange.feedLatency(feedTime);
            }
        }
        if (message.startsWith(SNAPSHOT_PREFIX)) {
            int id = s.depthInstrument >= 0 ? s.depthInstrument : instrumentFromFileName(s.reader.path());
            if (id < 0) {
                report(s, "a depth snapshot before any depth message of its symbol (the file name names no configured instrument either)");
                return 1;
            }
            try {
                var result = decoder.onSnapshot(id, message);
                if (result != io.mme.connectors.binance.BinanceDepthSync.SnapshotResult.APPLIED) {
                    note(s, registry.get(id).venueSymbol() + ": the recorded snapshot was not usable (" + result
                            + "); the book waits for the next one");
                }
            } catch (RuntimeException e) {
                report(s, "unreadable snapshot: " + e.getMessage());
                return 1;
            }
            return 0;
        }
        long malformedBefore = decoder.malformed();
        decoder.onMessage(message);
        int depth = decoder.lastDepthInstrument();
        if (depth >= 0) {
            s.depthInstrument = depth;
            if (!warnedWaiting[depth] && decoder.sync(depth).needsSnapshot()) {
                warnedWaiting[depth] = true;
                note(s, registry.get(depth).venueSymbol() + ": depth diffs without a snapshot yet; the book waits for one"
                        + " (nothing is quoted on it until then)");
            }
        }
        if (decoder.malformed() > malformedBefore) {
            String error = decoder.lastError();
            if (error != null && error.contains("unknown symbol") && !symbolOf(message).equals("?")) {
                throw new BacktestInputException(s.reader.path() + " line " + s.reader.lineNumber() + ": symbol "
                        + symbolOf(message) + " of venue binance is not an instrument of the configuration (it names "
                        + configured() + ")");
            }
            report(s, error);
            return 1;
        }
        return 0;
    }

    /** local receive time minus the venue's event time E (milliseconds) of the message, or -1 */
    private static long feedLatency(AsciiText message, long local) {
        // Binance puts the event time near the start of data: look no further than that
        int e = message.indexOf("\"E\":", 0, 120);
        if (e < 0) {
            return -1;
        }
        long ms = message.longAt(e + 4);
        return ms < 0 ? -1 : Math.max(0, local - ms * 1_000_000L);
    }

    private static String symbolOf(AsciiText message) {
        int s = message.indexOf("\"s\":\"", 0);
        if (s < 0) {
            return "?";
        }
        int end = message.indexOf("\"", s + 5);
        return end < 0 ? "?" : message.toString().substring(s + 5, end);
    }

    private String configured() {
        List<String> names = new ArrayList<>();
        for (Instrument i : registry.all()) {
            names.add(i.venue().configName() + " " + i.venueSymbol());
        }
        return String.join(", ", names);
    }

    private int instrumentFromFileName(Path path) {
        String name = path.getFileName().toString().toUpperCase(Locale.ROOT);
        for (Instrument i : registry.ofVenue(Venue.BINANCE)) {
            if (name.startsWith(i.venueSymbol().toUpperCase(Locale.ROOT) + "_")) {
                return i.id();
            }
        }
        return -1;
    }

    /**
     * Runs what is due up to and including {@code t}: the exchange's commands and answers, and the
     * timer ticks, in time order (a timer before an answer due at the same instant).
     *
     * @return the next timer's time
     */
    private long runDue(long t, long nextTimer) {
        while (true) {
            long due = schedule.nextDue();
            if (nextTimer <= t && nextTimer <= due) {
                clock.advanceTo(nextTimer);
                chain.publish(InboundEventType.TIMER, (event, arg) -> { }, null);
                recorder.observe(clock.epochNanos(), exchange);
                nextTimer += options.timerPeriodNanos();
                continue;
            }
            if (due > t) {
                return nextTimer;
            }
            Schedule.Item item = schedule.poll();
            clock.advanceTo(item.due);
            if (item.kind == Schedule.Kind.ORDER) {
                exchange.arrive(item);
            } else {
                chain.publish(InboundEventType.EXECUTION_REPORT, WRITE_REPORT, item);
            }
            schedule.release(item);
            recorder.observe(clock.epochNanos(), exchange);
        }
    }

    private static final InboundPublisher.Writer<Schedule.Item> WRITE_REPORT =
            (event, item) -> event.executionReport().copyFrom(item.report);

    /**
     * The warm-up before {@code --from} is over: the engine starts with each synchronised book as a
     * snapshot rebuilt from the data read so far, then hears the feed as it comes.
     */
    private void goLive(long t) {
        clock.advanceTo(t);
        sink.live(true);
        for (Instrument i : registry.all()) {
            int id = i.id();
            if (!simulated[id] || !decoder.sync(id).synced() && !recordedBook(id)) {
                continue;
            }
            L2Book book = exchange.market(id);
            long version = decoder.sync(id).synced() ? decoder.sync(id).bookId() : 0;
            engineSink.clear(id, version);
            for (Side side : Side.values()) {
                for (int level = 0; level < book.levels(side); level++) {
                    engineSink.level(id, side, book.price(side, level), book.quantity(side, level), version);
                }
            }
            engineSink.endOfMessage(id, version);
        }
        chain.drain();
    }

    private void report(Source s, String why) {
        report(s.reader, why);
    }

    private void report(CaptureReader reader, String why) {
        String where = reader.path() + " line " + reader.lineNumber();
        long n = ++reported;
        if (n <= MAX_REPORTED_LINES) {
            log.println("backtest: " + where + ": skipped: " + why);
        } else if (n == MAX_REPORTED_LINES + 1) {
            log.println("backtest: more skipped lines are counted, not listed");
        }
        log.flush();
    }

    private long reported;

    private void note(Source s, String what) {
        String line = s.reader.path().getFileName() + " line " + s.reader.lineNumber() + ": " + what;
        notes.add(line);
        log.println("backtest: " + line);
        log.flush();
    }

    private static String instant(long nanos) {
        return Instant.ofEpochSecond(Math.floorDiv(nanos, 1_000_000_000L), Math.floorMod(nanos, 1_000_000_000L)).toString();
    }

    /** the collected figures, for the report (after {@link #run}) */
    public BacktestRecorder recorder() {
        return recorder;
    }

    /** the engines' health after the run */
    public io.mme.core.runtime.PipelineHealth health() {
        return chain.health();
    }
}
