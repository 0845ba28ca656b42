package io.mme.connectors.coinbase;

import io.mme.core.instrument.FixedPointException;
import io.mme.core.instrument.Instrument;
import io.mme.core.instrument.InstrumentRegistry;
import io.mme.core.instrument.Venue;
import io.mme.core.ring.Side;
import io.mme.marketdata.FeedSink;
import io.mme.marketdata.JsonScanner;
import io.mme.marketdata.LayoutReader;
import io.mme.marketdata.MalformedMessageException;
import io.mme.marketdata.Rfc3339;
import io.mme.marketdata.SymbolIndex;

import java.util.Arrays;

/**
 * Reads one connection of the legacy Coinbase Exchange WebSocket feed
 * ({@code wss://ws-feed.exchange.coinbase.com}, formerly {@code ws-feed.pro.coinbase.com}) into
 * normalised {@link FeedSink} calls. Every message is one flat object with a {@code type}:
 * <ul>
 *   <li>{@code snapshot} ({@code level2}): {@code bids}/{@code asks} as {@code [price, size]}:
 *       clear, every level, endOfMessage; the book becomes valid;</li>
 *   <li>{@code l2update}: {@code changes} as {@code [side, price, size]}, side {@code buy} or
 *       {@code sell}, size absolute, {@code "0"} removes: the levels and endOfMessage;</li>
 *   <li>{@code ticker}: {@code best_bid}/{@code best_ask} (and {@code best_bid_size}/
 *       {@code best_ask_size} where the feed sends them; 0 lots where not) into
 *       {@link FeedSink#bestBidOffer} with the ticker's {@code sequence};</li>
 *   <li>{@code match}: a {@link FeedSink#trade}; {@code side} is the maker's, so {@code sell} (a
 *       resting sell was hit) is a BUY aggressor. {@code last_match}, sent once on subscribing, is
 *       the trade before the subscription: history, counted and used only as the starting trade
 *       id;</li>
 *   <li>{@code subscriptions}, {@code heartbeat}, {@code error} and other types are counted.</li>
 * </ul>
 *
 * <p>What can and cannot be checked (VENUES.md appendix 4): {@code l2update} carries no sequence
 * number, so a lost level2 message cannot be detected from level2 alone. Coinbase describes
 * {@code level2} as the channel with guaranteed delivery; this decoder relies on that and checks
 * what the messages allow:
 * <ol>
 *   <li>an {@code l2update} is applied only to a book whose snapshot this connection sent; others
 *       are dropped and counted;</li>
 *   <li>an {@code l2update}'s {@code time} must not be earlier than that of the previous one
 *       applied to its product's book: an earlier one arrived out of order, and the book is
 *       invalid;</li>
 *   <li>{@code ticker} and {@code match} carry the product's {@code sequence}: one at or below the
 *       last seen (per product and type) is late and ignored; jumps are normal (the counter also
 *       counts the product's order events, so a jump is no gap);</li>
 *   <li>{@code match} trade ids are consecutive per product: a jump means matches were lost on
 *       this connection. It is counted ({@link #tradeIdGaps()}), not held against the book, since
 *       level2 delivery is the guaranteed one;</li>
 *   <li>a crossed book is what the market data engine checks at each endOfMessage.</li>
 * </ol>
 * The heartbeat channel's {@code last_trade_id} could check for lost matches between trades; it
 * is not read yet (the recording has no heartbeats).
 *
 * <p>Malformed messages are counted and never thrown. A broken {@code snapshot} or
 * {@code l2update} of a known product marks that book invalid; a broken message whose type or
 * product could not be read marks every book of the connection invalid, since with no sequence
 * number nothing else would tell whether it was book data. A book lost this way raises the
 * resubscribe request ({@link #needsResubscribe()}): a new {@code level2} subscription sends new
 * snapshots.
 *
 * <p>The {@code venueSequence} of book calls is this decoder's message count (level2 has none); of
 * best bid/offer calls the ticker's {@code sequence}.
 *
 * <p>Two paths, one answer: an {@code l2update} in the venue's own layout (type, product_id,
 * changes, time in that order, no white space, plain decimals) is read by a {@link LayoutReader}
 * that compares whole literals and converts prices and sizes as it passes them; anything else,
 * including every message the fast path is not sure of, is read from the start by the general
 * token loop, which gives the named error of a bad message. The fast path changes nothing before
 * it has read the whole message, so a message it gives up on is read as if it had not been tried
 * (docs/PERFORMANCE.md, issue 15 point 4).
 *
 * <p>Allocation: none per message (text scanned in place, levels collected in a preallocated
 * {@link LevelBuffer}, timestamps converted by hand).
 *
 * <p>Thread: the connection's decoding thread owns the decoder and everything it holds.
 */
public final class CoinbaseExchangeDecoder {
    static final String OUT_OF_ORDER = "l2update earlier than the previous one of its product";
    static final String MALFORMED_LEVEL2 = "malformed level2 message";
    static final String UNREADABLE = "unreadable message: it may have been level2 data for any product";
    static final String NEW_CONNECTION = "new connection: waiting for its snapshot";

    private static final int UNREAD = 0;
    private static final int SNAPSHOT = 1;
    private static final int L2UPDATE = 2;
    private static final int TICKER = 3;
    private static final int MATCH = 4;
    private static final int LAST_MATCH = 5;
    private static final int SUBSCRIPTIONS = 6;
    private static final int HEARTBEAT = 7;
    private static final int ERROR = 8;
    private static final int OTHER = 9;

    private static final int NO_PRODUCT = -1;
    private static final int UNKNOWN_PRODUCT = -2;

    private final InstrumentRegistry registry;
    private final SymbolIndex symbols;
    private final FeedSink sink;
    private final CoinbaseBooks books;
    private final LevelBuffer levels;
    private final JsonScanner json = new JsonScanner();
    private final JsonScanner items = new JsonScanner();
    /** the fast path over {@link #json}'s characters */
    private final LayoutReader layout = new LayoutReader();
    /** whether the fast path is tried (tests turn it off to compare the two paths) */
    private final boolean fastPath;

    private final long[] lastTickerSequence;
    private final long[] lastMatchSequence;
    private final long[] lastTradeId;
    private final long[] lastUpdateTime;

    private long messages;
    /** messages the fast path read */
    private long fastPathMessages;
    private long malformed;
    private long outOfOrder;
    private long late;
    private long tradeIdGaps;
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

    /** the type of the message being decoded, for the error path */
    private int type;
    /** the instrument the message names, or NO_PRODUCT / UNKNOWN_PRODUCT */
    private int product;

    /** decodes for the registry's Coinbase instruments, whose venue symbols are the product ids */
    public CoinbaseExchangeDecoder(InstrumentRegistry registry, FeedSink sink) {
        this(registry, SymbolIndex.of(registry, Venue.COINBASE), sink, CoinbaseAdvancedTradeDecoder.DEFAULT_MAX_LEVELS_PER_EVENT);
    }

    /**
     * @param symbols             product ids ("BTC-USD") to ids of Coinbase instruments in {@code registry}
     * @param maxLevelsPerMessage the most levels one snapshot or l2update may hold
     */
    public CoinbaseExchangeDecoder(InstrumentRegistry registry, SymbolIndex symbols, FeedSink sink, int maxLevelsPerMessage) {
        this(registry, symbols, sink, maxLevelsPerMessage, true);
    }

    /** {@code fastPath} false reads every message with the general token loop: for tests that compare the two */
    CoinbaseExchangeDecoder(InstrumentRegistry registry, SymbolIndex symbols, FeedSink sink, int maxLevelsPerMessage, boolean fastPath) {
        this.fastPath = fastPath;
        this.registry = registry;
        this.symbols = symbols;
        this.sink = sink;
        this.books = new CoinbaseBooks(registry, sink);
        this.levels = new LevelBuffer(maxLevelsPerMessage);
        int n = registry.size();
        this.lastTickerSequence = new long[n];
        this.lastMatchSequence = new long[n];
        this.lastTradeId = new long[n];
        this.lastUpdateTime = new long[n];
        forgetPerProductState();
    }

    /** Decodes one WebSocket text message of the connection. */
    public void onMessage(CharSequence message) {
        messages++;
        type = UNREAD;
        product = NO_PRODUCT;
        try {
            json.reset(message);
            if (fastPath && usualL2update(message)) {
                return;
            }
            if (json.next() != JsonScanner.Token.BEGIN_OBJECT) {
                throw new MalformedMessageException("expected an object", message, json.start());
            }
            int bidsStart = -1;
            int asksStart = -1;
            int changesStart = -1;
            boolean changesRead = false;
            long sequence = -1;
            long tradeId = -1;
            Side maker = null;
            int priceStart = -1;
            int priceEnd = -1;
            int sizeStart = -1;
            int sizeEnd = -1;
            int timeStart = -1;
            int timeEnd = -1;
            int bidStart = -1;
            int bidEnd = -1;
            int bidSizeStart = -1;
            int bidSizeEnd = -1;
            int askStart = -1;
            int askEnd = -1;
            int askSizeStart = -1;
            int askSizeEnd = -1;
            while (json.next() == JsonScanner.Token.FIELD) {
                if (json.is("type")) {
                    string(message);
                    type = typeOf();
                } else if (json.is("product_id")) {
                    string(message);
                    int id = symbols.find(json.chars(), json.start(), json.end());
                    product = books.has(id) ? id : UNKNOWN_PRODUCT;
                } else if (json.is("bids")) {
                    bidsStart = arrayStart(message);
                } else if (json.is("asks")) {
                    asksStart = arrayStart(message);
                } else if (json.is("changes")) {
                    if (type == L2UPDATE && product >= 0) {
                        // the usual order (type and product first): read the changes in this pass instead of skipping
                        // them and scanning them again; a repeated field replaces them, as the deferred reading does
                        if (json.next() != JsonScanner.Token.BEGIN_ARRAY) {
                            throw new MalformedMessageException("expected an array", message, json.start());
                        }
                        levels.clear();
                        changes(message, json, registry.get(product));
                        changesRead = true;
                        changesStart = -1;
                    } else {
                        changesStart = arrayStart(message);
                        changesRead = false;
                    }
                } else if (json.is("sequence")) {
                    json.next();
                    sequence = json.asLong();
                } else if (json.is("trade_id")) {
                    json.next();
                    tradeId = json.asLong();
                } else if (json.is("side")) {
                    string(message);
                    maker = json.is("buy") ? Side.BUY : json.is("sell") ? Side.SELL : null;
                    if (maker == null) {
                        throw new MalformedMessageException("side is neither buy nor sell", message, json.start());
                    }
                } else if (json.is("price")) {
                    string(message);
                    priceStart = json.start();
                    priceEnd = json.end();
                } else if (json.is("size")) {
                    string(message);
                    sizeStart = json.start();
                    sizeEnd = json.end();
                } else if (json.is("time")) {
                    string(message);
                    timeStart = json.start();
                    timeEnd = json.end();
                } else if (json.is("best_bid")) {
                    string(message);
                    bidStart = json.start();
                    bidEnd = json.end();
                } else if (json.is("best_bid_size")) {
                    string(message);
                    bidSizeStart = json.start();
                    bidSizeEnd = json.end();
                } else if (json.is("best_ask")) {
                    string(message);
                    askStart = json.start();
                    askEnd = json.end();
                } else if (json.is("best_ask_size")) {
                    string(message);
                    askSizeStart = json.start();
                    askSizeEnd = json.end();
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
            switch (type) {
                case SNAPSHOT -> {
                    Instrument instrument = instrument(message);
                    if (bidsStart < 0 || asksStart < 0) {
                        throw new MalformedMessageException("snapshot without bids or asks", message, 0);
                    }
                    levels.clear();
                    pairs(message, bidsStart, instrument, true);
                    pairs(message, asksStart, instrument, false);
                    books.apply(product, true, levels, messages);
                    lastUpdateTime[product] = Long.MIN_VALUE;
                }
                case L2UPDATE -> {
                    Instrument instrument = instrument(message);
                    if (changesStart < 0 && !changesRead) {
                        throw new MalformedMessageException("l2update without changes", message, 0);
                    }
                    long time = timeStart < 0 ? Long.MIN_VALUE : Rfc3339.epochNanos(json.chars(), message, timeStart, timeEnd);
                    if (!changesRead) {
                        levels.clear();
                        items.reset(json, changesStart, message.length());
                        items.next();
                        changes(message, items, instrument);
                    }
                    l2update(time);
                }
                case TICKER -> ticker(message, sequence, bidStart, bidEnd, bidSizeStart, bidSizeEnd, askStart, askEnd, askSizeStart, askSizeEnd);
                case MATCH -> {
                    Instrument instrument = instrument(message);
                    if (sequence < 0 || tradeId < 0 || maker == null || priceStart < 0 || sizeStart < 0 || timeStart < 0) {
                        throw new MalformedMessageException("match without sequence, trade_id, side, price, size or time", message, 0);
                    }
                    match(message, instrument, sequence, tradeId, maker, priceStart, priceEnd, sizeStart, sizeEnd, timeStart, timeEnd);
                }
                case LAST_MATCH -> {
                    Instrument instrument = instrument(message);
                    if (sequence < 0 || tradeId < 0) {
                        throw new MalformedMessageException("last_match without sequence or trade_id", message, 0);
                    }
                    lastMatchSequence[instrument.id()] = sequence;
                    lastTradeId[instrument.id()] = tradeId;
                    history++;
                }
                case SUBSCRIPTIONS -> subscriptions++;
                case HEARTBEAT -> heartbeats++;
                case ERROR -> {
                    venueErrors++;
                    lastVenueError = message.toString();
                }
                case OTHER -> other++;
                default -> throw new MalformedMessageException("message without type", message, 0);
            }
        } catch (MalformedMessageException | FixedPointException e) {
            malformed++;
            lastError = e.getMessage();
            if (type == SNAPSHOT || type == L2UPDATE || type == UNREAD) {
                if (product >= 0) {
                    books.invalidate(product, MALFORMED_LEVEL2);
                } else if (product == NO_PRODUCT) {
                    books.invalidateAll(UNREADABLE);
                }
            }
        }
    }

    /**
     * The fast path: {@code {"type":"l2update","product_id":..,"changes":[..],"time":..}} of a
     * product of this connection, read and applied; false, having changed nothing, for any other
     * text (the general path then reads it from the start).
     */
    private boolean usualL2update(CharSequence message) {
        char[] chars = json.chars();
        LayoutReader r = layout.reset(chars, 0, message.length());
        if (!r.skip("{\"type\":\"l2update\",\"product_id\":\"")) {
            return false;
        }
        int productStart = r.pos();
        int productEnd = r.stringEnd();
        if (productEnd < 0 || !r.skip(",\"changes\":[")) {
            return false;
        }
        int id = symbols.find(chars, productStart, productEnd);
        if (!books.has(id)) {
            return false;
        }
        Instrument instrument = registry.get(id);
        levels.clear();
        if (!r.skip(']')) {
            do {
                boolean bid;
                if (r.skip("[\"buy\",")) {
                    bid = true;
                } else if (r.skip("[\"sell\",")) {
                    bid = false;
                } else {
                    return false;
                }
                long price = r.steps(instrument.tick());
                if (price <= 0 || !r.skip(',')) {
                    return false;
                }
                long size = r.steps(instrument.lot());
                if (size < 0 || !r.skip(']') || levels.full()) {
                    return false;
                }
                levels.add(bid, price, size, message, r.pos());
            } while (r.skip(','));
            if (!r.skip(']')) {
                return false;
            }
        }
        if (!r.skip(",\"time\":\"")) {
            return false;
        }
        int timeStart = r.pos();
        int timeEnd = r.stringEnd();
        if (timeEnd < 0 || !r.skip('}') || !r.atEnd()) {
            return false;
        }
        long time = Rfc3339.epochNanosOrMin(chars, timeStart, timeEnd);
        if (time == Long.MIN_VALUE) {
            return false; // not the usual form, or not a time: the general path reads it (and names the error)
        }
        type = L2UPDATE;
        product = id;
        fastPathMessages++;
        l2update(time);
        return true;
    }

    private int typeOf() {
        return json.is("snapshot") ? SNAPSHOT : json.is("l2update") ? L2UPDATE : json.is("ticker") ? TICKER
                : json.is("match") ? MATCH : json.is("last_match") ? LAST_MATCH : json.is("subscriptions") ? SUBSCRIPTIONS
                : json.is("heartbeat") ? HEARTBEAT : json.is("error") ? ERROR : OTHER;
    }

    /** the collected changes of an l2update at {@code time} (MIN_VALUE when it carries none) */
    private void l2update(long time) {
        if (books.valid(product) && time < lastUpdateTime[product]) {
            outOfOrder++;
            books.invalidate(product, OUT_OF_ORDER);
            return;
        }
        if (books.valid(product) && time != Long.MIN_VALUE) {
            lastUpdateTime[product] = time;
        }
        books.apply(product, false, levels, messages);
    }

    private void ticker(CharSequence message, long sequence, int bidStart, int bidEnd, int bidSizeStart, int bidSizeEnd,
                        int askStart, int askEnd, int askSizeStart, int askSizeEnd) {
        Instrument instrument = instrument(message);
        int id = instrument.id();
        if (sequence < 0) {
            throw new MalformedMessageException("ticker without sequence", message, 0);
        }
        if (sequence <= lastTickerSequence[id]) {
            late++;
            return;
        }
        lastTickerSequence[id] = sequence;
        if (bidStart < 0 || askStart < 0 || bidStart == bidEnd || askStart == askEnd) {
            tickersWithoutQuote++;
            return;
        }
        long bid = instrument.priceTicks(json.chars(), bidStart, bidEnd);
        long ask = instrument.priceTicks(json.chars(), askStart, askEnd);
        long bidSize = bidSizeStart < bidSizeEnd ? instrument.quantityLots(json.chars(), bidSizeStart, bidSizeEnd) : 0;
        long askSize = askSizeStart < askSizeEnd ? instrument.quantityLots(json.chars(), askSizeStart, askSizeEnd) : 0;
        if (bid <= 0 || ask <= 0 || bidSize < 0 || askSize < 0) {
            throw new MalformedMessageException("ticker best bid/ask must be positive", message, bidStart);
        }
        sink.bestBidOffer(id, bid, bidSize, ask, askSize, sequence);
        tickers++;
    }

    private void match(CharSequence message, Instrument instrument, long sequence, long tradeId, Side maker,
                       int priceStart, int priceEnd, int sizeStart, int sizeEnd, int timeStart, int timeEnd) {
        int id = instrument.id();
        long price = instrument.priceTicks(json.chars(), priceStart, priceEnd);
        long size = instrument.quantityLots(json.chars(), sizeStart, sizeEnd);
        long time = Rfc3339.epochNanos(json.chars(), message, timeStart, timeEnd);
        if (price <= 0 || size <= 0) {
            throw new MalformedMessageException("match price and size must be positive", message, priceStart);
        }
        if (sequence <= lastMatchSequence[id]) {
            late++;
            return;
        }
        lastMatchSequence[id] = sequence;
        if (lastTradeId[id] >= 0 && tradeId != lastTradeId[id] + 1) {
            tradeIdGaps++;
        }
        lastTradeId[id] = tradeId;
        // the maker's side: a resting sell that was hit means the aggressor bought
        sink.trade(id, maker == Side.SELL ? Side.BUY : Side.SELL, price, size, tradeId, time);
        trades++;
    }

    /** {@code [[price, size], ..]} at {@code start} into the level buffer */
    private void pairs(CharSequence message, int start, Instrument instrument, boolean bid) {
        items.reset(json, start, message.length());
        items.next();
        while (items.next() == JsonScanner.Token.BEGIN_ARRAY) {
            long price = price(message, items, instrument);
            long size = size(message, items, instrument);
            if (items.next() != JsonScanner.Token.END_ARRAY) {
                throw new MalformedMessageException("expected the end of a [price, size] level", message, items.start());
            }
            levels.add(bid, price, size, message, items.start());
        }
        if (items.token() != JsonScanner.Token.END_ARRAY) {
            throw new MalformedMessageException("expected a level or the end of the levels", message, items.start());
        }
    }

    /** {@code [[side, price, size], ..]} into the level buffer, from {@code items} standing on the array's start */
    private void changes(CharSequence message, JsonScanner items, Instrument instrument) {
        while (items.next() == JsonScanner.Token.BEGIN_ARRAY) {
            if (items.next() != JsonScanner.Token.STRING) {
                throw new MalformedMessageException("expected a side", message, items.start());
            }
            boolean bid = items.is("buy");
            if (!bid && !items.is("sell")) {
                throw new MalformedMessageException("side is neither buy nor sell", message, items.start());
            }
            long price = price(message, items, instrument);
            long size = size(message, items, instrument);
            if (items.next() != JsonScanner.Token.END_ARRAY) {
                throw new MalformedMessageException("expected the end of a [side, price, size] change", message, items.start());
            }
            levels.add(bid, price, size, message, items.start());
        }
        if (items.token() != JsonScanner.Token.END_ARRAY) {
            throw new MalformedMessageException("expected a change or the end of the changes", message, items.start());
        }
    }

    private static long price(CharSequence message, JsonScanner items, Instrument instrument) {
        long price = items.nextSteps(instrument.tick()); // scanned and converted in one pass
        if (items.token() != JsonScanner.Token.STRING) {
            throw new MalformedMessageException("expected a price string", message, items.start());
        }
        if (price <= 0) {
            throw new MalformedMessageException("price must be positive", message, items.start());
        }
        return price;
    }

    private static long size(CharSequence message, JsonScanner items, Instrument instrument) {
        long size = items.nextSteps(instrument.lot()); // scanned and converted in one pass
        if (items.token() != JsonScanner.Token.STRING) {
            throw new MalformedMessageException("expected a size string", message, items.start());
        }
        if (size < 0) {
            throw new MalformedMessageException("size must not be negative", message, items.start());
        }
        return size;
    }

    /** after a field: the start of the array that is its value, skipped */
    private int arrayStart(CharSequence message) {
        if (json.next() != JsonScanner.Token.BEGIN_ARRAY) {
            throw new MalformedMessageException("expected an array", message, json.start());
        }
        int start = json.start();
        json.skipValue();
        return start;
    }

    /** moves the scanner to the value of the current field, which must be a string */
    private void string(CharSequence message) {
        if (json.next() != JsonScanner.Token.STRING) {
            throw new MalformedMessageException("expected a string", message, json.start());
        }
    }

    /** the message's product, which must be one of the registry's Coinbase instruments */
    private Instrument instrument(CharSequence message) {
        if (product == NO_PRODUCT) {
            throw new MalformedMessageException("message without product_id", message, 0);
        }
        if (product == UNKNOWN_PRODUCT) {
            throw new MalformedMessageException("unknown product", message, 0);
        }
        return registry.get(product);
    }

    private void forgetPerProductState() {
        Arrays.fill(lastTickerSequence, -1);
        Arrays.fill(lastMatchSequence, -1);
        Arrays.fill(lastTradeId, -1);
        Arrays.fill(lastUpdateTime, Long.MIN_VALUE);
    }

    /**
     * A new connection replaces the old one: its books are invalid until the new one sends their
     * snapshots, the per-product sequences and trade ids start afresh, no resubscription is owed.
     */
    public void newConnection() {
        forgetPerProductState();
        books.newConnection(NEW_CONNECTION);
    }

    /**
     * Whether a book of this connection was lost (an out-of-order or unreadable level2 message) and
     * the session should resubscribe {@code level2} (or reconnect) to get new snapshots. Stays up
     * until {@link #resubscribed()}.
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

    public long messages() {
        return messages;
    }

    /** messages read by the fast path (the venue's usual layout), the rest by the general token loop */
    long fastPathMessages() {
        return fastPathMessages;
    }

    public long malformed() {
        return malformed;
    }

    /** l2updates earlier than the previous one of their product */
    public long outOfOrder() {
        return outOfOrder;
    }

    /** tickers and matches ignored because their sequence was not above the last of their product */
    public long late() {
        return late;
    }

    /** matches whose trade id was not the previous one's plus one: matches lost on the connection */
    public long tradeIdGaps() {
        return tradeIdGaps;
    }

    public long snapshots() {
        return books.snapshots();
    }

    /** l2updates passed on */
    public long updates() {
        return books.updates();
    }

    /** l2updates that arrived while their book was invalid, waiting for a snapshot */
    public long droppedWhileInvalid() {
        return books.droppedWhileInvalid();
    }

    /** matches passed to the sink as trades */
    public long trades() {
        return trades;
    }

    /** last_match messages (the trade before subscribing), not passed on */
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

    /** messages of types this decoder does not read */
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
