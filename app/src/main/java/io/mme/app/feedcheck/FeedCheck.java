package io.mme.app.feedcheck;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mme.connectors.binance.BinanceFeed;
import io.mme.connectors.binance.BinanceRecordingReplay;
import io.mme.connectors.coinbase.CoinbaseFeed;
import io.mme.connectors.kraken.KrakenFeed;
import io.mme.core.instrument.Instrument;
import io.mme.core.instrument.InstrumentRegistry;
import io.mme.core.instrument.InstrumentSpec;
import io.mme.core.instrument.Venue;
import io.mme.core.ring.Side;
import io.mme.marketdata.FeedSink;
import io.mme.marketdata.L2Book;
import io.mme.marketdata.replay.Recording;
import io.mme.marketdata.replay.ReplayWebSocketServer;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Replays a venue recording through the real connector over a loopback WebSocket (and, for
 * Binance, a loopback HTTP server for the REST snapshots) and reports what the feed's integrity
 * checks found, as one JSON line. Instruments are discovered from the recording, each on a grid of
 * 10^-8 to 10^-10 depending on the decimals printed in its messages, so any recording of the formats in
 * ../shared/data works, whatever its symbols.
 *
 * <p>Thread: the caller's; the feed runs on its session's threads and the sink is thread-safe.
 */
public final class FeedCheck {
    private static final Pattern DECIMAL = Pattern.compile("([0-9]+)\\.([0-9]+)");
    private static final Pattern BINANCE_SYMBOL = Pattern.compile("\"s\":\"([A-Z0-9]+)\"|symbol=([A-Z0-9]+)");
    private static final Pattern KRAKEN_V1_PAIR = Pattern.compile("\"(?:book-[0-9]+|trade|spread|ticker)\",\"([^\"]+)\"\\]");
    private static final Pattern COINBASE_PRODUCT = Pattern.compile("\"product_ids?\":\\[?\"([A-Z0-9]+-[A-Z0-9]+)\"");
    private static final Pattern KRAKEN_V2_SYMBOL = Pattern.compile("\"symbol\":\"([^\"]+)\"");

    /** the JSON report */
    public record Report(ObjectNode json) {
        @Override
        public String toString() {
            return json.toString();
        }
    }

    /** builds books from the feed's output and counts what matters; called by the session's threads */
    static final class CheckingSink implements FeedSink {
        final L2Book[] books;
        final AtomicLong crossed = new AtomicLong();
        final AtomicLong invalidations = new AtomicLong();
        final AtomicLong snapshots = new AtomicLong();
        final AtomicLong messageEnds = new AtomicLong();

        CheckingSink(int instruments) {
            books = new L2Book[instruments];
            for (int i = 0; i < instruments; i++) {
                books[i] = new L2Book(100_000);
            }
        }

        @Override
        public synchronized void clear(int id, long seq) {
            books[id].clear();
            snapshots.incrementAndGet();
        }

        @Override
        public synchronized void level(int id, Side side, long price, long qty, long seq) {
            books[id].set(side, price, qty);
        }

        @Override
        public synchronized void endOfMessage(int id, long seq) {
            messageEnds.incrementAndGet();
            if (books[id].crossed()) {
                crossed.incrementAndGet();
            }
        }

        @Override
        public void invalid(int id, String reason) {
            invalidations.incrementAndGet();
        }

        @Override
        public void bestBidOffer(int id, long bid, long bidQty, long ask, long askQty, long seq) {
        }

        @Override
        public void trade(int id, Side aggressor, long price, long qty, long tradeId, long ts) {
        }

        synchronized long best(int id, Side side) {
            return books[id].bestPrice(side);
        }
    }

    private FeedCheck() {
    }

    /** runs the check; {@code timeout} bounds the whole replay */
    public static Report run(Venue venue, Recording recording, Duration timeout) throws IOException, InterruptedException {
        return switch (venue) {
            case BINANCE -> binance(recording, timeout);
            case KRAKEN -> kraken(recording, timeout);
            case COINBASE -> coinbase(recording, timeout);
        };
    }

    private static Report binance(Recording recording, Duration timeout) throws IOException, InterruptedException {
        InstrumentRegistry registry = registry(Venue.BINANCE, recording, BINANCE_SYMBOL);
        CheckingSink sink = new CheckingSink(registry.size());
        try (BinanceRecordingReplay replay = new BinanceRecordingReplay(recording, registry, ReplayWebSocketServer.Faults.NONE)) {
            BinanceFeed feed = replay.startFeed(sink, Duration.ofMillis(100), Duration.ofSeconds(1));
            awaitReplay(replay.server(), () -> feed.session().messages(), timeout);
            feed.close();
            long passed = 0;
            long gaps = 0;
            for (int id = 0; id < registry.size(); id++) {
                passed += feed.decoder().sync(id).applied();
                gaps += feed.decoder().sync(id).gaps();
            }
            ObjectNode json = base("binance", "combined-stream", feed.decoder().messages(), registry);
            json.put("sequence_checks_passed", passed);
            json.put("sequence_checks_failed", gaps);
            json.put("checksums_passed", 0);
            json.put("checksums_failed", 0);
            json.put("snapshots_applied", feed.snapshotsApplied());
            json.put("resyncs", gaps + Math.max(0, feed.snapshotsApplied() - registry.size()));
            json.put("crossed", sink.crossed.get());
            json.put("malformed", feed.decoder().malformed());
            json.put("last_error", feed.decoder().lastError());
            best(json, registry, sink);
            return new Report(json);
        }
    }

    private static Report kraken(Recording recording, Duration timeout) throws IOException, InterruptedException {
        boolean v2 = recording.received().stream().anyMatch(m -> m.contains("\"channel\":\"book\""));
        InstrumentRegistry registry = registry(Venue.KRAKEN, recording, v2 ? KRAKEN_V2_SYMBOL : KRAKEN_V1_PAIR);
        CheckingSink sink = new CheckingSink(registry.size());
        ReplayWebSocketServer server = new ReplayWebSocketServer(recording, ReplayWebSocketServer.Gate.NONE, ReplayWebSocketServer.Faults.NONE, true);
        String url = server.startAndGetUrl();
        int depth = 10;
        Matcher depthMatch = Pattern.compile("\"depth\":([0-9]+)").matcher(String.join("\n", recording.entries().stream()
                .filter(e -> e.kind() == Recording.Kind.SENT).map(Recording.Entry::text).toList()));
        if (depthMatch.find()) {
            depth = Integer.parseInt(depthMatch.group(1));
        }
        KrakenFeed feed = new KrakenFeed(new KrakenFeed.Settings(URI.create(url), v2 ? KrakenFeed.Protocol.V2 : KrakenFeed.Protocol.V1,
                depth, Duration.ofMillis(100), Duration.ofSeconds(1)), registry, sink);
        try {
            feed.start();
            awaitReplay(server, () -> feed.session().messages(), timeout);
            feed.close();
            ObjectNode json = base("kraken", v2 ? "ws-v2" : "ws-v1", feed.messages(), registry);
            json.put("sequence_checks_passed", 0);
            json.put("sequence_checks_failed", 0);
            json.put("checksums_passed", feed.checksumsPassed());
            json.put("checksums_failed", feed.checksumsFailed());
            json.put("resyncs", feed.checksumResyncs());
            json.put("crossed", sink.crossed.get());
            json.put("malformed", feed.malformed());
            json.put("last_error", feed.lastError());
            best(json, registry, sink);
            return new Report(json);
        } finally {
            feed.close();
            server.stop(1000);
        }
    }

    private static Report coinbase(Recording recording, Duration timeout) throws IOException, InterruptedException {
        boolean advancedTrade = recording.received().stream().anyMatch(m -> m.contains("\"channel\":\"l2_data\""));
        InstrumentRegistry registry = registry(Venue.COINBASE, recording, COINBASE_PRODUCT);
        CheckingSink sink = new CheckingSink(registry.size());
        ReplayWebSocketServer server = new ReplayWebSocketServer(recording, ReplayWebSocketServer.Gate.NONE, ReplayWebSocketServer.Faults.NONE, true);
        String url = server.startAndGetUrl();
        CoinbaseFeed feed = new CoinbaseFeed(new CoinbaseFeed.Settings(URI.create(url),
                advancedTrade ? CoinbaseFeed.Protocol.ADVANCED_TRADE : CoinbaseFeed.Protocol.EXCHANGE,
                Duration.ofMillis(100), Duration.ofSeconds(1)), registry, sink);
        try {
            feed.start();
            awaitReplay(server, () -> feed.session().messages(), timeout);
            feed.close();
            ObjectNode json = base("coinbase", advancedTrade ? "advanced-trade" : "exchange", feed.messages(), registry);
            json.put("sequence_checks_passed", feed.sequenceChecksPassed());
            json.put("sequence_checks_failed", feed.sequenceChecksFailed());
            json.put("checksums_passed", 0);
            json.put("checksums_failed", 0);
            json.put("resyncs", feed.gapResyncs());
            json.put("crossed", sink.crossed.get());
            json.put("malformed", feed.malformed());
            json.put("last_error", feed.lastError());
            best(json, registry, sink);
            return new Report(json);
        } finally {
            feed.close();
            server.stop(1000);
        }
    }

    /** waits until the server sent everything and the client received all of it (or the timeout) */
    private static void awaitReplay(ReplayWebSocketServer server, java.util.function.LongSupplier received, Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        if (!server.awaitFinished(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new IllegalStateException("the replay did not finish within " + timeout);
        }
        while (received.getAsLong() < server.sent() && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        Thread.sleep(50); // the last snapshot responses and decoder work settle
    }

    private static InstrumentRegistry registry(Venue venue, Recording recording, Pattern symbols) {
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

    private static ObjectNode base(String venue, String protocol, long messages, InstrumentRegistry registry) {
        ObjectNode json = new ObjectMapper().createObjectNode();
        json.put("venue", venue);
        json.put("protocol", protocol);
        json.put("messages", messages);
        json.put("instruments", registry.size());
        return json;
    }

    private static void best(ObjectNode json, InstrumentRegistry registry, CheckingSink sink) {
        ObjectNode best = json.putObject("best");
        for (Instrument instrument : registry.all()) {
            ObjectNode touch = best.putObject(instrument.venueSymbol());
            long bid = sink.best(instrument.id(), Side.BUY);
            long ask = sink.best(instrument.id(), Side.SELL);
            touch.put("bid", bid == L2Book.NO_PRICE ? null : strip(instrument.tick().format(bid)));
            touch.put("ask", ask == L2Book.NO_PRICE ? null : strip(instrument.tick().format(ask)));
        }
    }

    private static String strip(String decimal) {
        return decimal.contains(".") ? decimal.replaceAll("0+$", "").replaceAll("\\.$", "") : decimal;
    }
}
