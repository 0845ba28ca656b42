package io.mme.connectors.coinbase;

import io.mme.core.instrument.FixedPointException;
import io.mme.core.instrument.Instrument;
import io.mme.core.instrument.InstrumentRegistry;
import io.mme.core.instrument.Venue;
import io.mme.core.ring.Side;
import io.mme.marketdata.FeedSink;
import io.mme.marketdata.JsonScanner;
import io.mme.marketdata.MalformedMessageException;
import io.mme.marketdata.Rfc3339;
import io.mme.marketdata.SymbolIndex;

/**
 * Reads one Coinbase Advanced Trade market-data WebSocket connection
 * ({@code wss://advanced-trade-ws.coinbase.com}) into normalised {@link FeedSink} calls. Every
 * message is {@code {"channel","client_id","timestamp","sequence_num","events":[..]}}:
 * <ul>
 *   <li>{@code l2_data} (the {@code level2} channel): each event is one product's
 *       {@code snapshot} (clear, every level, endOfMessage) or {@code update} (its levels,
 *       endOfMessage); {@code new_quantity} is the absolute size, {@code "0"} removes the level;
 *       side {@code bid} is BUY, {@code offer} (or {@code ask}) SELL;</li>
 *   <li>{@code market_trades}: {@code update} events become {@link FeedSink#trade}s. The venue's
 *       {@code side} is the <em>maker's</em> (VENUES.md 2.2), so {@code SELL} (a resting sell was
 *       hit) is a BUY aggressor and vice versa. The {@code snapshot} of recent trades sent on
 *       subscribing is history and is counted, not passed on;</li>
 *   <li>{@code ticker}: {@code best_bid}/{@code best_ask} with their quantities, when present,
 *       into {@link FeedSink#bestBidOffer} with the message's {@code sequence_num}. The ticker is
 *       sampled on its own schedule, not at a position of the level2 stream: it may lead or lag the
 *       book by a few level2 messages (the replay test measures it);</li>
 *   <li>{@code heartbeats}, {@code subscriptions} and other channels ({@code candles},
 *       {@code status}, ..) are counted; {@code {"type":"error"}} messages are counted and the last
 *       one kept.</li>
 * </ul>
 *
 * <p>Integrity: {@code sequence_num} is one counter per connection across all channels (verified
 * on the recorded feed: one sequence 0..1029 over subscriptions, trades, candles, ticker,
 * heartbeats and l2_data). Each message must carry the previous number plus one. A higher number is
 * a gap: every book this connection had made valid is reported invalid and its updates are dropped
 * until a new snapshot for it arrives, and {@link #needsResubscribe()} rises: the venue replays
 * nothing, so the recovery is to unsubscribe and resubscribe {@code level2}. A number at or below
 * the last one is late and the message is ignored. A new connection restarts the count:
 * {@link #newConnection()}.
 *
 * <p>Malformed messages (bad JSON, wrong types, unknown products, off-grid prices) are counted and
 * never thrown. A broken level2 event whose product was read marks that book invalid; a broken
 * level2 message whose product could not be read (or a numbered message whose channel could not be
 * read) marks every book of the connection invalid, since it may have carried any of them. A
 * broken ticker or trade leaves the books alone. Both raise the resubscribe request when a book is
 * lost.
 *
 * <p>Allocation: none per message. Text is scanned in place, products are looked up from the slice,
 * prices and sizes converted with the instrument's grids, an event's levels collected into a
 * preallocated {@link LevelBuffer} and passed on only once the whole event has been read. A
 * snapshot is read three times (message, event, levels) — once per subscription, so simplicity
 * wins over the extra pass.
 *
 * <p>Thread: the connection's decoding thread owns the decoder and everything it holds, the
 * resubscribe request included; the session reads and clears that request on the same thread.
 */
public final class CoinbaseAdvancedTradeDecoder {
    /** levels one event may hold: room for the largest whole-book snapshot seen, several times over */
    public static final int DEFAULT_MAX_LEVELS_PER_EVENT = 1 << 18;

    static final String GAP = "sequence_num gap: messages of this connection were lost";
    static final String UNREADABLE_LEVEL2 = "unreadable level2 message for an unknown product";
    static final String MALFORMED_LEVEL2 = "malformed level2 event";
    static final String NEW_CONNECTION = "new connection: waiting for its snapshot";

    private static final int UNREAD = 0;
    private static final int LEVEL2 = 1;
    private static final int MARKET_TRADES = 2;
    private static final int TICKER = 3;
    private static final int HEARTBEATS = 4;
    private static final int SUBSCRIPTIONS = 5;
    private static final int OTHER = 6;

    private static final int SNAPSHOT = 1;
    private static final int UPDATE = 2;

    /** the current level2 event's product is not read yet */
    private static final int NO_PRODUCT = -1;
    /** the current level2 event names a product that is not a Coinbase instrument */
    private static final int UNKNOWN_PRODUCT = -2;

    private final InstrumentRegistry registry;
    private final SymbolIndex symbols;
    private final FeedSink sink;
    private final CoinbaseBooks books;
    private final LevelBuffer levels;
    private final JsonScanner json = new JsonScanner();
    private final JsonScanner events = new JsonScanner();
    private final JsonScanner items = new JsonScanner();

    private long lastSequence = -1;
    private long messages;
    private long malformed;
    private long gaps;
    private long late;
    private long trades;
    private long history;
    private long tickers;
    private long tickersWithoutQuote;
    private long heartbeats;
    private long subscriptions;
    private long venueErrors;
    private long other;
    private String lastError;
    private String lastVenueError;

    /** the channel of the message being decoded, for the error path */
    private int channel;
    /** the instrument of the level2 event being decoded, or NO_PRODUCT / UNKNOWN_PRODUCT */
    private int product;

    /** decodes for the registry's Coinbase instruments, whose venue symbols are the product ids */
    public CoinbaseAdvancedTradeDecoder(InstrumentRegistry registry, FeedSink sink) {
        this(registry, SymbolIndex.of(registry, Venue.COINBASE), sink, DEFAULT_MAX_LEVELS_PER_EVENT);
    }

    /**
     * @param symbols           product ids ("BTC-USD") to ids of Coinbase instruments in {@code registry}
     * @param maxLevelsPerEvent the most levels one snapshot or update may hold
     */
    public CoinbaseAdvancedTradeDecoder(InstrumentRegistry registry, SymbolIndex symbols, FeedSink sink, int maxLevelsPerEvent) {
        this.registry = registry;
        this.symbols = symbols;
        this.sink = sink;
        this.books = new CoinbaseBooks(registry, sink);
        this.levels = new LevelBuffer(maxLevelsPerEvent);
    }

    /** Decodes one WebSocket text message of the connection. */
    public void onMessage(CharSequence message) {
        messages++;
        channel = UNREAD;
        product = NO_PRODUCT;
        long sequence = -1;
        boolean sequenced = false;
        try {
            json.reset(message);
            if (json.next() != JsonScanner.Token.BEGIN_OBJECT) {
                throw new MalformedMessageException("expected an object", message, json.start());
            }
            int eventsStart = -1;
            boolean error = false;
            while (json.next() == JsonScanner.Token.FIELD) {
                if (json.is("channel")) {
                    string(json, message);
                    channel = json.is("l2_data") ? LEVEL2 : json.is("market_trades") ? MARKET_TRADES : json.is("ticker") ? TICKER
                            : json.is("heartbeats") ? HEARTBEATS : json.is("subscriptions") ? SUBSCRIPTIONS : OTHER;
                } else if (json.is("sequence_num")) {
                    json.next();
                    sequence = json.asLong();
                    if (sequence < 0) {
                        throw new MalformedMessageException("sequence_num must not be negative", message, json.start());
                    }
                } else if (json.is("events")) {
                    if (json.next() != JsonScanner.Token.BEGIN_ARRAY) {
                        throw new MalformedMessageException("expected an array of events", message, json.start());
                    }
                    eventsStart = json.start();
                    json.skipValue();
                } else if (json.is("type")) {
                    json.next();
                    error = json.is("error");
                } else {
                    json.skipValue();
                }
            }
            if (json.token() != JsonScanner.Token.END_OBJECT) {
                throw new MalformedMessageException("expected a field or the end of the message, found " + json.token(), message, json.start());
            }
            if (json.next() != JsonScanner.Token.END) {
                throw new MalformedMessageException("text after the message", message, json.start());
            }
            if (error) {
                venueErrors++;
                lastVenueError = message.toString();
                return;
            }
            if (sequence < 0) {
                throw new MalformedMessageException("message without sequence_num", message, 0);
            }
            sequenced = true;
            if (!inSequence(sequence)) {
                return;
            }
            if (channel == UNREAD) {
                throw new MalformedMessageException("message without channel", message, 0);
            }
            if (eventsStart < 0 && channel != OTHER) {
                throw new MalformedMessageException("message without events", message, 0);
            }
            switch (channel) {
                case LEVEL2 -> level2(message, eventsStart, sequence);
                case MARKET_TRADES -> trades(message, eventsStart);
                case TICKER -> tickers(message, eventsStart, sequence);
                case HEARTBEATS -> heartbeats++;
                case SUBSCRIPTIONS -> subscriptions++;
                default -> other++;
            }
        } catch (MalformedMessageException | FixedPointException e) {
            malformed++;
            lastError = e.getMessage();
            if (!sequenced && sequence >= 0 && !inSequence(sequence)) {
                return; // late: ignored whatever it held
            }
            if (product >= 0) {
                books.invalidate(product, MALFORMED_LEVEL2);
            } else if (product == NO_PRODUCT && (channel == LEVEL2 || channel == UNREAD && sequence >= 0)) {
                books.invalidateAll(UNREADABLE_LEVEL2);
            }
        }
    }

    /**
     * The per-connection sequence check.
     *
     * @return false when the message is late (its number is not above the last) and is to be ignored
     */
    private boolean inSequence(long sequence) {
        if (lastSequence >= 0) {
            if (sequence <= lastSequence) {
                late++;
                return false;
            }
            if (sequence != lastSequence + 1) {
                gaps++;
                books.invalidateAll(GAP);
            }
        }
        lastSequence = sequence;
        return true;
    }

    private void level2(CharSequence message, int eventsStart, long sequence) {
        events.reset(json, eventsStart, message.length());
        events.next();
        while (events.next() == JsonScanner.Token.BEGIN_OBJECT) {
            int type = 0;
            int updatesStart = -1;
            Instrument instrument = null;
            while (events.next() == JsonScanner.Token.FIELD) {
                if (events.is("type")) {
                    string(events, message);
                    type = events.is("snapshot") ? SNAPSHOT : events.is("update") ? UPDATE : -1;
                    if (type < 0) {
                        throw new MalformedMessageException("level2 event type is neither snapshot nor update", message, events.start());
                    }
                } else if (events.is("product_id")) {
                    string(events, message);
                    instrument = level2Product(message);
                } else if (events.is("updates")) {
                    if (events.next() != JsonScanner.Token.BEGIN_ARRAY) {
                        throw new MalformedMessageException("expected an array of updates", message, events.start());
                    }
                    updatesStart = events.start();
                    events.skipValue();
                } else {
                    events.skipValue();
                }
            }
            if (events.token() != JsonScanner.Token.END_OBJECT) {
                throw new MalformedMessageException("expected a field or the end of a level2 event", message, events.start());
            }
            if (instrument == null || type == 0 || updatesStart < 0) {
                throw new MalformedMessageException("level2 event without product_id, type or updates", message, events.start());
            }
            levels.clear();
            updates(message, updatesStart, instrument);
            books.apply(product, type == SNAPSHOT, levels, sequence);
            product = NO_PRODUCT;
        }
        if (events.token() != JsonScanner.Token.END_ARRAY) {
            throw new MalformedMessageException("expected a level2 event or the end of events", message, events.start());
        }
    }

    /** the product at the events scanner, remembered as the event's product for the error path */
    private Instrument level2Product(CharSequence message) {
        int id = symbols.find(json.chars(), events.start(), events.end());
        if (!books.has(id)) {
            product = UNKNOWN_PRODUCT;
            throw new MalformedMessageException("unknown product", message, events.start());
        }
        product = id;
        return registry.get(id);
    }

    /** {@code [{"side","event_time","price_level","new_quantity"}, ..]} at {@code start} into the level buffer */
    private void updates(CharSequence message, int start, Instrument instrument) {
        items.reset(json, start, message.length());
        items.next();
        while (items.next() == JsonScanner.Token.BEGIN_OBJECT) {
            int side = 0;
            long price = -1;
            long quantity = -1;
            while (items.next() == JsonScanner.Token.FIELD) {
                if (items.is("side")) {
                    string(items, message);
                    side = items.is("bid") ? 1 : items.is("offer") || items.is("ask") ? 2 : -1;
                    if (side < 0) {
                        throw new MalformedMessageException("side is neither bid nor offer", message, items.start());
                    }
                } else if (items.is("price_level")) {
                    string(items, message);
                    price = instrument.priceTicks(json.chars(), items.start(), items.end());
                    if (price <= 0) {
                        throw new MalformedMessageException("price_level must be positive", message, items.start());
                    }
                } else if (items.is("new_quantity")) {
                    string(items, message);
                    quantity = instrument.quantityLots(json.chars(), items.start(), items.end());
                    if (quantity < 0) {
                        throw new MalformedMessageException("new_quantity must not be negative", message, items.start());
                    }
                } else {
                    items.skipValue();
                }
            }
            if (items.token() != JsonScanner.Token.END_OBJECT || side == 0 || price < 0 || quantity < 0) {
                throw new MalformedMessageException("expected an update with side, price_level and new_quantity", message, items.start());
            }
            levels.add(side == 1, price, quantity, message, items.start());
        }
        if (items.token() != JsonScanner.Token.END_ARRAY) {
            throw new MalformedMessageException("expected an update or the end of updates", message, items.start());
        }
    }

    private void trades(CharSequence message, int eventsStart) {
        events.reset(json, eventsStart, message.length());
        events.next();
        while (events.next() == JsonScanner.Token.BEGIN_OBJECT) {
            int type = 0;
            int tradesStart = -1;
            while (events.next() == JsonScanner.Token.FIELD) {
                if (events.is("type")) {
                    string(events, message);
                    type = events.is("snapshot") ? SNAPSHOT : events.is("update") ? UPDATE : -1;
                } else if (events.is("trades")) {
                    if (events.next() != JsonScanner.Token.BEGIN_ARRAY) {
                        throw new MalformedMessageException("expected an array of trades", message, events.start());
                    }
                    tradesStart = events.start();
                    events.skipValue();
                } else {
                    events.skipValue();
                }
            }
            if (events.token() != JsonScanner.Token.END_OBJECT || tradesStart < 0) {
                throw new MalformedMessageException("expected a market_trades event with trades", message, events.start());
            }
            if (type == UPDATE) {
                tradeList(message, tradesStart);
            } else if (type == SNAPSHOT) {
                history++;
            } else {
                throw new MalformedMessageException("market_trades event type is neither snapshot nor update", message, events.start());
            }
        }
        if (events.token() != JsonScanner.Token.END_ARRAY) {
            throw new MalformedMessageException("expected a market_trades event or the end of events", message, events.start());
        }
    }

    /** {@code [{"trade_id","product_id","price","size","side","time"}, ..]}: each into the sink */
    private void tradeList(CharSequence message, int start) {
        items.reset(json, start, message.length());
        items.next();
        while (items.next() == JsonScanner.Token.BEGIN_OBJECT) {
            int productStart = -1;
            int productEnd = -1;
            int priceStart = -1;
            int priceEnd = -1;
            int sizeStart = -1;
            int sizeEnd = -1;
            Side aggressor = null;
            long tradeId = -1;
            long time = Long.MIN_VALUE;
            while (items.next() == JsonScanner.Token.FIELD) {
                if (items.is("product_id")) {
                    string(items, message);
                    productStart = items.start();
                    productEnd = items.end();
                } else if (items.is("price")) {
                    string(items, message);
                    priceStart = items.start();
                    priceEnd = items.end();
                } else if (items.is("size")) {
                    string(items, message);
                    sizeStart = items.start();
                    sizeEnd = items.end();
                } else if (items.is("side")) {
                    string(items, message);
                    // the maker's side: a resting buy that was hit means the aggressor sold
                    aggressor = items.is("BUY") || items.is("buy") ? Side.SELL : items.is("SELL") || items.is("sell") ? Side.BUY : null;
                    if (aggressor == null) {
                        throw new MalformedMessageException("side is neither BUY nor SELL", message, items.start());
                    }
                } else if (items.is("trade_id")) {
                    items.next();
                    tradeId = items.asLong();
                } else if (items.is("time")) {
                    string(items, message);
                    time = Rfc3339.epochNanos(message, items.start(), items.end());
                } else {
                    items.skipValue();
                }
            }
            if (items.token() != JsonScanner.Token.END_OBJECT) {
                throw new MalformedMessageException("expected a field or the end of a trade", message, items.start());
            }
            if (productStart < 0 || priceStart < 0 || sizeStart < 0 || aggressor == null || tradeId < 0 || time == Long.MIN_VALUE) {
                throw new MalformedMessageException("trade without product_id, price, size, side, trade_id or time", message, items.start());
            }
            Instrument instrument = instrument(message, productStart, productEnd);
            long price = instrument.priceTicks(json.chars(), priceStart, priceEnd);
            long size = instrument.quantityLots(json.chars(), sizeStart, sizeEnd);
            if (price <= 0 || size <= 0) {
                throw new MalformedMessageException("trade price and size must be positive", message, priceStart);
            }
            sink.trade(instrument.id(), aggressor, price, size, tradeId, time);
            trades++;
        }
        if (items.token() != JsonScanner.Token.END_ARRAY) {
            throw new MalformedMessageException("expected a trade or the end of trades", message, items.start());
        }
    }

    private void tickers(CharSequence message, int eventsStart, long sequence) {
        events.reset(json, eventsStart, message.length());
        events.next();
        while (events.next() == JsonScanner.Token.BEGIN_OBJECT) {
            int tickersStart = -1;
            while (events.next() == JsonScanner.Token.FIELD) {
                if (events.is("tickers")) {
                    if (events.next() != JsonScanner.Token.BEGIN_ARRAY) {
                        throw new MalformedMessageException("expected an array of tickers", message, events.start());
                    }
                    tickersStart = events.start();
                    events.skipValue();
                } else {
                    events.skipValue();
                }
            }
            if (events.token() != JsonScanner.Token.END_OBJECT || tickersStart < 0) {
                throw new MalformedMessageException("expected a ticker event with tickers", message, events.start());
            }
            tickerList(message, tickersStart, sequence);
        }
        if (events.token() != JsonScanner.Token.END_ARRAY) {
            throw new MalformedMessageException("expected a ticker event or the end of events", message, events.start());
        }
    }

    /** {@code [{"product_id","best_bid","best_bid_quantity","best_ask","best_ask_quantity",..}, ..]} */
    private void tickerList(CharSequence message, int start, long sequence) {
        items.reset(json, start, message.length());
        items.next();
        while (items.next() == JsonScanner.Token.BEGIN_OBJECT) {
            int productStart = -1;
            int productEnd = -1;
            int bidStart = -1;
            int bidEnd = -1;
            int bidQtyStart = -1;
            int bidQtyEnd = -1;
            int askStart = -1;
            int askEnd = -1;
            int askQtyStart = -1;
            int askQtyEnd = -1;
            while (items.next() == JsonScanner.Token.FIELD) {
                if (items.is("product_id")) {
                    string(items, message);
                    productStart = items.start();
                    productEnd = items.end();
                } else if (items.is("best_bid")) {
                    string(items, message);
                    bidStart = items.start();
                    bidEnd = items.end();
                } else if (items.is("best_bid_quantity")) {
                    string(items, message);
                    bidQtyStart = items.start();
                    bidQtyEnd = items.end();
                } else if (items.is("best_ask")) {
                    string(items, message);
                    askStart = items.start();
                    askEnd = items.end();
                } else if (items.is("best_ask_quantity")) {
                    string(items, message);
                    askQtyStart = items.start();
                    askQtyEnd = items.end();
                } else {
                    items.skipValue();
                }
            }
            if (items.token() != JsonScanner.Token.END_OBJECT || productStart < 0) {
                throw new MalformedMessageException("expected a ticker with product_id", message, items.start());
            }
            Instrument instrument = instrument(message, productStart, productEnd);
            // ticker_batch-like tickers, or an empty side of the book, come without a best bid/ask
            if (bidStart < 0 || askStart < 0 || bidStart == bidEnd || askStart == askEnd) {
                tickersWithoutQuote++;
                continue;
            }
            long bid = instrument.priceTicks(json.chars(), bidStart, bidEnd);
            long ask = instrument.priceTicks(json.chars(), askStart, askEnd);
            long bidQty = bidQtyStart < bidQtyEnd ? instrument.quantityLots(json.chars(), bidQtyStart, bidQtyEnd) : 0;
            long askQty = askQtyStart < askQtyEnd ? instrument.quantityLots(json.chars(), askQtyStart, askQtyEnd) : 0;
            if (bid <= 0 || ask <= 0 || bidQty < 0 || askQty < 0) {
                throw new MalformedMessageException("ticker best bid/ask must be positive", message, bidStart);
            }
            sink.bestBidOffer(instrument.id(), bid, bidQty, ask, askQty, sequence);
            tickers++;
        }
        if (items.token() != JsonScanner.Token.END_ARRAY) {
            throw new MalformedMessageException("expected a ticker or the end of tickers", message, items.start());
        }
    }

    private Instrument instrument(CharSequence message, int start, int end) {
        int id = symbols.find(json.chars(), start, end);
        if (!books.has(id)) {
            throw new MalformedMessageException("unknown product", message, start);
        }
        return registry.get(id);
    }

    /** moves the scanner to the value of the current field, which must be a string */
    private static void string(JsonScanner scanner, CharSequence message) {
        if (scanner.next() != JsonScanner.Token.STRING) {
            throw new MalformedMessageException("expected a string", message, scanner.start());
        }
    }

    /**
     * A new connection replaces the old one: the sequence restarts, the old connection's books are
     * invalid until the new one sends their snapshots, and no resubscription is owed.
     */
    public void newConnection() {
        lastSequence = -1;
        books.newConnection(NEW_CONNECTION);
    }

    /**
     * Whether a book of this connection was lost (a sequence gap, an unreadable level2 message) and
     * the session should unsubscribe and resubscribe {@code level2} (or reconnect) to get new
     * snapshots. Stays up until {@link #resubscribed()}.
     */
    public boolean needsResubscribe() {
        return books.needsResubscribe();
    }

    /** the session has sent the resubscription: the request drops until the next lost book */
    public void resubscribed() {
        books.resubscribed();
    }

    /**
     * Which books the resubscribe request is for: one product's (resubscribe it), unless
     * {@link #connectionLost()}. Read before {@link #resubscribed()}, which clears it.
     */
    public boolean lost(int instrumentId) {
        return books.lost(instrumentId);
    }

    /**
     * The feed is resubscribing the product: its book is invalid and its updates dropped until the
     * new subscription's snapshot.
     */
    public void resubscribing(int instrumentId, String reason) {
        books.resubscribing(instrumentId, reason);
    }

    /** whether the resubscribe request concerns every book of the connection (a lost message of unknown product) */
    public boolean connectionLost() {
        return books.connectionLost();
    }

    /** how often the resubscribe request rose */
    public long resubscribeRequests() {
        return books.resubscribeRequests();
    }

    /** whether the connection vouches for the instrument's book: a snapshot and no lost message since */
    public boolean valid(int instrumentId) {
        return books.valid(instrumentId);
    }

    /** the last {@code sequence_num} accepted, -1 before the first */
    public long lastSequence() {
        return lastSequence;
    }

    public long messages() {
        return messages;
    }

    public long malformed() {
        return malformed;
    }

    /** sequence gaps: times a message carried a number above the last plus one */
    public long gaps() {
        return gaps;
    }

    /** messages ignored because their number was not above the last */
    public long late() {
        return late;
    }

    public long snapshots() {
        return books.snapshots();
    }

    /** level2 update events passed on */
    public long updates() {
        return books.updates();
    }

    /** level2 update events that arrived while their book was invalid, waiting for a snapshot */
    public long droppedWhileInvalid() {
        return books.droppedWhileInvalid();
    }

    /** trades passed to the sink */
    public long trades() {
        return trades;
    }

    /** market_trades snapshots (recent trades sent on subscribing), not passed on */
    public long history() {
        return history;
    }

    /** tickers passed to the sink as best bid/offer */
    public long tickers() {
        return tickers;
    }

    /** tickers without a best bid or ask, not passed on */
    public long tickersWithoutQuote() {
        return tickersWithoutQuote;
    }

    public long heartbeats() {
        return heartbeats;
    }

    public long subscriptions() {
        return subscriptions;
    }

    /** messages of channels this decoder does not read (candles, status, ..) */
    public long other() {
        return other;
    }

    /** {@code "type":"error"} messages from the venue */
    public long venueErrors() {
        return venueErrors;
    }

    /** the last error message from the venue, as received, or null */
    public String lastVenueError() {
        return lastVenueError;
    }

    /** the last malformed message's description, or null */
    public String lastError() {
        return lastError;
    }
}
