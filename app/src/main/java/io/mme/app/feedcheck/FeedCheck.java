package io.mme.app.feedcheck;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mme.connectors.binance.BinanceFeed;
import io.mme.connectors.binance.BinanceRecordingReplay;
import io.mme.connectors.coinbase.CoinbaseFeed;
import io.mme.connectors.hyperliquid.HyperliquidFeed;
import io.mme.connectors.kraken.KrakenFeed;
import io.mme.core.instrument.Instrument;
import io.mme.core.instrument.InstrumentRegistry;
import io.mme.core.instrument.InstrumentSpec;
import io.mme.core.instrument.Venue;
import io.mme.core.ring.Side;
import io.mme.marketdata.FeedSink;
import io.mme.marketdata.L2Book;
import io.mme.marketdata.ResyncRequests;
import io.mme.marketdata.session.WebSocketFeedSession;
import io.mme.marketdata.replay.Recording;
import io.mme.marketdata.replay.ReplayWebSocketServer;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Replays a venue recording through the real connector over a loopback WebSocket (and, for
 * Binance, a loopback HTTP server for the REST snapshots) and reports what the feed's integrity
 * checks found, as one JSON line: counters, and per instrument that received data its final
 * state, how often it went INVALID and the rebuilds that followed. The replay ends when the
 * recording has been delivered to the connection live at the end ({@code complete}: false when the
 * timeout came first). Instruments are discovered from the recording, each on a grid of
 * 10^-8 to 10^-10 depending on the decimals printed in its messages, so any recording of the formats in
 * ../shared/data works, whatever its symbols.
 *
 * <p>Thread: the caller's; the feed runs on its session's threads and the sink is thread-safe
 * (its lock); the caller also runs the stale rule ({@link CheckingSink#checkStale}).
 */
public final class FeedCheck {
    private static final Pattern DECIMAL = Pattern.compile("([0-9]+)\\.([0-9]+)");
    static final Pattern BINANCE_SYMBOL = Pattern.compile("\"s\":\"([A-Z0-9]+)\"|symbol=([A-Z0-9]+)");
    static final Pattern KRAKEN_V1_PAIR = Pattern.compile("\"(?:book-[0-9]+|trade|spread|ticker)\",\"([^\"]+)\"\\]");
    static final Pattern COINBASE_PRODUCT = Pattern.compile("\"product_ids?\":\\[?\"([A-Z0-9]+-[A-Z0-9]+)\"");
    static final Pattern KRAKEN_V2_SYMBOL = Pattern.compile("\"symbol\":\"([^\"]+)\"");
    static final Pattern HYPERLIQUID_COIN = Pattern.compile("\"coin\":\"([^\"]+)\"");

    /**
     * The JSON report, and what a fault run is compared by.
     *
     * @param json    the report line
     * @param books   per instrument that received data, its whole final book as text (for comparing runs)
     * @param reasons why books went invalid, in order, without the connection's start
     */
    public record Report(ObjectNode json, Map<String, String> books, List<String> reasons) {
        /** whether the replay was delivered to the live connection before the timeout */
        public boolean complete() {
            return json.path("complete").asBoolean(false);
        }

        @Override
        public String toString() {
            return json.toString();
        }
    }

    /** a book's state as the feed check sees it, by the market data engine's rules */
    enum BookStatus {
        /** no snapshot ended yet */
        SYNCING,
        VALID,
        INVALID
    }

    /**
     * Builds books from the feed's output and follows each book's state by the market data
     * engine's rules (VALID once a snapshot ended uncrossed; INVALID on a feed-reported problem or
     * a crossed message end), counting how often a VALID book went INVALID and how often an INVALID
     * one was rebuilt to VALID (a resync that actually happened). {@link #freeze} ends the record
     * before the feed is closed, so the check's own close does not count. Called by the session's
     * threads; every method holds this sink's lock.
     */
    static final class CheckingSink implements FeedSink {
        final L2Book[] books;
        private final BookStatus[] status;
        private final boolean[] received;
        private final long[] wentInvalid;
        private final long[] rebuilt;
        private final boolean[] wasValid;
        private final int[] asks;
        private final long[] lastMessageNanos;
        private final long[] lastAskNanos;
        private final String[] lastReason;
        private long crossed;
        private boolean frozen;
        private final List<String> reasons = new ArrayList<>();

        CheckingSink(int instruments) {
            books = new L2Book[instruments];
            status = new BookStatus[instruments];
            received = new boolean[instruments];
            wentInvalid = new long[instruments];
            rebuilt = new long[instruments];
            wasValid = new boolean[instruments];
            asks = new int[instruments];
            lastMessageNanos = new long[instruments];
            lastAskNanos = new long[instruments];
            lastReason = new String[instruments];
            for (int i = 0; i < instruments; i++) {
                books[i] = new L2Book(100_000);
                status[i] = BookStatus.SYNCING;
            }
        }

        private void data(int id) {
            received[id] = true;
            lastMessageNanos[id] = System.nanoTime();
        }

        @Override
        public synchronized void clear(int id, long seq) {
            if (frozen) {
                return;
            }
            data(id);
            books[id].clear();
            if (status[id] == BookStatus.VALID) {
                status[id] = BookStatus.SYNCING;
            }
        }

        @Override
        public synchronized void level(int id, Side side, long price, long qty, long seq) {
            if (frozen) {
                return;
            }
            data(id);
            books[id].set(side, price, qty);
        }

        @Override
        public synchronized void endOfMessage(int id, long seq) {
            if (frozen) {
                return;
            }
            data(id);
            if (books[id].crossed()) {
                crossed++;
                toInvalid(id, "crossed book");
            } else if (status[id] != BookStatus.VALID) {
                // INVALID to VALID after the book had been valid once: a rebuild (the first
                // snapshot after the connection's start is not one)
                if (status[id] == BookStatus.INVALID && wasValid[id]) {
                    rebuilt[id]++;
                }
                status[id] = BookStatus.VALID;
                wasValid[id] = true;
            }
        }

        @Override
        public synchronized void invalid(int id, String reason) {
            if (frozen) {
                return;
            }
            toInvalid(id, reason);
        }

        private void toInvalid(int id, String reason) {
            if (!reason.startsWith("new connection") && reasons.size() < 100) {
                reasons.add(reason);
            }
            if (status[id] == BookStatus.VALID) {
                wentInvalid[id]++;
            }
            if (status[id] != BookStatus.INVALID) {
                asks[id] = 0;
                lastAskNanos[id] = System.nanoTime();
            }
            status[id] = BookStatus.INVALID;
            lastReason[id] = reason;
        }

        @Override
        public synchronized void bestBidOffer(int id, long bid, long bidQty, long ask, long askQty, long seq) {
            if (!frozen) {
                data(id);
            }
        }

        @Override
        public synchronized void trade(int id, Side aggressor, long price, long qty, long tradeId, long ts) {
            if (!frozen) {
                data(id);
            }
        }

        /**
         * The market data engine's stale and rebuild rules on the wall clock: a VALID book silent
         * for {@code staleAfterNanos} goes INVALID and is asked for, and one that has been VALID
         * and is still INVALID is asked for again after 1, 2, 4 ... 32 stale limits.
         */
        synchronized void checkStale(long staleAfterNanos, ResyncRequests feed) {
            if (frozen) {
                return;
            }
            long now = System.nanoTime();
            for (int id = 0; id < books.length; id++) {
                if (!received[id]) {
                    continue;
                }
                if (status[id] == BookStatus.VALID && now - lastMessageNanos[id] > staleAfterNanos) {
                    toInvalid(id, "stale feed");
                    feed.request(id, "stale feed");
                } else if (status[id] == BookStatus.INVALID && wasValid[id]
                        && now - lastAskNanos[id] > staleAfterNanos * Math.min(32, 1L << Math.min(asks[id], 30))) {
                    lastAskNanos[id] = now;
                    asks[id]++;
                    feed.request(id, "still invalid: " + lastReason[id]);
                }
            }
        }

        /** ends the record: later calls (the check closing the feed) change nothing */
        synchronized void freeze() {
            frozen = true;
        }

        synchronized List<String> reasons() {
            return List.copyOf(reasons);
        }

        /** every level of each book that received data, as text */
        synchronized Map<String, String> bookTexts(InstrumentRegistry registry) {
            Map<String, String> texts = new TreeMap<>();
            for (Instrument instrument : registry.all()) {
                int id = instrument.id();
                if (!received[id]) {
                    continue;
                }
                StringBuilder b = new StringBuilder();
                for (Side side : Side.values()) {
                    b.append(side).append(':');
                    for (int i = 0; i < books[id].levels(side); i++) {
                        b.append(' ').append(books[id].price(side, i)).append('x').append(books[id].quantity(side, i));
                    }
                    b.append('\n');
                }
                texts.put(instrument.venueSymbol(), b.toString());
            }
            return texts;
        }

        synchronized boolean anyInvalid() {
            for (int id = 0; id < books.length; id++) {
                if (received[id] && status[id] != BookStatus.VALID) {
                    return true;
                }
            }
            return false;
        }

        synchronized long crossed() {
            return crossed;
        }

        synchronized boolean received(int id) {
            return received[id];
        }

        synchronized BookStatus status(int id) {
            return status[id];
        }

        synchronized long wentInvalid(int id) {
            return wentInvalid[id];
        }

        synchronized long rebuilt(int id) {
            return rebuilt[id];
        }

        synchronized long best(int id, Side side) {
            return books[id].bestPrice(side);
        }
    }

    private FeedCheck() {
    }

    /**
     * @param timeout    bounds the whole replay
     * @param staleAfter the market data engine's stale limit, applied while the replay runs
     * @param faults     faults for the first connection's stream ({@link ReplayWebSocketServer.Faults#NONE}: none)
     */
    public record Options(Duration timeout, Duration staleAfter, ReplayWebSocketServer.Faults faults) {
        public static Options of(Duration timeout) {
            return new Options(timeout, DEFAULT_STALE_AFTER, ReplayWebSocketServer.Faults.NONE);
        }
    }

    /** the stale limit the check applies unless told otherwise */
    public static final Duration DEFAULT_STALE_AFTER = Duration.ofSeconds(3);
    /** how long the end must hold (everything delivered, no reconnect starting) with every book VALID */
    private static final long SETTLE_NANOS = TimeUnit.MILLISECONDS.toNanos(200);

    /** runs the check; {@code timeout} bounds the whole replay */
    public static Report run(Venue venue, Recording recording, Duration timeout) throws IOException, InterruptedException {
        return run(venue, recording, Options.of(timeout));
    }

    public static Report run(Venue venue, Recording recording, Options options) throws IOException, InterruptedException {
        return switch (venue) {
            case BINANCE -> binance(recording, options);
            case KRAKEN -> kraken(recording, options);
            case COINBASE -> coinbase(recording, options);
            case HYPERLIQUID -> hyperliquid(recording, options);
        };
    }

    private static Report binance(Recording recording, Options options) throws IOException, InterruptedException {
        InstrumentRegistry registry = registry(Venue.BINANCE, recording, BINANCE_SYMBOL);
        CheckingSink sink = new CheckingSink(registry.size());
        try (BinanceRecordingReplay replay = new BinanceRecordingReplay(recording, registry, options.faults())) {
            BinanceFeed feed = replay.startFeed(sink, Duration.ofMillis(100), Duration.ofSeconds(1));
            boolean complete = awaitReplay(replay.server(), feed.session(), sink, feed, options);
            sink.freeze();
            feed.close();
            long passed = 0;
            long gaps = 0;
            for (int id = 0; id < registry.size(); id++) {
                passed += feed.decoder().sync(id).applied();
                gaps += feed.decoder().sync(id).gaps();
            }
            ObjectNode json = base("binance", "combined-stream", feed.decoder().messages(), complete, replay.server(), registry, sink);
            json.put("sequence_checks_passed", passed);
            json.put("sequence_checks_failed", gaps);
            json.put("checksums_passed", 0);
            json.put("checksums_failed", 0);
            json.put("snapshots_applied", feed.snapshotsApplied());
            json.put("resyncs", resyncs(registry, sink));
            json.put("crossed", sink.crossed());
            json.put("malformed", feed.decoder().malformed());
            json.put("last_error", feed.decoder().lastError());
            books(json, registry, sink);
            return new Report(json, sink.bookTexts(registry), sink.reasons());
        }
    }

    private static Report kraken(Recording recording, Options options) throws IOException, InterruptedException {
        boolean v2 = recording.received().stream().anyMatch(m -> m.contains("\"channel\":\"book\""));
        InstrumentRegistry registry = registry(Venue.KRAKEN, recording, v2 ? KRAKEN_V2_SYMBOL : KRAKEN_V1_PAIR);
        CheckingSink sink = new CheckingSink(registry.size());
        ReplayWebSocketServer server = new ReplayWebSocketServer(recording, ReplayWebSocketServer.Gate.NONE, options.faults(), true);
        String url = server.startAndGetUrl();
        int depth = 10;
        Matcher depthMatch = Pattern.compile("\"depth\":([0-9]+)").matcher(String.join("\n", recording.entries().stream()
                .filter(e -> e.kind() == Recording.Kind.SENT).map(Recording.Entry::text).toList()));
        if (depthMatch.find()) {
            depth = Integer.parseInt(depthMatch.group(1));
        }
        // likewise a pair's unsubscribe, which the replay server does not answer
        KrakenFeed feed = new KrakenFeed(new KrakenFeed.Settings(URI.create(url), v2 ? KrakenFeed.Protocol.V2 : KrakenFeed.Protocol.V1,
                depth, Duration.ofMillis(100), Duration.ofSeconds(1), options.staleAfter()), registry, sink);
        try {
            feed.start();
            boolean complete = awaitReplay(server, feed.session(), sink, feed, options);
            sink.freeze();
            feed.close();
            ObjectNode json = base("kraken", v2 ? "ws-v2" : "ws-v1", feed.messages(), complete, server, registry, sink);
            json.put("sequence_checks_passed", 0);
            json.put("sequence_checks_failed", 0);
            json.put("checksums_passed", feed.checksumsPassed());
            json.put("checksums_failed", feed.checksumsFailed());
            json.put("resyncs", resyncs(registry, sink));
            json.put("crossed", sink.crossed());
            json.put("malformed", feed.malformed());
            json.put("last_error", feed.lastError());
            books(json, registry, sink);
            return new Report(json, sink.bookTexts(registry), sink.reasons());
        } finally {
            feed.close();
            server.stop(1000);
        }
    }

    private static Report coinbase(Recording recording, Options options) throws IOException, InterruptedException {
        boolean advancedTrade = recording.received().stream().anyMatch(m -> m.contains("\"channel\":\"l2_data\""));
        InstrumentRegistry registry = registry(Venue.COINBASE, recording, COINBASE_PRODUCT);
        CheckingSink sink = new CheckingSink(registry.size());
        ReplayWebSocketServer server = new ReplayWebSocketServer(recording, ReplayWebSocketServer.Gate.NONE, options.faults(), true);
        String url = server.startAndGetUrl();
        // the replay server cannot answer a product's resubscription with a snapshot of the moment: the feed
        // gives it up after the stale limit and reconnects, within the end's hold (twice the stale limit)
        CoinbaseFeed feed = new CoinbaseFeed(new CoinbaseFeed.Settings(URI.create(url),
                advancedTrade ? CoinbaseFeed.Protocol.ADVANCED_TRADE : CoinbaseFeed.Protocol.EXCHANGE,
                Duration.ofMillis(100), Duration.ofSeconds(1), options.staleAfter()), registry, sink);
        try {
            feed.start();
            boolean complete = awaitReplay(server, feed.session(), sink, feed, options);
            sink.freeze();
            feed.close();
            ObjectNode json = base("coinbase", advancedTrade ? "advanced-trade" : "exchange", feed.messages(), complete, server, registry, sink);
            json.put("sequence_checks_passed", feed.sequenceChecksPassed());
            json.put("sequence_checks_failed", feed.sequenceChecksFailed());
            json.put("checksums_passed", 0);
            json.put("checksums_failed", 0);
            json.put("resyncs", resyncs(registry, sink));
            json.put("crossed", sink.crossed());
            json.put("malformed", feed.malformed());
            json.put("last_error", feed.lastError());
            books(json, registry, sink);
            return new Report(json, sink.bookTexts(registry), sink.reasons());
        } finally {
            feed.close();
            server.stop(1000);
        }
    }

    private static Report hyperliquid(Recording recording, Options options) throws IOException, InterruptedException {
        InstrumentRegistry registry = registry(Venue.HYPERLIQUID, recording, HYPERLIQUID_COIN);
        CheckingSink sink = new CheckingSink(registry.size());
        ReplayWebSocketServer server = new ReplayWebSocketServer(recording, ReplayWebSocketServer.Gate.NONE, options.faults(), true);
        String url = server.startAndGetUrl();
        HyperliquidFeed feed = new HyperliquidFeed(new HyperliquidFeed.Settings(URI.create(url), Duration.ofMillis(100),
                Duration.ofSeconds(1), Duration.ofSeconds(30)), registry, sink);
        try {
            feed.start();
            boolean complete = awaitReplay(server, feed.session(), sink, feed, options);
            sink.freeze();
            feed.close();
            ObjectNode json = base("hyperliquid", "ws", feed.messages(), complete, server, registry, sink);
            json.put("sequence_checks_passed", 0);
            json.put("sequence_checks_failed", 0);
            json.put("checksums_passed", 0);
            json.put("checksums_failed", 0);
            json.put("snapshots_applied", feed.decoder().snapshots());
            json.put("refused_crossed", feed.decoder().refusedCrossed());
            json.put("refused_older", feed.decoder().refusedOlder());
            json.put("trades", feed.decoder().trades());
            json.put("resyncs", resyncs(registry, sink));
            json.put("crossed", sink.crossed());
            json.put("malformed", feed.malformed());
            json.put("last_error", feed.lastError());
            books(json, registry, sink);
            return new Report(json, sink.bookTexts(registry), sink.reasons());
        } finally {
            feed.close();
            server.stop(1000);
        }
    }

    /**
     * Waits until the replay has been delivered to the connection that is live at the end: the
     * server's sender for its latest connection has sent the whole recording, the client's current connection is that
     * one (same count of connections opened) and open, and has received everything that sender
     * sent. Messages sent into an abandoned connection are not waited for. The end must then hold
     * for a moment (a snapshot response or a reconnect may still be under way), longer while a book
     * is INVALID, so that its rebuild can finish. While the data is not all delivered the engine's
     * stale rule runs, so a silent connection is replaced as in production.
     *
     * @return false when {@code options.timeout()} ran out first
     */
    private static boolean awaitReplay(ReplayWebSocketServer server, WebSocketFeedSession session, CheckingSink sink,
                                       ResyncRequests feed, Options options) throws InterruptedException {
        long deadline = System.nanoTime() + options.timeout().toNanos();
        long staleNanos = options.staleAfter().toNanos();
        int heldOn = -1;
        long heldSince = 0;
        while (System.nanoTime() < deadline) {
            int n = server.connections();
            boolean delivered = n > 0 && server.completed(n) && session.connects() == n && session.currentConnectionOpen()
                    && session.messagesOnCurrentConnection() >= server.sentOn(n);
            long now = System.nanoTime();
            if (!delivered) {
                heldOn = -1;
                sink.checkStale(staleNanos, feed);
            } else if (heldOn != n) {
                heldOn = n;
                heldSince = now;
            } else if (now - heldSince >= (sink.anyInvalid() ? 2 * staleNanos + SETTLE_NANOS : SETTLE_NANOS)) {
                return true;
            }
            Thread.sleep(5);
        }
        return false;
    }

    /** rebuilds that actually happened, over every instrument */
    private static long resyncs(InstrumentRegistry registry, CheckingSink sink) {
        long n = 0;
        for (int id = 0; id < registry.size(); id++) {
            n += sink.rebuilt(id);
        }
        return n;
    }

    /** the instruments a recording names, each on a grid fine enough for its messages */
    static InstrumentRegistry registry(Venue venue, Recording recording, Pattern symbols) {
        TreeSet<String> found = new TreeSet<>();
        Map<String, int[]> digits = new LinkedHashMap<>(); // symbol -> {max fraction digits}
        for (Recording.Entry e : recording.entries()) {
            TreeSet<String> named = new TreeSet<>();
            // symbols come from the WebSocket traffic and REST URLs, not from REST bodies such as
            // a venue's full product list
            String body = e.kind() == Recording.Kind.REST ? null : e.text();
            for (String text : new String[]{body, e.url()}) {
                if (text == null) {
                    continue;
                }
                Matcher m = symbols.matcher(text);
                while (m.find()) {
                    named.add(m.group(1) != null ? m.group(1) : m.group(m.groupCount()));
                }
            }
            found.addAll(named);
            if (e.text() != null && !named.isEmpty() && (e.kind() != Recording.Kind.REST || e.url() != null)) {
                Matcher d = DECIMAL.matcher(e.text());
                int frac = 0;
                while (d.find()) {
                    frac = Math.max(frac, d.group(2).length());
                }
                for (String symbol : named) {
                    int[] seen = digits.computeIfAbsent(symbol, k -> new int[]{0});
                    seen[0] = Math.max(seen[0], frac);
                }
            }
        }
        if (found.isEmpty()) {
            throw new IllegalArgumentException("the recording names no " + venue.configName() + " symbol: is it a " + venue.configName() + " recording?");
        }
        InstrumentRegistry.Builder b = InstrumentRegistry.builder();
        for (String symbol : found) {
            String[] assets = symbol.split("[/-]");
            int[] seen = digits.getOrDefault(symbol, new int[]{8});
            // Messages hold other numbers too (timestamps, percentages), so the decimals seen are only a
            // hint: venues print prices and sizes with 8 to 10 decimals, and 10^-10 still holds
            // prices up to 9.2e8 exactly. A value finer or larger than the grid is reported malformed.
            int scale = Math.max(8, Math.min(seen[0], 10));
            String step = scale == 0 ? "1" : "0." + "0".repeat(scale - 1) + "1";
            b.add(new InstrumentSpec(venue, symbol, assets[0], assets.length > 1 ? assets[1] : "QUOTE", step, step, null, null, null, null));
        }
        return b.build();
    }

    private static ObjectNode base(String venue, String protocol, long messages, boolean complete, ReplayWebSocketServer server,
                                   InstrumentRegistry registry, CheckingSink sink) {
        ObjectNode json = new ObjectMapper().createObjectNode();
        json.put("venue", venue);
        json.put("protocol", protocol);
        json.put("complete", complete);
        json.put("connections", server.connections());
        json.put("messages", messages);
        int withData = 0;
        for (int id = 0; id < registry.size(); id++) {
            withData += sink.received(id) ? 1 : 0;
        }
        json.put("instruments", withData);
        return json;
    }

    /**
     * Per instrument that received data: its final state, how often it went from VALID to
     * INVALID, the rebuilds that followed, and its final best bid and ask (also under "best").
     */
    private static void books(ObjectNode json, InstrumentRegistry registry, CheckingSink sink) {
        ObjectNode books = json.putObject("books");
        ObjectNode best = json.putObject("best");
        for (Instrument instrument : registry.all()) {
            int id = instrument.id();
            if (!sink.received(id)) {
                continue;
            }
            ObjectNode book = books.putObject(instrument.venueSymbol());
            book.put("state", sink.status(id) == BookStatus.VALID ? "VALID" : "INVALID");
            book.put("went_invalid", sink.wentInvalid(id));
            book.put("resyncs", sink.rebuilt(id));
            ObjectNode touch = best.putObject(instrument.venueSymbol());
            long bid = sink.best(id, Side.BUY);
            long ask = sink.best(id, Side.SELL);
            touch.put("bid", bid == L2Book.NO_PRICE ? null : strip(instrument.tick().format(bid)));
            touch.put("ask", ask == L2Book.NO_PRICE ? null : strip(instrument.tick().format(ask)));
            book.set("bid", touch.get("bid"));
            book.set("ask", touch.get("ask"));
        }
    }

    private static String strip(String decimal) {
        return decimal.contains(".") ? decimal.replaceAll("0+$", "").replaceAll("\\.$", "") : decimal;
    }
}
