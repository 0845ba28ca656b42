package io.mme.connectors.hyperliquid;

import io.mme.core.instrument.FixedPointException;
import io.mme.core.instrument.Instrument;
import io.mme.core.instrument.InstrumentRegistry;
import io.mme.core.instrument.Venue;
import io.mme.core.ring.Side;
import io.mme.marketdata.FeedSink;
import io.mme.marketdata.JsonScanner;
import io.mme.marketdata.L2Book;
import io.mme.marketdata.MalformedMessageException;
import io.mme.marketdata.SymbolIndex;

import java.util.Arrays;

/**
 * Reads Hyperliquid's public WebSocket messages ({@code wss://api.hyperliquid.xyz/ws}): the
 * {@code l2Book} channel into books and the {@code trades} channel into {@link FeedSink#trade}.
 *
 * <p><b>Books.</b> {@code {"channel":"l2Book","data":{"coin":"BTC","levels":[[bids],[asks]],
 * "time":ms}}}, each level {@code {"px":"105055.0","sz":"3.03622","n":5}} ({@code n}: the orders
 * at the level, read and checked but not passed on: the engine's books are by price). Every message
 * is the whole book (up to 20 levels a side, best first), so there is no sequence to check and no
 * snapshot to fetch: the book is simply replaced. A snapshot is <em>refused</em> (counted, not
 * applied, the book left as it was) when it is crossed (best bid at or above best ask) or older
 * than the last one applied for the coin (its {@code time} below the last {@code time}; an equal
 * time is accepted: the venue repeats a snapshot unchanged). A refused snapshot does not make the
 * book invalid by itself: the next good snapshot replaces it whole, and if none comes the market
 * data engine's stale rule asks for a rebuild. A malformed {@code l2Book} message for a known coin
 * (a price off the instrument's grid, a negative size, levels out of order, more than
 * {@link #MAX_LEVELS_PER_SIDE} a side) makes the book invalid until the next good snapshot.
 *
 * <p>What the sink hears: for the first snapshot of a coin (on a connection, or after the book went
 * invalid) {@code clear}, every level and {@code endOfMessage}; for each later one only the
 * difference to the previous snapshot (a level whose size changed or that is new, and a removal for
 * each level no longer there), then {@code endOfMessage}, so a valid book never passes through an
 * empty state twice a second. The {@code venueSequence} is the snapshot's {@code time} (ms).
 *
 * <p><b>Trades.</b> {@code {"channel":"trades","data":[{"coin","side":"B"|"A","px","sz","time",
 * "tid","hash","users"}]}}: {@code side} is the aggressor (B: a buyer took the ask, A: a seller
 * hit the bid). On subscribing the venue first sends the recent trades of the coin (in the shared
 * capture they are up to 50 s older than the first book): the first {@code trades} message of each
 * coin on a connection is that history and is counted as ignored, never passed on (the paper venue
 * would fill orders against it). Trades are passed on in message order.
 *
 * <p><b>Other messages.</b> {@code pong} (the answer to the client's {@code {"method":"ping"}}
 * heartbeat), {@code subscriptionResponse} and other channels are counted as events; {@code error}
 * is counted and its text kept as the last error.
 *
 * <p>Allocation: none per message (text scanned in place, symbols looked up from the slice, values
 * converted with the instrument's grids into preallocated scratch arrays). A malformed message is
 * counted and skipped, never thrown.
 *
 * <p>Thread: the feed's decoding thread; the decoder and its books belong to it.
 */
public final class HyperliquidDecoder {
    /** Hyperliquid sends 20 levels a side; room for a larger aggregation without allocating */
    public static final int MAX_LEVELS_PER_SIDE = 100;

    private static final int OTHER = 0;
    private static final int BOOK = 1;
    private static final int TRADES = 2;
    private static final int PONG = 3;
    private static final int ERROR = 4;

    private final InstrumentRegistry registry;
    private final SymbolIndex symbols;
    private final FeedSink sink;
    private final JsonScanner json = new JsonScanner();
    private final JsonScanner data = new JsonScanner();
    private final JsonScanner levels = new JsonScanner();

    /** the last applied snapshot of each coin (null for instruments that are not Hyperliquid's) */
    private final L2Book[] books;
    private final boolean[] valid;
    private final long[] lastTime;
    /** whether the coin's recent-trades history has been seen on this connection */
    private final boolean[] tradesStarted;

    private final long[][] price = new long[2][MAX_LEVELS_PER_SIDE];
    private final long[][] size = new long[2][MAX_LEVELS_PER_SIDE];
    private final int[] count = new int[2];

    private long messages;
    private long snapshots;
    private long refusedCrossed;
    private long refusedOlder;
    private long malformed;
    private long booksLostToMalformed;
    private long events;
    private long pongs;
    private long errors;
    private long trades;
    private long ignoredTrades;
    private String lastError;
    /** the instrument of the book being decoded, -1 until its coin is read */
    private int current;

    /** decodes for the registry's Hyperliquid instruments, whose venue symbols are the coins ("BTC") */
    public HyperliquidDecoder(InstrumentRegistry registry, FeedSink sink) {
        this.registry = registry;
        this.symbols = SymbolIndex.of(registry, Venue.HYPERLIQUID);
        this.sink = sink;
        this.books = new L2Book[registry.size()];
        this.valid = new boolean[registry.size()];
        this.lastTime = new long[registry.size()];
        this.tradesStarted = new boolean[registry.size()];
        for (Instrument instrument : registry.ofVenue(Venue.HYPERLIQUID)) {
            books[instrument.id()] = new L2Book(2 * MAX_LEVELS_PER_SIDE);
        }
        Arrays.fill(lastTime, Long.MIN_VALUE);
    }

    /**
     * A new connection: every book starts again from its next snapshot (sent whole, with
     * {@code clear}), the time check starts afresh and the next trades message is history again.
     */
    public void reset() {
        Arrays.fill(valid, false);
        Arrays.fill(lastTime, Long.MIN_VALUE);
        Arrays.fill(tradesStarted, false);
    }

    /** Decodes one WebSocket text message. */
    public void onMessage(CharSequence message) {
        messages++;
        current = -1;
        try {
            json.reset(message);
            if (json.next() != JsonScanner.Token.BEGIN_OBJECT) {
                throw new MalformedMessageException("expected an object", message, json.start());
            }
            int channel = OTHER;
            int dataStart = -1;
            int dataEnd = -1;
            while (json.next() == JsonScanner.Token.FIELD) {
                if (json.is("channel")) {
                    json.next();
                    channel = json.is("l2Book") ? BOOK : json.is("trades") ? TRADES : json.is("pong") ? PONG
                            : json.is("error") ? ERROR : OTHER;
                } else if (json.is("data")) {
                    JsonScanner.Token t = json.next();
                    dataStart = json.start();
                    if (t == JsonScanner.Token.BEGIN_ARRAY || t == JsonScanner.Token.BEGIN_OBJECT) {
                        json.skipValue();
                    }
                    dataEnd = json.end();
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
            switch (channel) {
                case BOOK -> {
                    if (dataStart < 0) {
                        throw new MalformedMessageException("l2Book message without data", message, 0);
                    }
                    book(message, dataStart);
                }
                case TRADES -> {
                    if (dataStart < 0) {
                        throw new MalformedMessageException("trades message without data", message, 0);
                    }
                    trades(message, dataStart);
                }
                case PONG -> pongs++;
                case ERROR -> {
                    errors++;
                    lastError = "the venue answered an error: " + (dataStart < 0 || dataEnd <= dataStart ? "" : message.subSequence(dataStart, dataEnd));
                }
                default -> events++;
            }
        } catch (MalformedMessageException | FixedPointException e) {
            malformed++;
            lastError = e.getMessage();
            if (current >= 0 && valid[current]) {
                valid[current] = false;
                booksLostToMalformed++;
                sink.invalid(current, "malformed l2Book message: " + e.getMessage());
            }
        }
    }

    private void book(CharSequence message, int dataStart) {
        data.reset(json, dataStart, message.length());
        if (data.next() != JsonScanner.Token.BEGIN_OBJECT) {
            throw new MalformedMessageException("l2Book data is not an object", message, dataStart);
        }
        int coinStart = -1;
        int coinEnd = -1;
        int levelsStart = -1;
        long time = Long.MIN_VALUE;
        while (data.next() == JsonScanner.Token.FIELD) {
            if (data.is("coin")) {
                data.next();
                coinStart = data.start();
                coinEnd = data.end();
            } else if (data.is("levels")) {
                if (data.next() != JsonScanner.Token.BEGIN_ARRAY) {
                    throw new MalformedMessageException("levels is not an array", message, data.start());
                }
                levelsStart = data.start();
                data.skipValue();
            } else if (data.is("time")) {
                if (data.next() != JsonScanner.Token.NUMBER) {
                    throw new MalformedMessageException("time is not a number", message, data.start());
                }
                time = data.asLong();
            } else {
                data.skipValue();
            }
        }
        if (data.token() != JsonScanner.Token.END_OBJECT) {
            throw new MalformedMessageException("expected a field or the end of the l2Book data", message, data.start());
        }
        Instrument instrument = instrument(message, coinStart, coinEnd);
        current = instrument.id();
        if (levelsStart < 0 || time == Long.MIN_VALUE) {
            throw new MalformedMessageException("l2Book without levels or time", message, dataStart);
        }
        levels.reset(json, levelsStart, message.length());
        levels.next();
        count[0] = 0;
        count[1] = 0;
        for (int side = 0; side < 2; side++) {
            if (levels.next() != JsonScanner.Token.BEGIN_ARRAY) {
                throw new MalformedMessageException("levels must be [bids, asks]", message, levels.start());
            }
            side(message, instrument, side);
        }
        if (levels.next() != JsonScanner.Token.END_ARRAY) {
            throw new MalformedMessageException("levels must be [bids, asks]", message, levels.start());
        }
        int id = current;
        if (time < lastTime[id]) {
            refusedOlder++;
            current = -1;
            return;
        }
        if (count[0] > 0 && count[1] > 0 && price[0][0] >= price[1][0]) {
            refusedCrossed++;
            current = -1;
            return;
        }
        apply(id, time);
        current = -1;
    }

    /** one side's levels, best first, into the scratch arrays; side 0 bids, 1 asks */
    private void side(CharSequence message, Instrument instrument, int side) {
        while (levels.next() == JsonScanner.Token.BEGIN_OBJECT) {
            long px = -1;
            long sz = -1;
            long n = -1;
            while (levels.next() == JsonScanner.Token.FIELD) {
                if (levels.is("px")) {
                    value(message);
                    px = instrument.priceTicks(json.chars(), levels.start(), levels.end());
                    if (px <= 0) {
                        throw new MalformedMessageException("px must be positive", message, levels.start());
                    }
                } else if (levels.is("sz")) {
                    value(message);
                    sz = instrument.quantityLots(json.chars(), levels.start(), levels.end());
                    if (sz <= 0) {
                        throw new MalformedMessageException("sz of a level must be positive", message, levels.start());
                    }
                } else if (levels.is("n")) {
                    if (levels.next() != JsonScanner.Token.NUMBER) {
                        throw new MalformedMessageException("n is not a number", message, levels.start());
                    }
                    n = levels.asLong();
                    if (n <= 0) {
                        throw new MalformedMessageException("n (orders at the level) must be positive", message, levels.start());
                    }
                } else {
                    levels.skipValue();
                }
            }
            if (levels.token() != JsonScanner.Token.END_OBJECT || px < 0 || sz < 0) {
                throw new MalformedMessageException("expected a level with px and sz", message, levels.start());
            }
            int i = count[side];
            if (i == MAX_LEVELS_PER_SIDE) {
                throw new MalformedMessageException("more than " + MAX_LEVELS_PER_SIDE + " levels a side", message, levels.start());
            }
            if (i > 0 && (side == 0 ? px >= price[side][i - 1] : px <= price[side][i - 1])) {
                throw new MalformedMessageException("levels not strictly best first", message, levels.start());
            }
            price[side][i] = px;
            size[side][i] = sz;
            count[side] = i + 1;
        }
        if (levels.token() != JsonScanner.Token.END_ARRAY) {
            throw new MalformedMessageException("expected the end of a side's levels", message, levels.start());
        }
    }

    /** moves the level scanner to a field's value: Hyperliquid writes numbers as strings */
    private void value(CharSequence message) {
        JsonScanner.Token t = levels.next();
        if (t != JsonScanner.Token.NUMBER && t != JsonScanner.Token.STRING) {
            throw new MalformedMessageException("expected a number", message, levels.start());
        }
    }

    /** replaces the coin's book with the scratch levels and tells the sink, whole or as a difference */
    private void apply(int id, long time) {
        L2Book book = books[id];
        snapshots++;
        lastTime[id] = time;
        if (!valid[id]) {
            book.clear();
            sink.clear(id, time);
            for (int side = 0; side < 2; side++) {
                Side s = side == 0 ? Side.BUY : Side.SELL;
                for (int i = 0; i < count[side]; i++) {
                    book.set(s, price[side][i], size[side][i]);
                    sink.level(id, s, price[side][i], size[side][i], time);
                }
            }
            valid[id] = true;
            sink.endOfMessage(id, time);
            return;
        }
        for (int side = 0; side < 2; side++) {
            Side s = side == 0 ? Side.BUY : Side.SELL;
            // removals: levels of the last snapshot that this one does not hold (walk from the worst
            // so that removing does not move the levels still to be visited)
            for (int i = book.levels(s) - 1; i >= 0; i--) {
                long p = book.price(s, i);
                if (!contains(side, p)) {
                    book.set(s, p, 0);
                    sink.level(id, s, p, 0, time);
                }
            }
            for (int i = 0; i < count[side]; i++) {
                long p = price[side][i];
                if (book.quantityAt(s, p) != size[side][i]) {
                    book.set(s, p, size[side][i]);
                    sink.level(id, s, p, size[side][i], time);
                }
            }
        }
        sink.endOfMessage(id, time);
    }

    private boolean contains(int side, long p) {
        long[] prices = price[side];
        for (int i = 0; i < count[side]; i++) {
            if (prices[i] == p) {
                return true;
            }
        }
        return false;
    }

    private void trades(CharSequence message, int dataStart) {
        data.reset(json, dataStart, message.length());
        if (data.next() != JsonScanner.Token.BEGIN_ARRAY) {
            throw new MalformedMessageException("trades data is not an array", message, dataStart);
        }
        while (data.next() == JsonScanner.Token.BEGIN_OBJECT) {
            int coinStart = -1;
            int coinEnd = -1;
            int pxStart = -1;
            int pxEnd = -1;
            int szStart = -1;
            int szEnd = -1;
            Side aggressor = null;
            long tid = -1;
            long time = Long.MIN_VALUE;
            while (data.next() == JsonScanner.Token.FIELD) {
                if (data.is("coin")) {
                    data.next();
                    coinStart = data.start();
                    coinEnd = data.end();
                } else if (data.is("side")) {
                    data.next();
                    aggressor = data.is("B") ? Side.BUY : data.is("A") ? Side.SELL : null;
                    if (aggressor == null) {
                        throw new MalformedMessageException("side is neither B nor A", message, data.start());
                    }
                } else if (data.is("px")) {
                    data.next();
                    pxStart = data.start();
                    pxEnd = data.end();
                } else if (data.is("sz")) {
                    data.next();
                    szStart = data.start();
                    szEnd = data.end();
                } else if (data.is("tid")) {
                    if (data.next() != JsonScanner.Token.NUMBER) {
                        throw new MalformedMessageException("tid is not a number", message, data.start());
                    }
                    tid = data.asLong();
                } else if (data.is("time")) {
                    if (data.next() != JsonScanner.Token.NUMBER) {
                        throw new MalformedMessageException("time is not a number", message, data.start());
                    }
                    time = data.asLong();
                } else {
                    data.skipValue();
                }
            }
            if (data.token() != JsonScanner.Token.END_OBJECT) {
                throw new MalformedMessageException("expected a field or the end of a trade", message, data.start());
            }
            if (aggressor == null || pxStart < 0 || szStart < 0 || tid < 0 || time == Long.MIN_VALUE) {
                throw new MalformedMessageException("trade without side, px, sz, tid or time", message, data.start());
            }
            Instrument instrument = instrument(message, coinStart, coinEnd);
            long px = instrument.priceTicks(json.chars(), pxStart, pxEnd);
            long sz = instrument.quantityLots(json.chars(), szStart, szEnd);
            if (px <= 0 || sz <= 0) {
                throw new MalformedMessageException("trade px and sz must be positive", message, pxStart);
            }
            int id = instrument.id();
            if (!tradesStarted[id]) {
                // the first trades message of a coin on this connection is the recent-trades history:
                // every element of it is ignored, the rest of the message still decoded and checked
                ignoredTrades++;
                continue;
            }
            sink.trade(id, aggressor, px, sz, tid, time * 1_000_000L);
            trades++;
        }
        if (data.token() != JsonScanner.Token.END_ARRAY) {
            throw new MalformedMessageException("expected a trade or the end of data", message, data.start());
        }
        // the history seen: every coin this message named is live from here on
        markTradesStarted(message, dataStart);
    }

    /** after a trades message: its coins' next trades are live */
    private void markTradesStarted(CharSequence message, int dataStart) {
        data.reset(json, dataStart, message.length());
        data.next();
        while (data.next() == JsonScanner.Token.BEGIN_OBJECT) {
            while (data.next() == JsonScanner.Token.FIELD) {
                if (data.is("coin")) {
                    data.next();
                    int id = symbols.find(json.chars(), data.start(), data.end());
                    if (has(id)) {
                        tradesStarted[id] = true;
                    }
                } else {
                    data.skipValue();
                }
            }
        }
    }

    private boolean has(int id) {
        return id >= 0 && id < books.length && books[id] != null;
    }

    private Instrument instrument(CharSequence message, int coinStart, int coinEnd) {
        if (coinStart < 0) {
            throw new MalformedMessageException("no coin", message, 0);
        }
        int id = symbols.find(json.chars(), coinStart, coinEnd);
        if (!has(id)) {
            throw new MalformedMessageException("unknown coin", message, coinStart);
        }
        return registry.get(id);
    }

    /** the decoder's copy of a coin's book: the last snapshot applied */
    public L2Book book(int instrumentId) {
        return books[instrumentId];
    }

    /** whether the coin's book had a snapshot applied and no malformed message since (on this connection) */
    public boolean valid(int instrumentId) {
        return valid[instrumentId];
    }

    /** the {@code time} of the last snapshot applied for the coin, or Long.MIN_VALUE */
    public long lastTime(int instrumentId) {
        return lastTime[instrumentId];
    }

    public long messages() {
        return messages;
    }

    /** snapshots applied */
    public long snapshots() {
        return snapshots;
    }

    /** snapshots refused because the best bid was at or above the best ask */
    public long refusedCrossed() {
        return refusedCrossed;
    }

    /** snapshots refused because their time was before the last applied one's */
    public long refusedOlder() {
        return refusedOlder;
    }

    public long malformed() {
        return malformed;
    }

    /** valid books a malformed l2Book message made invalid (each rebuilt by the next snapshot) */
    public long booksLostToMalformed() {
        return booksLostToMalformed;
    }

    /** subscription responses and other channels */
    public long events() {
        return events;
    }

    /** answers to our heartbeats */
    public long pongs() {
        return pongs;
    }

    /** {@code error} messages from the venue */
    public long errors() {
        return errors;
    }

    /** trades passed to the sink */
    public long trades() {
        return trades;
    }

    /** trades of the recent-trades history sent on subscribing, not passed on */
    public long ignoredTrades() {
        return ignoredTrades;
    }

    /** the last malformed message's or the venue's last error's description, or null */
    public String lastError() {
        return lastError;
    }
}
