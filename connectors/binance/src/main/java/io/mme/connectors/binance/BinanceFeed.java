package io.mme.connectors.binance;

import io.mme.core.instrument.Instrument;
import io.mme.core.instrument.InstrumentRegistry;
import io.mme.core.instrument.Venue;
import io.mme.marketdata.FeedSink;
import io.mme.marketdata.ResyncRequests;
import io.mme.marketdata.session.WebSocketFeedSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * The Binance spot market data feed: one combined-stream WebSocket for every configured Binance
 * instrument (diff depth at 100 ms, book ticker, trades), REST depth snapshots when a book needs
 * one, and resyncs on request from the market data engine.
 *
 * <p>Threads: the session's reader and timer threads call this one at a time (the session's
 * lock); snapshot responses arrive on the HTTP client's threads and are handed to the session's
 * timer with {@link WebSocketFeedSession#exclusive}.
 */
public final class BinanceFeed implements WebSocketFeedSession.Handler, ResyncRequests, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(BinanceFeed.class);

    /**
     * @param webSocketBase e.g. wss://stream.binance.com:9443
     * @param restBase      e.g. https://api.binance.com
     * @param depthLimit    levels per side in a snapshot (1000: weight 50; 5000: weight 250)
     */
    public record Settings(URI webSocketBase, URI restBase, int depthLimit, Duration initialBackoff, Duration maxBackoff) {
        public static Settings production() {
            return new Settings(URI.create("wss://stream.binance.com:9443"), URI.create("https://api.binance.com"), 1000,
                    Duration.ofMillis(250), Duration.ofSeconds(30));
        }
    }

    private final Settings settings;
    private final InstrumentRegistry registry;
    private final FeedSink sink;
    private final BinanceMarketDataDecoder decoder;
    private final HttpClient http;
    private final boolean[] fetching;
    private final WebSocketFeedSession session;
    private long snapshotsApplied;
    private long snapshotsRefused;
    /** per instrument: snapshots refused in a row (too old, or a gap after them) */
    private final int[] refusedInARow;
    private static final int REFUSALS_BEFORE_RECONNECT = 3;

    public BinanceFeed(Settings settings, InstrumentRegistry registry, FeedSink sink) {
        this.settings = settings;
        this.registry = registry;
        this.sink = sink;
        this.decoder = new BinanceMarketDataDecoder(registry, sink);
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        this.fetching = new boolean[registry.size()];
        this.refusedInARow = new int[registry.size()];
        StringBuilder streams = new StringBuilder();
        for (Instrument instrument : registry.ofVenue(Venue.BINANCE)) {
            String s = instrument.venueSymbol().toLowerCase(Locale.ROOT);
            for (String kind : new String[]{"@depth@100ms", "@bookTicker", "@trade"}) {
                streams.append(streams.isEmpty() ? "" : "/").append(s).append(kind);
            }
        }
        URI uri = URI.create(settings.webSocketBase() + "/stream?streams=" + streams);
        // Binance: 5 client messages a second, 24 h connection lifetime (replaced a little before)
        this.session = new WebSocketFeedSession(new WebSocketFeedSession.Settings("binance", uri, settings.initialBackoff(),
                settings.maxBackoff(), Duration.ofHours(23).plusMinutes(50), Duration.ofMillis(250), 60, System.nanoTime()), this);
    }

    public BinanceFeed start() {
        session.start();
        return this;
    }

    public WebSocketFeedSession session() {
        return session;
    }

    /** the decoder's counters (read them under the session's lock, or after close) */
    public BinanceMarketDataDecoder decoder() {
        return decoder;
    }

    public long snapshotsApplied() {
        return snapshotsApplied;
    }

    public long snapshotsRefused() {
        return snapshotsRefused;
    }

    @Override
    public List<String> subscriptions() {
        return new ArrayList<>(); // the streams are named in the URL
    }

    @Override
    public void onConnected() {
        for (Instrument instrument : registry.ofVenue(Venue.BINANCE)) {
            decoder.sync(instrument.id()).reset();
            sink.invalid(instrument.id(), "new connection: resynchronising");
        }
    }

    @Override
    public void onMessage(String message) {
        decoder.onMessage(message);
        int id = decoder.lastDepthInstrument();
        if (id >= 0 && decoder.sync(id).needsSnapshot() && !fetching[id]) {
            fetchSnapshot(id, 0);
        }
    }

    @Override
    public void onDisconnected(String reason) {
        for (Instrument instrument : registry.ofVenue(Venue.BINANCE)) {
            decoder.sync(instrument.id()).reset();
            sink.invalid(instrument.id(), "disconnected: " + reason);
        }
    }

    /**
     * From the market data engine's thread: rebuild this book from a new snapshot. If the
     * connection then stays silent (a stale feed), the stream itself is restarted.
     */
    @Override
    public void request(int instrumentId, String reason) {
        session.exclusive(() -> {
            LOG.info("binance {}: resync requested: {}", registry.get(instrumentId).venueSymbol(), reason);
            decoder.sync(instrumentId).reset();
            sink.invalid(instrumentId, reason);
            long messagesAtRequest = session.messages();
            session.exclusiveAfter(Duration.ofSeconds(1), () -> {
                if (session.messages() == messagesAtRequest) {
                    session.reconnectNow("no message since the resync request: restarting the stream");
                }
            });
        });
    }

    private void fetchSnapshot(int id, long delayMillis) {
        fetching[id] = true;
        String symbol = registry.get(id).venueSymbol();
        URI uri = URI.create(settings.restBase() + "/api/v3/depth?symbol=" + symbol + "&limit=" + settings.depthLimit());
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).GET().build();
        java.util.concurrent.CompletableFuture.runAsync(() -> { }, java.util.concurrent.CompletableFuture.delayedExecutor(delayMillis, TimeUnit.MILLISECONDS))
                .thenCompose(ignored -> http.sendAsync(request, HttpResponse.BodyHandlers.ofString()))
                .whenComplete((response, error) -> session.exclusive(() -> onSnapshotResponse(id, symbol, response, error)));
    }

    private void onSnapshotResponse(int id, String symbol, HttpResponse<String> response, Throwable error) {
        fetching[id] = false;
        if (error != null || response.statusCode() != 200) {
            snapshotsRefused++;
            LOG.warn("binance {}: depth snapshot failed ({}); retrying", symbol,
                    error != null ? error.toString() : "HTTP " + response.statusCode());
            fetchSnapshot(id, 1000);
            return;
        }
        BinanceDepthSync.SnapshotResult result;
        try {
            result = decoder.onSnapshot(id, response.body());
        } catch (RuntimeException e) {
            snapshotsRefused++;
            LOG.warn("binance {}: unreadable depth snapshot ({}); retrying", symbol, e.getMessage());
            fetchSnapshot(id, 1000);
            return;
        }
        if (result == BinanceDepthSync.SnapshotResult.APPLIED) {
            snapshotsApplied++;
            refusedInARow[id] = 0;
            LOG.info("binance {}: book synchronised at update {}", symbol, decoder.sync(id).bookId());
        } else if (++refusedInARow[id] >= REFUSALS_BEFORE_RECONNECT) {
            snapshotsRefused++;
            refusedInARow[id] = 0;
            session.reconnectNow("snapshots for " + symbol + " keep missing the stream (" + result + "): restarting the stream");
        } else {
            snapshotsRefused++;
            LOG.info("binance {}: snapshot {}; fetching another", symbol, result);
            fetchSnapshot(id, 250);
        }
    }

    @Override
    public void close() {
        session.close();
    }
}
