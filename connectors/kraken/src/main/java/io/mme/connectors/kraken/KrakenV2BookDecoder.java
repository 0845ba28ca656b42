package io.mme.connectors.kraken;

import io.mme.core.instrument.FixedPointException;
import io.mme.core.instrument.Instrument;
import io.mme.core.instrument.InstrumentRegistry;
import io.mme.core.instrument.Venue;
import io.mme.core.ring.Side;
import io.mme.marketdata.FeedSink;
import io.mme.marketdata.JsonScanner;
import io.mme.marketdata.L2Book;
import io.mme.marketdata.MalformedMessageException;
import io.mme.marketdata.Rfc3339;
import io.mme.marketdata.SymbolIndex;

import java.util.Arrays;

/**
 * Reads Kraken spot WebSocket v2 public messages: the {@code book} channel into books verified by
 * the venue's CRC32 checksum, and the {@code trade} channel into {@link FeedSink#trade}.
 *
 * <p>Book messages are {@code {"channel":"book","type":"snapshot"|"update","data":[{"symbol",
 * "bids":[{"price","qty"}],"asks":[..],"checksum","timestamp"}]}}; every element carries its
 * checksum, snapshots included. Prices and quantities are JSON numbers at the instrument's full
 * precision; the checksum text is rebuilt with the instrument's price and size decimals, which must
 * be the {@code instrument} channel's {@code price_precision} and {@code qty_precision}
 * ({@link KrakenChecksum}). Apply, cut, check and output are {@link KrakenBooks}' rules. The message
 * does not say the subscribed depth: it is {@link #DEFAULT_DEPTH} (the venue's default) until a
 * successful subscribe acknowledgement for the book channel gives the symbol's depth.
 *
 * <p>Trades: only {@code update} messages become {@link FeedSink#trade} calls, the aggressor being
 * the {@code side} field (Kraken reports the taker's side); the optional {@code snapshot} of recent
 * trades on subscribing is history and is counted as ignored. Heartbeats, status, pongs and other
 * channels are counted as events and otherwise ignored.
 *
 * <p>Allocation: none per message (text scanned in place, symbols looked up from the slice, values
 * converted with the instrument's grids into preallocated scratch arrays, RFC 3339 timestamps
 * converted by hand). A malformed message is counted and skipped, never thrown; a book whose
 * message was lost that way is marked invalid. Prices in exponent notation are not read (the
 * grids take plain decimals only) and count as malformed.
 *
 * <p>Kraken's public book has no sequence number: the {@code venueSequence} passed to the sink is
 * this decoder's message count.
 *
 * <p>Thread: the feed's decoding thread; the decoder and its books belong to it.
 */
public final class KrakenV2BookDecoder {
    /** the depth Kraken subscribes a book with when the request names none */
    public static final int DEFAULT_DEPTH = 10;

    private static final int OTHER = 0;
    private static final int BOOK = 1;
    private static final int TRADE = 2;
    private static final int SNAPSHOT = 1;
    private static final int UPDATE = 2;

    private final InstrumentRegistry registry;
    private final SymbolIndex symbols;
    private final FeedSink sink;
    private final KrakenBooks books;
    private final int[] depth;
    private final JsonScanner json = new JsonScanner();
    /** the elements of {@code data} (and a subscribe acknowledgement's {@code result}) */
    private final JsonScanner data = new JsonScanner();
    /** level arrays, read once the element's symbol is known */
    private final JsonScanner levels = new JsonScanner();

    private long messages;
    private long malformed;
    private long events;
    private long ignored;
    private long trades;
    private String lastError;
    /** the instrument of the book element being decoded, -1 until its symbol is read */
    private int current;

    /** decodes for the registry's Kraken instruments, whose venue symbols are the v2 names */
    public KrakenV2BookDecoder(InstrumentRegistry registry, FeedSink sink) {
        this(registry, SymbolIndex.of(registry, Venue.KRAKEN), sink);
    }

    /**
     * @param symbols the v2 symbols ("BTC/USD") to ids of Kraken instruments in {@code registry}
     */
    public KrakenV2BookDecoder(InstrumentRegistry registry, SymbolIndex symbols, FeedSink sink) {
        this.registry = registry;
        this.symbols = symbols;
        this.sink = sink;
        this.books = new KrakenBooks(registry, sink);
        this.depth = new int[registry.size()];
        Arrays.fill(depth, DEFAULT_DEPTH);
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
            int type = OTHER;
            int dataStart = -1;
            int resultStart = -1;
            boolean subscribeAck = false;
            boolean success = false;
            while (json.next() == JsonScanner.Token.FIELD) {
                if (json.is("channel")) {
                    json.next();
                    channel = json.is("book") ? BOOK : json.is("trade") ? TRADE : OTHER;
                } else if (json.is("type")) {
                    json.next();
                    type = json.is("snapshot") ? SNAPSHOT : json.is("update") ? UPDATE : OTHER;
                } else if (json.is("data")) {
                    if (json.next() == JsonScanner.Token.BEGIN_ARRAY) {
                        dataStart = json.start();
                    }
                    json.skipValue();
                } else if (json.is("method")) {
                    json.next();
                    subscribeAck = json.is("subscribe");
                } else if (json.is("success")) {
                    success = json.next() == JsonScanner.Token.TRUE;
                } else if (json.is("result")) {
                    if (json.next() == JsonScanner.Token.BEGIN_OBJECT) {
                        resultStart = json.start();
                    }
                    json.skipValue();
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
            if (channel == BOOK) {
                if (type == OTHER || dataStart < 0) {
                    throw new MalformedMessageException("book message without type snapshot|update or data", message, 0);
                }
                book(message, dataStart, type == SNAPSHOT);
            } else if (channel == TRADE && type == UPDATE) {
                if (dataStart < 0) {
                    throw new MalformedMessageException("trade message without data", message, 0);
                }
                trades(message, dataStart);
            } else if (channel == TRADE) {
                ignored++;
            } else if (subscribeAck && success && resultStart >= 0) {
                subscribed(message, resultStart);
            } else {
                events++;
            }
        } catch (MalformedMessageException | FixedPointException e) {
            malformed++;
            lastError = e.getMessage();
            if (current >= 0) {
                books.invalidate(current, "malformed book message: " + e.getMessage());
            }
        }
    }

    private void book(CharSequence message, int dataStart, boolean snapshot) {
        data.reset(json, dataStart, message.length());
        data.next();
        while (data.next() == JsonScanner.Token.BEGIN_OBJECT) {
            int symbolStart = -1;
            int symbolEnd = -1;
            int bidsStart = -1;
            int asksStart = -1;
            long checksum = -1;
            while (data.next() == JsonScanner.Token.FIELD) {
                if (data.is("symbol")) {
                    data.next();
                    symbolStart = data.start();
                    symbolEnd = data.end();
                } else if (data.is("bids")) {
                    bidsStart = arrayStart(message);
                } else if (data.is("asks")) {
                    asksStart = arrayStart(message);
                } else if (data.is("checksum")) {
                    data.next();
                    checksum = data.asLong();
                    if (checksum < 0 || checksum > 0xFFFF_FFFFL) {
                        throw new MalformedMessageException("checksum is not an unsigned 32-bit number", message, data.start());
                    }
                } else {
                    data.skipValue();
                }
            }
            if (data.token() != JsonScanner.Token.END_OBJECT) {
                throw new MalformedMessageException("expected a field or the end of a book element", message, data.start());
            }
            Instrument instrument = instrument(message, symbolStart, symbolEnd);
            current = instrument.id();
            books.begin();
            levels(message, bidsStart, instrument, true);
            levels(message, asksStart, instrument, false);
            books.apply(instrument, depth[current], snapshot, instrument.priceDecimals(), instrument.sizeDecimals(), checksum, messages);
            current = -1;
        }
        if (data.token() != JsonScanner.Token.END_ARRAY) {
            throw new MalformedMessageException("expected a book element or the end of data", message, data.start());
        }
    }

    /** after a field of the data scanner: the start of the array that is its value, skipped */
    private int arrayStart(CharSequence message) {
        if (data.next() != JsonScanner.Token.BEGIN_ARRAY) {
            throw new MalformedMessageException("expected an array of levels", message, data.start());
        }
        int start = data.start();
        data.skipValue();
        return start;
    }

    /** {@code [{"price":..,"qty":..}, ...]} at {@code start} (none when start is negative) */
    private void levels(CharSequence message, int start, Instrument instrument, boolean bid) {
        if (start < 0) {
            return;
        }
        levels.reset(json, start, message.length());
        levels.next();
        while (levels.next() == JsonScanner.Token.BEGIN_OBJECT) {
            long price = -1;
            long qty = -1;
            while (levels.next() == JsonScanner.Token.FIELD) {
                if (levels.is("price")) {
                    value(message);
                    price = instrument.priceTicks(json.chars(), levels.start(), levels.end());
                    if (price <= 0) {
                        throw new MalformedMessageException("price must be positive", message, levels.start());
                    }
                } else if (levels.is("qty")) {
                    value(message);
                    qty = instrument.quantityLots(json.chars(), levels.start(), levels.end());
                    if (qty < 0) {
                        throw new MalformedMessageException("qty must not be negative", message, levels.start());
                    }
                } else {
                    levels.skipValue();
                }
            }
            if (levels.token() != JsonScanner.Token.END_OBJECT || price < 0 || qty < 0) {
                throw new MalformedMessageException("expected a level with price and qty", message, levels.start());
            }
            if (!books.add(bid, price, qty)) {
                throw new MalformedMessageException("more than " + KrakenBooks.MAX_LEVELS_PER_MESSAGE + " levels", message, levels.start());
            }
        }
        if (levels.token() != JsonScanner.Token.END_ARRAY) {
            throw new MalformedMessageException("expected the end of the levels", message, levels.start());
        }
    }

    /** moves the level scanner to a field's number (a string holding one is accepted too) */
    private void value(CharSequence message) {
        JsonScanner.Token t = levels.next();
        if (t != JsonScanner.Token.NUMBER && t != JsonScanner.Token.STRING) {
            throw new MalformedMessageException("expected a number", message, levels.start());
        }
    }

    private void trades(CharSequence message, int dataStart) {
        data.reset(json, dataStart, message.length());
        data.next();
        while (data.next() == JsonScanner.Token.BEGIN_OBJECT) {
            int symbolStart = -1;
            int symbolEnd = -1;
            int priceStart = -1;
            int priceEnd = -1;
            int qtyStart = -1;
            int qtyEnd = -1;
            Side aggressor = null;
            long tradeId = -1;
            long timestamp = Long.MIN_VALUE;
            while (data.next() == JsonScanner.Token.FIELD) {
                if (data.is("symbol")) {
                    data.next();
                    symbolStart = data.start();
                    symbolEnd = data.end();
                } else if (data.is("side")) {
                    data.next();
                    aggressor = data.is("buy") ? Side.BUY : data.is("sell") ? Side.SELL : null;
                    if (aggressor == null) {
                        throw new MalformedMessageException("side is neither buy nor sell", message, data.start());
                    }
                } else if (data.is("price")) {
                    data.next();
                    priceStart = data.start();
                    priceEnd = data.end();
                } else if (data.is("qty")) {
                    data.next();
                    qtyStart = data.start();
                    qtyEnd = data.end();
                } else if (data.is("trade_id")) {
                    data.next();
                    tradeId = data.asLong();
                } else if (data.is("timestamp")) {
                    if (data.next() != JsonScanner.Token.STRING) {
                        throw new MalformedMessageException("expected an RFC 3339 timestamp", message, data.start());
                    }
                    timestamp = Rfc3339.epochNanos(message, data.start(), data.end());
                } else {
                    data.skipValue();
                }
            }
            if (data.token() != JsonScanner.Token.END_OBJECT) {
                throw new MalformedMessageException("expected a field or the end of a trade", message, data.start());
            }
            if (aggressor == null || priceStart < 0 || qtyStart < 0 || tradeId < 0 || timestamp == Long.MIN_VALUE) {
                throw new MalformedMessageException("trade without side, price, qty, trade_id or timestamp", message, data.start());
            }
            Instrument instrument = instrument(message, symbolStart, symbolEnd);
            long price = instrument.priceTicks(json.chars(), priceStart, priceEnd);
            long qty = instrument.quantityLots(json.chars(), qtyStart, qtyEnd);
            if (price <= 0 || qty <= 0) {
                throw new MalformedMessageException("trade price and qty must be positive", message, priceStart);
            }
            sink.trade(instrument.id(), aggressor, price, qty, tradeId, timestamp);
            trades++;
        }
        if (data.token() != JsonScanner.Token.END_ARRAY) {
            throw new MalformedMessageException("expected a trade or the end of data", message, data.start());
        }
    }

    /** a successful subscribe acknowledgement: for the book channel, the symbol's depth */
    private void subscribed(CharSequence message, int resultStart) {
        events++;
        data.reset(json, resultStart, message.length());
        data.next();
        boolean bookChannel = false;
        int symbolStart = -1;
        int symbolEnd = -1;
        long subscribedDepth = -1;
        while (data.next() == JsonScanner.Token.FIELD) {
            if (data.is("channel")) {
                data.next();
                bookChannel = data.is("book");
            } else if (data.is("symbol")) {
                data.next();
                symbolStart = data.start();
                symbolEnd = data.end();
            } else if (data.is("depth")) {
                data.next();
                subscribedDepth = data.asLong();
            } else {
                data.skipValue();
            }
        }
        if (!bookChannel || symbolStart < 0 || subscribedDepth < 0) {
            return;
        }
        if (subscribedDepth == 0 || subscribedDepth > KrakenBooks.MAX_DEPTH) {
            throw new MalformedMessageException("book depth outside 1.." + KrakenBooks.MAX_DEPTH, message, resultStart);
        }
        int id = symbols.find(json.chars(), symbolStart, symbolEnd);
        if (books.has(id)) {
            depth[id] = (int) subscribedDepth;
        }
    }

    private Instrument instrument(CharSequence message, int symbolStart, int symbolEnd) {
        if (symbolStart < 0) {
            throw new MalformedMessageException("element without a symbol", message, 0);
        }
        int id = symbols.find(json.chars(), symbolStart, symbolEnd);
        if (!books.has(id)) {
            throw new MalformedMessageException("unknown symbol", message, symbolStart);
        }
        return registry.get(id);
    }

    /** the decoder's own copy of an instrument's book, as of the last message */
    public L2Book book(int instrumentId) {
        return books.book(instrumentId);
    }

    /**
     * Whether the instrument's book failed a checksum or lost a book message since its last good
     * snapshot: the feed resubscribes such a book (a book still waiting for its first snapshot is not lost).
     */
    public boolean lost(int instrumentId) {
        return books.lost(instrumentId);
    }

    /** whether the instrument's book had a snapshot that passed its checksum and no failed check since */
    public boolean valid(int instrumentId) {
        return books.valid(instrumentId);
    }

    /** the depth the instrument's book is cut back to */
    public int depth(int instrumentId) {
        return depth[instrumentId];
    }

    public long messages() {
        return messages;
    }

    public long malformed() {
        return malformed;
    }

    /** control messages: heartbeats, status, pongs, acknowledgements, other channels */
    public long events() {
        return events;
    }

    /** trade snapshots (history on subscribing), not passed on */
    public long ignored() {
        return ignored;
    }

    /** trades passed to the sink */
    public long trades() {
        return trades;
    }

    public long snapshots() {
        return books.snapshots();
    }

    /** updates applied to a valid book */
    public long updates() {
        return books.updates();
    }

    public long checksumsPassed() {
        return books.checksumsPassed();
    }

    public long checksumsFailed() {
        return books.checksumsFailed();
    }

    /** valid books a malformed book message made invalid: each needs a new snapshot from the venue */
    public long booksLostToMalformed() {
        return books.lostToErrors();
    }

    /** book updates that arrived while their book was invalid, waiting for a snapshot */
    public long droppedWhileInvalid() {
        return books.droppedWhileInvalid();
    }

    /** the last malformed message's description, or null */
    public String lastError() {
        return lastError;
    }
}
