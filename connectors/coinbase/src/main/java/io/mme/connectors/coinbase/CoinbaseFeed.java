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
 * Coinbase rebuilds books only by resubscribing, which sends a new {@code level2} snapshot. A book
 * lost on its own (a malformed or out-of-order message of a known product), or one the market data
 * engine asks for (crossed, over capacity, stale, still invalid), is rebuilt by resubscribing
 * <em>that product's</em> {@code level2}: an {@code unsubscribe} and a {@code subscribe} for the
 * product, sent one after the other on the ordered stream; the decoder drops the product's updates
 * until the new snapshot. The other books are untouched. The connection is replaced (within the
 * session's backoff; the decoder starts a new sequence count with it) when the loss may concern
 * any book (an Advanced Trade sequence gap, a message whose product cannot be read), when no
 * snapshot came within {@link Settings#resubscribeTimeout}, or when the engine asks again for a
 * product still waiting for its snapshot.
 *
 * <p>Threads: called by the session one thread at a time (its lock).
 */
public final class CoinbaseFeed implements WebSocketFeedSession.Handler, ResyncRequests, AutoCloseable {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(CoinbaseFeed.class);
    /** which Coinbase feed */
    public enum Protocol {
        ADVANCED_TRADE,
        EXCHANGE
    }

    /**
     * @param resubscribeTimeout how long a resubscribed product may wait for its snapshot before
     *                           the connection is replaced instead
     */
    public record Settings(URI uri, Protocol protocol, Duration initialBackoff, Duration maxBackoff, Duration resubscribeTimeout) {
        /** the default wait for a resubscribed product's snapshot (a deep book's snapshot is megabytes) */
        public static final Duration RESUBSCRIBE_TIMEOUT = Duration.ofSeconds(5);

        /** with the default {@link #RESUBSCRIBE_TIMEOUT} */
        public Settings(URI uri, Protocol protocol, Duration initialBackoff, Duration maxBackoff) {
            this(uri, protocol, initialBackoff, maxBackoff, RESUBSCRIBE_TIMEOUT);
        }

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
    private final Settings settings;
    /** per instrument: its product was resubscribed on this connection and its snapshot has not come yet */
    private final boolean[] resubscribing;
    private int resubscribesPending;
    /** a reconnect was asked for on this connection: every book comes back with the next one, nothing more to ask */
    private boolean replacing;
    private long gapResyncs;
    private long productResubscribes;
    private long resyncReconnects;

    public CoinbaseFeed(Settings settings, InstrumentRegistry registry, FeedSink sink) {
        this.registry = registry;
        this.sink = sink;
        this.settings = settings;
        this.resubscribing = new boolean[registry.size()];
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

    /** reconnections forced by a loss that may concern every book (a sequence gap, an unreadable message) */
    public long gapResyncs() {
        return gapResyncs;
    }

    /** unsubscribe + subscribe of one product's level2, for any cause */
    public long productResubscribes() {
        return productResubscribes;
    }

    /** connections replaced because a resubscribed product's snapshot did not come */
    public long resyncReconnects() {
        return resyncReconnects;
    }

    @Override
    public List<String> subscriptions() {
        return subscriptions;
    }

    @Override
    public void onConnected() {
        java.util.Arrays.fill(resubscribing, false);
        resubscribesPending = 0;
        replacing = false;
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
        if (resubscribesPending > 0) {
            for (Instrument instrument : registry.ofVenue(Venue.COINBASE)) {
                int id = instrument.id();
                if (resubscribing[id] && valid(id)) {
                    resubscribing[id] = false; // its new snapshot came
                    resubscribesPending--;
                }
            }
        }
        boolean resubscribe = advancedTrade != null ? advancedTrade.needsResubscribe() : exchange.needsResubscribe();
        if (resubscribe) {
            boolean wholeConnection = advancedTrade != null ? advancedTrade.connectionLost() : exchange.connectionLost();
            if (wholeConnection) {
                replacing = true;
                gapResyncs++;
                session.reconnectNow("books no longer follow the feed: resubscribing");
            } else {
                for (Instrument instrument : registry.ofVenue(Venue.COINBASE)) {
                    int id = instrument.id();
                    boolean lost = advancedTrade != null ? advancedTrade.lost(id) : exchange.lost(id);
                    if (lost && !resubscribing[id]) {
                        resubscribeProduct(id, "its book lost a message");
                    }
                }
            }
            if (advancedTrade != null) {
                advancedTrade.resubscribed();
            } else {
                exchange.resubscribed();
            }
        }
    }

    /** whether the decoder currently vouches for an instrument's book (a snapshot and nothing lost since) */
    public boolean valid(int instrumentId) {
        return advancedTrade != null ? advancedTrade.valid(instrumentId) : exchange.valid(instrumentId);
    }

    /** unsubscribes and subscribes one product's level2 on the current connection; its snapshot rebuilds the book */
    private void resubscribeProduct(int instrumentId, String why) {
        if (replacing) {
            return; // a new connection is coming: it subscribes every product
        }
        String product = registry.get(instrumentId).venueSymbol();
        String channel = advancedTrade != null ? "\"channel\":\"level2\"" : "\"channels\":[\"level2\"]";
        if (!session.send("{\"type\":\"unsubscribe\",\"product_ids\":[\"" + product + "\"]," + channel + "}")
                || !session.send("{\"type\":\"subscribe\",\"product_ids\":[\"" + product + "\"]," + channel + "}")) {
            return; // not connected: the next connection subscribes every product anyway
        }
        LOG.info("coinbase: resubscribing the {} level2 ({})", product, why);
        // the book waits for the new snapshot: its valid flag turning on again is that snapshot
        if (advancedTrade != null) {
            advancedTrade.resubscribing(instrumentId, "resubscribing: " + why);
        } else {
            exchange.resubscribing(instrumentId, "resubscribing: " + why);
        }
        resubscribing[instrumentId] = true;
        resubscribesPending++;
        productResubscribes++;
        long connection = session.connects();
        session.exclusiveAfter(settings.resubscribeTimeout(), () -> {
            if (resubscribing[instrumentId] && session.connects() == connection && !replacing) {
                replacing = true;
                resyncReconnects++;
                session.reconnectNow("no " + product + " snapshot " + settings.resubscribeTimeout().toMillis()
                        + " ms after resubscribing it: reconnecting");
            }
        });
    }

    @Override
    public void onDisconnected(String reason) {
        for (Instrument instrument : registry.ofVenue(Venue.COINBASE)) {
            sink.invalid(instrument.id(), "disconnected: " + reason);
        }
    }

    /**
     * From the market data engine: a crossed, overflowing or stale book, or one still INVALID, is
     * rebuilt by resubscribing its product; one still waiting for the snapshot of its last
     * resubscription, by a new connection.
     */
    @Override
    public void request(int instrumentId, String reason) {
        session.exclusive(() -> {
            if (replacing) {
                return; // the new connection subscribes every product anyway
            }
            if (resubscribing[instrumentId]) {
                replacing = true;
                resyncReconnects++;
                session.reconnectNow("resync of " + registry.get(instrumentId).venueSymbol() + " requested (" + reason
                        + ") while its resubscription's snapshot is still missing: reconnecting");
            } else {
                resubscribeProduct(instrumentId, "requested: " + reason);
            }
        });
    }

    @Override
    public void close() {
        session.close();
    }
}
