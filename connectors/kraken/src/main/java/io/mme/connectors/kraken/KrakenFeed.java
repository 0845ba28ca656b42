package io.mme.connectors.kraken;

import io.mme.core.instrument.Instrument;
import io.mme.core.instrument.InstrumentRegistry;
import io.mme.core.instrument.Venue;
import io.mme.marketdata.FeedSink;
import io.mme.marketdata.ResyncRequests;
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
 * resubscribing, which here means a fresh connection (the session's backoff keeps that polite).
 * A per-pair unsubscribe/subscribe would be cheaper for the other pairs, but the venue does not
 * say when the old subscription's last update has passed, so the connection is replaced.
 *
 * <p>Threads: called by the session one thread at a time (its lock).
 */
public final class KrakenFeed implements WebSocketFeedSession.Handler, ResyncRequests, AutoCloseable {
    /** which of Kraken's public WebSocket protocols */
    public enum Protocol {
        V1,
        V2
    }

    /**
     * @param uri       the endpoint
     * @param protocol  v1 or v2
     * @param bookDepth the book depth to subscribe to (10, 25, 100, 500, 1000)
     */
    public record Settings(URI uri, Protocol protocol, int bookDepth, Duration initialBackoff, Duration maxBackoff) {
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
    private long checksumResyncs;
    private long malformedResyncs;

    public KrakenFeed(Settings settings, InstrumentRegistry registry, FeedSink sink) {
        this.settings = settings;
        this.registry = registry;
        this.sink = sink;
        this.v1 = settings.protocol() == Protocol.V1 ? new KrakenV1BookDecoder(registry, sink) : null;
        this.v2 = settings.protocol() == Protocol.V2 ? new KrakenV2BookDecoder(registry, sink) : null;
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
        if (checksumsFailed() > failedBefore) {
            checksumResyncs++;
            session.reconnectNow("checksum mismatch: resubscribing");
        } else if (booksLostToMalformed() > lostBefore) {
            malformedResyncs++;
            session.reconnectNow("malformed book message: resubscribing");
        }
    }

    @Override
    public void onDisconnected(String reason) {
        for (Instrument instrument : registry.ofVenue(Venue.KRAKEN)) {
            sink.invalid(instrument.id(), "disconnected: " + reason);
        }
    }

    /**
     * From the market data engine: a crossed, overflowing or stale book, or one still INVALID
     * after the stale limit, is rebuilt by resubscribing.
     */
    @Override
    public void request(int instrumentId, String reason) {
        session.reconnectNow("resync of " + registry.get(instrumentId).venueSymbol() + " requested: " + reason);
    }

    @Override
    public void close() {
        session.close();
    }
}
