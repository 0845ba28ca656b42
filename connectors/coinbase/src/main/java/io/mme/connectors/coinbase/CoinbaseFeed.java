package io.mme.connectors.coinbase;

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
import java.util.function.Consumer;

/**
 * The Coinbase market data feed on one WebSocket, on either of the two feeds market makers use:
 * Advanced Trade ({@code level2} → {@code l2_data}, {@code market_trades}, {@code ticker},
 * {@code heartbeats}; one {@code sequence_num} counter per connection) or the Exchange feed
 * ({@code level2} snapshot + {@code l2update}, {@code matches}, {@code ticker}, {@code heartbeat}).
 * Coinbase rebuilds books only by resubscribing, so a sequence gap, or a resync asked for by the
 * market data engine, opens a fresh connection (within the session's backoff); the decoder starts
 * a new sequence count with it.
 *
 * <p>Threads: called by the session one thread at a time (its lock).
 */
public final class CoinbaseFeed implements WebSocketFeedSession.Handler, ResyncRequests, AutoCloseable {
    /** which Coinbase feed */
    public enum Protocol {
        ADVANCED_TRADE,
        EXCHANGE
    }

    public record Settings(URI uri, Protocol protocol, Duration initialBackoff, Duration maxBackoff) {
        public static Settings productionAdvancedTrade() {
            return new Settings(URI.create("wss://advanced-trade-ws.coinbase.com"), Protocol.ADVANCED_TRADE,
                    Duration.ofMillis(500), Duration.ofSeconds(30));
        }
    }

    private final InstrumentRegistry registry;
    private final FeedSink sink;
    private final CoinbaseAdvancedTradeDecoder advancedTrade;
    private final CoinbaseExchangeDecoder exchange;
    private final Consumer<CharSequence> decode;
    private final List<String> subscriptions = new ArrayList<>();
    private final WebSocketFeedSession session;
    private long gapResyncs;

    public CoinbaseFeed(Settings settings, InstrumentRegistry registry, FeedSink sink) {
        this.registry = registry;
        this.sink = sink;
        boolean at = settings.protocol() == Protocol.ADVANCED_TRADE;
        this.advancedTrade = at ? new CoinbaseAdvancedTradeDecoder(registry, sink) : null;
        this.exchange = at ? null : new CoinbaseExchangeDecoder(registry, sink);
        this.decode = at ? advancedTrade::onMessage : exchange::onMessage;
        StringBuilder products = new StringBuilder();
        for (Instrument instrument : registry.ofVenue(Venue.COINBASE)) {
            products.append(products.isEmpty() ? "" : ",").append('"').append(instrument.venueSymbol()).append('"');
        }
        if (at) {
            for (String channel : new String[]{"heartbeats", "level2", "market_trades", "ticker"}) {
                subscriptions.add("{\"type\":\"subscribe\",\"product_ids\":[" + products + "],\"channel\":\"" + channel + "\"}");
            }
        } else {
            subscriptions.add("{\"type\":\"subscribe\",\"product_ids\":[" + products + "],\"channels\":[\"level2\",\"ticker\",\"matches\",\"heartbeat\"]}");
        }
        // Coinbase: a few subscribe messages a second at most; connections are long-lived
        this.session = new WebSocketFeedSession(new WebSocketFeedSession.Settings("coinbase", settings.uri(), settings.initialBackoff(),
                settings.maxBackoff(), Duration.ZERO, Duration.ofMillis(500), 60, System.nanoTime()), this);
    }

    public CoinbaseFeed start() {
        session.start();
        return this;
    }

    public WebSocketFeedSession session() {
        return session;
    }

    public long messages() {
        return advancedTrade != null ? advancedTrade.messages() : exchange.messages();
    }

    public long malformed() {
        return advancedTrade != null ? advancedTrade.malformed() : exchange.malformed();
    }

    public String lastError() {
        return advancedTrade != null ? advancedTrade.lastError() : exchange.lastError();
    }

    /** Advanced Trade: sequence numbers checked and found in order; Exchange: 0 (level2 has none) */
    public long sequenceChecksPassed() {
        return advancedTrade != null ? Math.max(0, advancedTrade.messages() - advancedTrade.gaps() - advancedTrade.late()) : 0;
    }

    /** sequence gaps found (Advanced Trade) or out-of-order updates (Exchange) */
    public long sequenceChecksFailed() {
        return advancedTrade != null ? advancedTrade.gaps() : exchange.outOfOrder();
    }

    /** Advanced Trade: the last sequence_num of the current connection (-1 before any); Exchange: -1 */
    public long lastSequence() {
        return advancedTrade != null ? advancedTrade.lastSequence() : -1;
    }

    /** reconnections forced by gaps */
    public long gapResyncs() {
        return gapResyncs;
    }

    @Override
    public List<String> subscriptions() {
        return subscriptions;
    }

    @Override
    public void onConnected() {
        if (advancedTrade != null) {
            advancedTrade.newConnection();
        } else {
            exchange.newConnection();
        }
        for (Instrument instrument : registry.ofVenue(Venue.COINBASE)) {
            sink.invalid(instrument.id(), "new connection: waiting for the level2 snapshot");
        }
    }

    @Override
    public void onMessage(String message) {
        decode.accept(message);
        boolean resubscribe = advancedTrade != null ? advancedTrade.needsResubscribe() : exchange.needsResubscribe();
        if (resubscribe) {
            if (advancedTrade != null) {
                advancedTrade.resubscribed();
            } else {
                exchange.resubscribed();
            }
            gapResyncs++;
            session.reconnectNow("books no longer follow the feed: resubscribing");
        }
    }

    @Override
    public void onDisconnected(String reason) {
        for (Instrument instrument : registry.ofVenue(Venue.COINBASE)) {
            sink.invalid(instrument.id(), "disconnected: " + reason);
        }
    }

    /** from the market data engine: a crossed or stale book is rebuilt by resubscribing */
    @Override
    public void request(int instrumentId, String reason) {
        session.reconnectNow("resync of " + registry.get(instrumentId).venueSymbol() + " requested: " + reason);
    }

    @Override
    public void close() {
        session.close();
    }
}
