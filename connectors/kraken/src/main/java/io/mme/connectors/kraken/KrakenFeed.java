package io.mme.connectors.kraken;

import io.mme.core.instrument.Instrument;
import io.mme.core.instrument.InstrumentRegistry;
import io.mme.core.instrument.Venue;
import io.mme.marketdata.FeedSink;
import io.mme.marketdata.ResyncRequests;
import io.mme.marketdata.SymbolIndex;
import io.mme.marketdata.session.WebSocketFeedSession;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The Kraken spot market data feed on one WebSocket: the book (with its checksum) and trades for
 * every configured Kraken instrument, on protocol v2 ({@code wss://ws.kraken.com/v2}, symbols like
 * BTC/USD) or v1 ({@code wss://ws.kraken.com}, symbols like XBT/USD); the configured venue
 * symbols must be spelled for the protocol chosen. Kraken's books carry no sequence number and
 * have no REST snapshot to rejoin: a book the decoder lost (a failed checksum, or a malformed book
 * message such as a negative volume or an off-grid price, after which its updates are dropped so
 * no checksum can fail), or a resync asked for by the market data engine, is healed by
 * resubscribing <em>that pair's</em> book: an {@code unsubscribe} for the pair, and once the venue
 * answers it (v1 {@code subscriptionStatus} "unsubscribed", v2 {@code method} "unsubscribe": on
 * the one ordered stream, after the old subscription's last update) a {@code subscribe}, whose
 * snapshot rebuilds the book; the decoder drops the pair's updates in between, its book being
 * invalid. The other pairs' books are untouched. Only when the venue does not answer an
 * unsubscribe within {@link Settings#unsubscribeTimeout} (or the engine asks again for a pair
 * still waiting for one) is the connection replaced, within the session's backoff.
 *
 * <p>Threads: called by the session one thread at a time (its lock).
 */
public final class KrakenFeed implements WebSocketFeedSession.Handler, ResyncRequests, AutoCloseable {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(KrakenFeed.class);
    /** which of Kraken's public WebSocket protocols */
    public enum Protocol {
        V1,
        V2
    }

    /**
     * @param uri                the endpoint
     * @param protocol           v1 or v2
     * @param bookDepth          the book depth to subscribe to (10, 25, 100, 500, 1000)
     * @param unsubscribeTimeout how long a pair's unsubscribe may go unanswered before the
     *                           connection is replaced instead
     */
    public record Settings(URI uri, Protocol protocol, int bookDepth, Duration initialBackoff, Duration maxBackoff,
                           Duration unsubscribeTimeout) {
        /** the default wait for a pair's unsubscribe answer (Kraken answers within milliseconds) */
        public static final Duration UNSUBSCRIBE_TIMEOUT = Duration.ofSeconds(2);

        /** with the default {@link #UNSUBSCRIBE_TIMEOUT} */
        public Settings(URI uri, Protocol protocol, int bookDepth, Duration initialBackoff, Duration maxBackoff) {
            this(uri, protocol, bookDepth, initialBackoff, maxBackoff, UNSUBSCRIBE_TIMEOUT);
        }

        public static Settings productionV2() {
            return new Settings(URI.create("wss://ws.kraken.com/v2"), Protocol.V2, 100, Duration.ofMillis(500), Duration.ofSeconds(30));
        }
    }

    private final Settings settings;
    private final InstrumentRegistry registry;
    private final FeedSink sink;
    private final KrakenV1BookDecoder v1;
    private final KrakenV2BookDecoder v2;
    private final List<String> subscriptions = new ArrayList<>();
    private final WebSocketFeedSession session;
    private final SymbolIndex symbols;
    /** per instrument: the book's unsubscribe was sent and its answer has not come yet */
    private final boolean[] unsubscribing;
    /** how many instruments are {@link #unsubscribing} */
    private int unsubscribesPending;
    /** a reconnect was asked for on this connection: every book comes back with the next one, nothing more to ask */
    private boolean replacing;
    private long checksumResyncs;
    private long malformedResyncs;
    private long pairResubscribes;
    private long resyncReconnects;

    public KrakenFeed(Settings settings, InstrumentRegistry registry, FeedSink sink) {
        this.settings = settings;
        this.registry = registry;
        this.sink = sink;
        this.v1 = settings.protocol() == Protocol.V1 ? new KrakenV1BookDecoder(registry, sink) : null;
        this.v2 = settings.protocol() == Protocol.V2 ? new KrakenV2BookDecoder(registry, sink) : null;
        this.symbols = SymbolIndex.of(registry, Venue.KRAKEN);
        this.unsubscribing = new boolean[registry.size()];
        StringBuilder symbols = new StringBuilder();
        for (Instrument instrument : registry.ofVenue(Venue.KRAKEN)) {
            symbols.append(symbols.isEmpty() ? "" : ",").append('"').append(instrument.venueSymbol()).append('"');
        }
        if (settings.protocol() == Protocol.V1) {
            subscriptions.add("{\"event\":\"subscribe\",\"pair\":[" + symbols + "],\"subscription\":{\"name\":\"book\",\"depth\":" + settings.bookDepth() + "}}");
            subscriptions.add("{\"event\":\"subscribe\",\"pair\":[" + symbols + "],\"subscription\":{\"name\":\"trade\"}}");
        } else {
            subscriptions.add("{\"method\":\"subscribe\",\"params\":{\"channel\":\"book\",\"symbol\":[" + symbols + "],\"depth\":" + settings.bookDepth() + "}}");
            subscriptions.add("{\"method\":\"subscribe\",\"params\":{\"channel\":\"trade\",\"symbol\":[" + symbols + "],\"snapshot\":false}}");
        }
        // Kraken: keep well under its connection and subscription rate limits; connections are long-lived
        this.session = new WebSocketFeedSession(new WebSocketFeedSession.Settings("kraken", settings.uri(), settings.initialBackoff(),
                settings.maxBackoff(), Duration.ZERO, Duration.ofSeconds(1), 60, System.nanoTime()), this);
    }

    public KrakenFeed start() {
        session.start();
        return this;
    }

    public WebSocketFeedSession session() {
        return session;
    }

    public long checksumsPassed() {
        return v1 != null ? v1.checksumsPassed() : v2.checksumsPassed();
    }

    public long checksumsFailed() {
        return v1 != null ? v1.checksumsFailed() : v2.checksumsFailed();
    }

    public long malformed() {
        return v1 != null ? v1.malformed() : v2.malformed();
    }

    /** the last malformed message's description, or null */
    public String lastError() {
        return v1 != null ? v1.lastError() : v2.lastError();
    }

    public long messages() {
        return v1 != null ? v1.messages() : v2.messages();
    }

    /** unsubscribe + subscribe of one pair's book, for any cause */
    public long pairResubscribes() {
        return pairResubscribes;
    }

    /** connections replaced because a pair's unsubscribe went unanswered */
    public long resyncReconnects() {
        return resyncReconnects;
    }

    /** resubscriptions forced by failed checksums */
    public long checksumResyncs() {
        return checksumResyncs;
    }

    /** resubscriptions forced by malformed book messages that left a book invalid */
    public long malformedResyncs() {
        return malformedResyncs;
    }

    /** valid books lost to malformed book messages */
    public long booksLostToMalformed() {
        return v1 != null ? v1.booksLostToMalformed() : v2.booksLostToMalformed();
    }

    /** whether the decoder currently vouches for an instrument's book */
    public boolean valid(int instrumentId) {
        return v1 != null ? v1.valid(instrumentId) : v2.valid(instrumentId);
    }

    @Override
    public List<String> subscriptions() {
        return subscriptions;
    }

    @Override
    public void onConnected() {
        java.util.Arrays.fill(unsubscribing, false);
        unsubscribesPending = 0;
        replacing = false;
        for (Instrument instrument : registry.ofVenue(Venue.KRAKEN)) {
            sink.invalid(instrument.id(), "new connection: waiting for the book snapshot");
        }
    }

    @Override
    public void onMessage(String message) {
        long failedBefore = checksumsFailed();
        long lostBefore = booksLostToMalformed();
        if (v1 != null) {
            v1.onMessage(message);
        } else {
            v2.onMessage(message);
        }
        if (unsubscribesPending > 0 && message.startsWith("{")) {
            unsubscribeAnswer(message);
        }
        if (checksumsFailed() > failedBefore) {
            checksumResyncs++;
            resubscribeLostBooks("checksum mismatch");
        } else if (booksLostToMalformed() > lostBefore) {
            malformedResyncs++;
            resubscribeLostBooks("malformed book message");
        }
    }

    /** every book the decoder no longer vouches for and that is not being resubscribed already */
    private void resubscribeLostBooks(String why) {
        for (Instrument instrument : registry.ofVenue(Venue.KRAKEN)) {
            int id = instrument.id();
            if (!valid(id) && !unsubscribing[id] && decoderLost(id)) {
                resubscribe(id, why);
            }
        }
    }

    /** the decoder had the book and lost it (not one still waiting for its first snapshot on this connection) */
    private boolean decoderLost(int instrumentId) {
        return v1 != null ? v1.lost(instrumentId) : v2.lost(instrumentId);
    }

    /** sends the unsubscribe of one pair's book; its answer sends the subscribe ({@link #unsubscribeAnswer}) */
    private void resubscribe(int instrumentId, String why) {
        if (replacing) {
            return; // a new connection is coming: it subscribes every pair
        }
        String symbol = registry.get(instrumentId).venueSymbol();
        String unsubscribe = settings.protocol() == Protocol.V1
                ? "{\"event\":\"unsubscribe\",\"pair\":[\"" + symbol + "\"],\"subscription\":{\"name\":\"book\",\"depth\":" + settings.bookDepth() + "}}"
                : "{\"method\":\"unsubscribe\",\"params\":{\"channel\":\"book\",\"symbol\":[\"" + symbol + "\"],\"depth\":" + settings.bookDepth() + "}}";
        if (!session.send(unsubscribe)) {
            return; // not connected: the next connection subscribes every pair anyway
        }
        LOG.info("kraken: resubscribing the {} book ({})", symbol, why);
        unsubscribing[instrumentId] = true;
        unsubscribesPending++;
        pairResubscribes++;
        long connection = session.connects();
        session.exclusiveAfter(settings.unsubscribeTimeout(), () -> {
            if (unsubscribing[instrumentId] && session.connects() == connection && !replacing) {
                replacing = true;
                resyncReconnects++;
                session.reconnectNow("the unsubscribe of " + symbol + " went unanswered for " + settings.unsubscribeTimeout().toMillis()
                        + " ms: reconnecting");
            }
        });
    }

    /**
     * A message that may answer an unsubscribe: v1 {@code {"event":"subscriptionStatus","pair":..,
     * "status":"unsubscribed"|"error",..,"subscription":{"name":"book",..}}}, v2 {@code {"method":
     * "unsubscribe","result":{"channel":"book","symbol":..},..}} (an error answer too: the pair is
     * not subscribed either way). Control path: runs only while an unsubscribe is pending.
     */
    private void unsubscribeAnswer(String message) {
        String key;
        if (settings.protocol() == Protocol.V1) {
            if (!message.contains("\"subscriptionStatus\"") || !message.contains("\"name\":\"book\"")
                    || !(message.contains("\"status\":\"unsubscribed\"") || message.contains("\"status\":\"error\""))) {
                return;
            }
            key = "\"pair\":\"";
        } else {
            if (!message.contains("\"method\":\"unsubscribe\"") || !message.contains("\"channel\":\"book\"")) {
                return;
            }
            key = "\"symbol\":\"";
        }
        int at = message.indexOf(key);
        int close = at < 0 ? -1 : message.indexOf('"', at + key.length());
        int id = close < 0 ? -1 : symbols.find(message, at + key.length(), close);
        if (id < 0 || !unsubscribing[id]) {
            return;
        }
        unsubscribing[id] = false;
        unsubscribesPending--;
        String symbol = registry.get(id).venueSymbol();
        session.send(settings.protocol() == Protocol.V1
                ? "{\"event\":\"subscribe\",\"pair\":[\"" + symbol + "\"],\"subscription\":{\"name\":\"book\",\"depth\":" + settings.bookDepth() + "}}"
                : "{\"method\":\"subscribe\",\"params\":{\"channel\":\"book\",\"symbol\":[\"" + symbol + "\"],\"depth\":" + settings.bookDepth() + "}}");
    }

    @Override
    public void onDisconnected(String reason) {
        for (Instrument instrument : registry.ofVenue(Venue.KRAKEN)) {
            sink.invalid(instrument.id(), "disconnected: " + reason);
        }
    }

    /**
     * From the market data engine: a crossed, overflowing or stale book, or one still INVALID
     * after the stale limit, is rebuilt by resubscribing its pair; a pair whose last unsubscribe
     * was never answered by the time the engine asks again, by a new connection.
     */
    @Override
    public void request(int instrumentId, String reason) {
        session.exclusive(() -> {
            if (replacing) {
                return; // the new connection subscribes every pair anyway
            }
            if (unsubscribing[instrumentId]) {
                replacing = true;
                resyncReconnects++;
                session.reconnectNow("resync of " + registry.get(instrumentId).venueSymbol() + " requested (" + reason
                        + ") while its unsubscribe is unanswered: reconnecting");
            } else {
                resubscribe(instrumentId, "requested: " + reason);
            }
        });
    }

    @Override
    public void close() {
        session.close();
    }
}
