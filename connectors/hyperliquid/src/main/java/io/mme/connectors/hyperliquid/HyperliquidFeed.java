package io.mme.connectors.hyperliquid;

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
 * The Hyperliquid public market data feed on one WebSocket: {@code l2Book} and {@code trades} for
 * every configured Hyperliquid instrument (venue symbol = the coin, "BTC"), one subscription message
 * per coin and channel: {@code {"method":"subscribe","subscription":{"type":"l2Book","coin":"BTC"}}}.
 *
 * <p>Heartbeat: the venue closes a connection on which the client has sent nothing for 60 s, so
 * the feed sends {@code {"method":"ping"}} every {@link Settings#pingEvery} (the venue answers
 * {@code {"channel":"pong"}}, counted by the decoder). A dead connection is found as for the other
 * venues: by the WebSocket library's connection-lost check and by the market data engine's stale
 * rule.
 *
 * <p>Rebuilds: every {@code l2Book} message is the whole book, so a book made invalid by a
 * malformed message is rebuilt by the next snapshot without asking for anything. A rebuild asked
 * for by the market data engine (a crossed, overflowing or stale book, or one still INVALID after
 * the stale limit) means the coin's snapshots stopped arriving or stopped being usable on this
 * connection; resubscribing on the same connection would not tell a silent connection from a
 * silent coin, so the connection is replaced (the session's backoff keeps that polite), and every
 * book starts again from its first snapshot on the new one.
 *
 * <p>Threads: called by the session one thread at a time (its lock).
 */
public final class HyperliquidFeed implements WebSocketFeedSession.Handler, ResyncRequests, AutoCloseable {
    /** the client heartbeat */
    public static final String PING = "{\"method\":\"ping\"}";

    /**
     * @param uri       the endpoint
     * @param pingEvery how often to send the heartbeat (well under the venue's 60 s idle limit)
     */
    public record Settings(URI uri, Duration initialBackoff, Duration maxBackoff, Duration pingEvery) {
        public static Settings production() {
            return new Settings(URI.create("wss://api.hyperliquid.xyz/ws"), Duration.ofMillis(500), Duration.ofSeconds(30),
                    Duration.ofSeconds(30));
        }
    }

    private final InstrumentRegistry registry;
    private final FeedSink sink;
    private final HyperliquidDecoder decoder;
    private final List<String> subscriptions = new ArrayList<>();
    private final WebSocketFeedSession session;
    private final java.util.concurrent.atomic.AtomicLong resyncRequests = new java.util.concurrent.atomic.AtomicLong();

    public HyperliquidFeed(Settings settings, InstrumentRegistry registry, FeedSink sink) {
        this.registry = registry;
        this.sink = sink;
        this.decoder = new HyperliquidDecoder(registry, sink);
        for (Instrument instrument : registry.ofVenue(Venue.HYPERLIQUID)) {
            subscriptions.add(subscribe("l2Book", instrument.venueSymbol()));
        }
        for (Instrument instrument : registry.ofVenue(Venue.HYPERLIQUID)) {
            subscriptions.add(subscribe("trades", instrument.venueSymbol()));
        }
        // the venue allows 2000 client messages a minute per IP: 50 ms between subscriptions is far under it
        this.session = new WebSocketFeedSession(new WebSocketFeedSession.Settings("hyperliquid", settings.uri(), settings.initialBackoff(),
                settings.maxBackoff(), Duration.ZERO, Duration.ofMillis(50), 60, System.nanoTime()), this);
        session.keepAlive(settings.pingEvery(), PING);
    }

    /** the subscription message of one channel ({@code l2Book}, {@code trades}) for one coin */
    static String subscribe(String type, String coin) {
        return "{\"method\":\"subscribe\",\"subscription\":{\"type\":\"" + type + "\",\"coin\":\"" + coin + "\"}}";
    }

    public HyperliquidFeed start() {
        session.start();
        return this;
    }

    public WebSocketFeedSession session() {
        return session;
    }

    public HyperliquidDecoder decoder() {
        return decoder;
    }

    public long messages() {
        return decoder.messages();
    }

    public long malformed() {
        return decoder.malformed();
    }

    public String lastError() {
        return decoder.lastError();
    }

    /** rebuilds the market data engine asked for (each replaced the connection) */
    public long resyncRequests() {
        return resyncRequests.get();
    }

    /** whether the decoder currently vouches for an instrument's book */
    public boolean valid(int instrumentId) {
        return decoder.valid(instrumentId);
    }

    @Override
    public List<String> subscriptions() {
        return subscriptions;
    }

    @Override
    public void onConnected() {
        decoder.reset();
        for (Instrument instrument : registry.ofVenue(Venue.HYPERLIQUID)) {
            sink.invalid(instrument.id(), "new connection: waiting for the book snapshot");
        }
    }

    @Override
    public void onMessage(String message) {
        decoder.onMessage(message);
    }

    @Override
    public void onDisconnected(String reason) {
        for (Instrument instrument : registry.ofVenue(Venue.HYPERLIQUID)) {
            sink.invalid(instrument.id(), "disconnected: " + reason);
        }
    }

    /** From the market data engine: see the class comment; the connection is replaced. */
    @Override
    public void request(int instrumentId, String reason) {
        resyncRequests.incrementAndGet();
        session.reconnectNow("resync of " + registry.get(instrumentId).venueSymbol() + " requested: " + reason);
    }

    @Override
    public void close() {
        session.close();
    }
}
