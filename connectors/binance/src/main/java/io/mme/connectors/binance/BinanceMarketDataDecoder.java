package io.mme.connectors.binance;

import io.mme.core.instrument.FixedPointException;
import io.mme.core.instrument.Instrument;
import io.mme.core.instrument.InstrumentRegistry;
import io.mme.core.instrument.Venue;
import io.mme.core.ring.Side;
import io.mme.marketdata.FeedSink;
import io.mme.marketdata.JsonScanner;
import io.mme.marketdata.LayoutReader;
import io.mme.marketdata.MalformedMessageException;
import io.mme.marketdata.SymbolIndex;

/**
 * Reads Binance spot combined-stream messages ({@code {"stream":..,"data":{..}}}) and REST depth
 * snapshots, and turns them into normalised calls on a {@link FeedSink}: book levels through each
 * instrument's {@link BinanceDepthSync}, best bid/offer from {@code bookTicker}, trades from
 * {@code trade} and {@code aggTrade}. Other streams (klines) are counted and ignored.
 *
 * <p>Allocation: none per message. Text is scanned in place with {@link JsonScanner}, symbols are
 * looked up from the slice, prices and quantities converted with the instrument's grids, levels
 * collected in preallocated scratch arrays. A malformed message (bad JSON, an unknown symbol, a
 * price off the grid, a price that is not positive or a quantity that is negative) is counted and
 * skipped; if it was a depth event whose symbol was read, the book is marked invalid and its
 * synchronisation starts again (buffering for a new snapshot), because a lost diff means the book
 * can no longer be trusted.
 *
 * <p>Two paths, one answer: a depth diff or book ticker in Binance's own layout (its field order,
 * no white space, plain decimals) is read by a {@link LayoutReader} that compares whole literals
 * and converts prices and quantities as it passes them; anything else, including every message
 * the fast path is not sure of, is read from the start by the general token loop, which gives the
 * named error of a bad message. The fast path calls the sink only once it has read the whole
 * message, so a message it gives up on has changed nothing (docs/PERFORMANCE.md, issue 15 point 4).
 *
 * <p>Thread: the feed's decoding thread.
 */
public final class BinanceMarketDataDecoder {
    private static final int MAX_LEVELS_PER_MESSAGE = 20_000;

    private final InstrumentRegistry registry;
    private final SymbolIndex symbols;
    private final FeedSink sink;
    private final BinanceDepthSync[] syncs;
    private final JsonScanner json = new JsonScanner();
    /** a second scanner for level arrays, read after the fields around them (the symbol) are known */
    private final JsonScanner levelJson = new JsonScanner();
    /** the fast path over {@link #json}'s characters */
    private final LayoutReader layout = new LayoutReader();
    /** whether the fast path is tried (tests turn it off to compare the two paths) */
    private final boolean fastPath;
    private final boolean[] levelBid = new boolean[MAX_LEVELS_PER_MESSAGE];
    private final long[] levelPrice = new long[MAX_LEVELS_PER_MESSAGE];
    private final long[] levelQty = new long[MAX_LEVELS_PER_MESSAGE];
    private int levels;

    private int lastDepthInstrument = -1;
    /** the instrument of the depth event being read, once its type and symbol are known; else -1 */
    private int depthRead = -1;
    private long messages;
    /** messages the fast path read */
    private long fastPathMessages;
    private long malformed;
    private long ignored;
    private String lastError;

    public BinanceMarketDataDecoder(InstrumentRegistry registry, FeedSink sink) {
        this(registry, sink, true);
    }

    /** {@code fastPath} false reads every message with the general token loop: for tests that compare the two */
    BinanceMarketDataDecoder(InstrumentRegistry registry, FeedSink sink, boolean fastPath) {
        this.fastPath = fastPath;
        this.registry = registry;
        this.symbols = SymbolIndex.of(registry, Venue.BINANCE);
        this.sink = sink;
        this.syncs = new BinanceDepthSync[registry.size()];
        for (Instrument instrument : registry.all()) {
            if (instrument.venue() == Venue.BINANCE) {
                syncs[instrument.id()] = new BinanceDepthSync(instrument.id(), sink, 1024, 200_000);
            }
        }
    }

    /** the synchronisation state of one instrument's book */
    public BinanceDepthSync sync(int instrumentId) {
        return syncs[instrumentId];
    }

    /** Decodes one combined-stream WebSocket message. */
    public void onMessage(CharSequence message) {
        messages++;
        depthRead = -1;
        lastDepthInstrument = -1;
        try {
            json.reset(message);
            if (fastPath && usualLayout(message.length())) {
                return;
            }
            if (json.next() != JsonScanner.Token.BEGIN_OBJECT) {
                throw new MalformedMessageException("expected an object", message, json.start());
            }
            while (json.next() == JsonScanner.Token.FIELD) {
                if (json.is("data")) {
                    if (json.next() != JsonScanner.Token.BEGIN_OBJECT) {
                        throw new MalformedMessageException("expected an object for data", message, json.start());
                    }
                    lastDepthInstrument = payload(message);
                } else {
                    json.skipValue();
                }
            }
            if (json.token() != JsonScanner.Token.END_OBJECT) {
                throw new MalformedMessageException("expected a field or the end of the message, found " + json.token(), message, json.start());
            }
        } catch (MalformedMessageException | FixedPointException e) {
            malformed++;
            lastError = e.getMessage();
            if (depthRead >= 0) {
                // the diff is lost, or applied from a message that is broken around it: start again from a snapshot
                syncs[depthRead].reset();
                sink.invalid(depthRead, "malformed depth message: " + e.getMessage());
            }
        }
    }

    /**
     * Decodes the body of {@code GET /api/v3/depth} for one instrument and offers it to the book's
     * synchronisation.
     *
     * @throws MalformedMessageException or {@link FixedPointException} when the body cannot be read
     *                                   (the caller fetches another); nothing has then reached the
     *                                   sink and the synchronisation is as it was
     */
    public BinanceDepthSync.SnapshotResult onSnapshot(int instrumentId, CharSequence body) {
        BinanceDepthSync sync = syncs[instrumentId];
        if (sync == null) {
            throw new IllegalArgumentException("instrument " + instrumentId + " is not a Binance instrument");
        }
        Instrument instrument = registry.get(instrumentId);
        json.reset(body);
        if (json.next() != JsonScanner.Token.BEGIN_OBJECT) {
            throw new MalformedMessageException("expected an object", body, json.start());
        }
        long lastUpdateId = -1;
        levels = 0;
        while (json.next() == JsonScanner.Token.FIELD) {
            if (json.is("lastUpdateId")) {
                json.next();
                lastUpdateId = json.asLong();
            } else if (json.is("bids")) {
                levels(json, instrument, true);
            } else if (json.is("asks")) {
                levels(json, instrument, false);
            } else {
                json.skipValue();
            }
        }
        if (lastUpdateId < 0) {
            throw new MalformedMessageException("snapshot without lastUpdateId", body, 0);
        }
        return sync.onSnapshot(lastUpdateId, levelBid, levelPrice, levelQty, levels);
    }

    /**
     * The fast path: a depth diff or book ticker in Binance's layout, read and passed on; false,
     * having passed nothing on, for any other text (the general path then reads it from the start).
     */
    private boolean usualLayout(int length) {
        LayoutReader r = layout.reset(json.chars(), 0, length);
        if (!r.skip("{\"stream\":\"") || r.stringEnd() < 0 || !r.skip(",\"data\":{\"")) {
            return false;
        }
        if (r.skip("e\":\"depthUpdate\",\"E\":")) {
            return r.digits() >= 0 && usualDiff(r);
        }
        return r.skip("u\":") && usualBookTicker(r);
    }

    /** the rest of a depth diff after its event time: {@code ,"s":..,"U":..,"u":..,"b":[..],"a":[..]}}} */
    private boolean usualDiff(LayoutReader r) {
        if (!r.skip(",\"s\":\"")) {
            return false;
        }
        int symbolStart = r.pos();
        int symbolEnd = r.stringEnd();
        if (symbolEnd < 0 || !r.skip(",\"U\":")) {
            return false;
        }
        long first = r.digits();
        if (first < 0 || !r.skip(",\"u\":")) {
            return false;
        }
        long last = r.digits();
        if (last < first || !r.skip(",\"b\":")) {
            return false;
        }
        int instrumentId = symbols.find(json.chars(), symbolStart, symbolEnd);
        if (instrumentId < 0) {
            return false;
        }
        Instrument instrument = registry.get(instrumentId);
        levels = 0;
        if (!usualLevels(r, instrument, true) || !r.skip(",\"a\":") || !usualLevels(r, instrument, false)
                || !r.skip("}}") || !r.atEnd()) {
            return false;
        }
        depthRead = instrumentId; // as the general path: a failure inside the sync resets the book
        fastPathMessages++;
        syncs[instrumentId].onDiff(first, last, levelBid, levelPrice, levelQty, levels);
        lastDepthInstrument = instrumentId;
        return true;
    }

    /** {@code [["price","qty"],..]} into the level scratch arrays; false when not in that form or a value is refused */
    private boolean usualLevels(LayoutReader r, Instrument instrument, boolean bid) {
        if (!r.skip('[')) {
            return false;
        }
        if (r.skip(']')) {
            return true;
        }
        do {
            if (!r.skip('[')) {
                return false;
            }
            long price = r.steps(instrument.tick());
            if (price <= 0 || !r.skip(',')) {
                return false;
            }
            long qty = r.steps(instrument.lot());
            if (qty < 0 || !r.skip(']') || levels == MAX_LEVELS_PER_MESSAGE) {
                return false;
            }
            levelBid[levels] = bid;
            levelPrice[levels] = price;
            levelQty[levels] = qty;
            levels++;
        } while (r.skip(','));
        return r.skip(']');
    }

    /** the rest of a book ticker after {@code "u":}: {@code ..,"s":..,"b":..,"B":..,"a":..,"A":..}}} */
    private boolean usualBookTicker(LayoutReader r) {
        long updateId = r.digits();
        if (updateId < 0 || !r.skip(",\"s\":\"")) {
            return false;
        }
        int symbolStart = r.pos();
        int symbolEnd = r.stringEnd();
        if (symbolEnd < 0 || !r.skip(",\"b\":")) {
            return false;
        }
        int instrumentId = symbols.find(json.chars(), symbolStart, symbolEnd);
        if (instrumentId < 0) {
            return false;
        }
        Instrument instrument = registry.get(instrumentId);
        long bid = r.steps(instrument.tick());
        if (bid <= 0 || !r.skip(",\"B\":")) {
            return false;
        }
        long bidQty = r.steps(instrument.lot());
        if (bidQty < 0 || !r.skip(",\"a\":")) {
            return false;
        }
        long ask = r.steps(instrument.tick());
        if (ask <= 0 || !r.skip(",\"A\":")) {
            return false;
        }
        long askQty = r.steps(instrument.lot());
        if (askQty < 0 || !r.skip("}}") || !r.atEnd()) {
            return false;
        }
        fastPathMessages++;
        sink.bestBidOffer(instrumentId, bid, bidQty, ask, askQty, updateId);
        return true;
    }

    /** reads the fields of {@code data}; returns the instrument of a depth event once known, else -1 */
    private int payload(CharSequence message) {
        int instrumentId = -1;
        int kind = 0; // 1 depthUpdate, 2 trade, 3 aggTrade, 4 other event, 0 no "e": book ticker
        long first = -1;
        long last = -1;
        long tradeId = -1;
        long tradeTime = 0;
        boolean buyerMaker = false;
        int pStart = -1;
        int pEnd = -1;
        int qStart = -1;
        int qEnd = -1;
        int bStart = -1;
        int bEnd = -1;
        int bqStart = -1;
        int bqEnd = -1;
        int aStart = -1;
        int aEnd = -1;
        int aqStart = -1;
        int aqEnd = -1;
        int bidsStart = -1;
        int asksStart = -1;
        levels = 0;
        while (json.next() == JsonScanner.Token.FIELD) {
            if (json.is('e')) {
                json.next();
                kind = json.is("depthUpdate") ? 1 : json.is("trade") ? 2 : json.is("aggTrade") ? 3 : 4;
            } else if (json.is('s')) {
                json.next();
                instrumentId = symbols.find(json.chars(), json.start(), json.end());
                if (instrumentId < 0) {
                    throw new MalformedMessageException("unknown symbol", message, json.start());
                }
            } else if (json.is('U')) {
                json.next();
                first = json.asLong();
            } else if (json.is('u')) {
                json.next();
                last = json.asLong();
            } else if (json.is('t') || json.is('a') && kind == 3) {
                json.next();
                tradeId = json.asLong();
            } else if (json.is('T')) {
                json.next();
                tradeTime = json.asLong();
            } else if (json.is('m')) {
                buyerMaker = json.next() == JsonScanner.Token.TRUE;
            } else if (json.is('p')) {
                json.next();
                pStart = json.start();
                pEnd = json.end();
            } else if (json.is('q')) {
                json.next();
                qStart = json.start();
                qEnd = json.end();
            } else if (json.is('b')) {
                if (json.next() == JsonScanner.Token.BEGIN_ARRAY) {
                    if (depthRead >= 0) {
                        levels(json, registry.get(depthRead), true); // the usual order: type and symbol first, read in one pass
                    } else {
                        bidsStart = json.start();
                        json.skipValue();
                    }
                } else {
                    bStart = json.start();
                    bEnd = json.end();
                }
            } else if (json.is('a')) {
                if (json.next() == JsonScanner.Token.BEGIN_ARRAY) {
                    if (depthRead >= 0) {
                        levels(json, registry.get(depthRead), false); // the usual order: type and symbol first, read in one pass
                    } else {
                        asksStart = json.start();
                        json.skipValue();
                    }
                } else {
                    aStart = json.start();
                    aEnd = json.end();
                }
            } else if (json.is('B')) {
                json.next();
                bqStart = json.start();
                bqEnd = json.end();
            } else if (json.is('A')) {
                json.next();
                aqStart = json.start();
                aqEnd = json.end();
            } else {
                json.skipValue();
            }
            if (kind == 1 && instrumentId >= 0) {
                depthRead = instrumentId;
            }
        }
        if (json.token() != JsonScanner.Token.END_OBJECT) {
            throw new MalformedMessageException("expected a field or the end of data, found " + json.token(), message, json.start());
        }
        if (instrumentId < 0) {
            ignored++;
            return -1;
        }
        Instrument instrument = registry.get(instrumentId);
        switch (kind) {
            case 1 -> {
                if (first < 0 || last < first) {
                    throw new MalformedMessageException("depth update without a valid U/u", message, 0);
                }
                // level arrays that came before the type and symbol were skipped; read them now the symbol is known
                readLevelsAt(message, bidsStart, instrument, true);
                readLevelsAt(message, asksStart, instrument, false);
                syncs[instrumentId].onDiff(first, last, levelBid, levelPrice, levelQty, levels);
                return instrumentId;
            }
            case 2, 3 -> {
                if (pStart < 0 || qStart < 0) {
                    throw new MalformedMessageException("trade without price or quantity", message, 0);
                }
                long price = instrument.priceTicks(json.chars(), pStart, pEnd);
                long qty = instrument.quantityLots(json.chars(), qStart, qEnd);
                if (price <= 0 || qty <= 0) {
                    throw new MalformedMessageException("trade price and quantity must be positive", message, pStart);
                }
                sink.trade(instrumentId, buyerMaker ? Side.SELL : Side.BUY, price, qty, tradeId, tradeTime * 1_000_000L);
            }
            case 0 -> {
                if (bStart < 0 || aStart < 0 || bqStart < 0 || aqStart < 0) {
                    throw new MalformedMessageException("book ticker without b/B/a/A", message, 0);
                }
                long bid = instrument.priceTicks(json.chars(), bStart, bEnd);
                long bidQty = instrument.quantityLots(json.chars(), bqStart, bqEnd);
                long ask = instrument.priceTicks(json.chars(), aStart, aEnd);
                long askQty = instrument.quantityLots(json.chars(), aqStart, aqEnd);
                if (bid <= 0 || ask <= 0 || bidQty < 0 || askQty < 0) {
                    throw new MalformedMessageException("book ticker prices must be positive and quantities not negative", message, bStart);
                }
                sink.bestBidOffer(instrumentId, bid, bidQty, ask, askQty, last);
            }
            default -> ignored++;
        }
        return -1;
    }

    private void readLevelsAt(CharSequence message, int arrayStart, Instrument instrument, boolean bid) {
        if (arrayStart < 0) {
            return;
        }
        levelJson.reset(json, arrayStart, message.length());
        levelJson.next();
        levels(levelJson, instrument, bid);
    }

    /** reads {@code [[price, qty], ...]} at the scanner (standing on the field or the array start) */
    private void levels(JsonScanner json, Instrument instrument, boolean bid) {
        JsonScanner.Token t = json.token() == JsonScanner.Token.BEGIN_ARRAY ? json.token() : json.next();
        if (t != JsonScanner.Token.BEGIN_ARRAY) {
            throw new MalformedMessageException("expected an array of levels", json.text(), json.start());
        }
        while (json.next() == JsonScanner.Token.BEGIN_ARRAY) {
            // each value scanned and converted in one pass (JsonScanner.nextSteps)
            long price = json.nextSteps(instrument.tick());
            if (json.token() != JsonScanner.Token.STRING) {
                throw new MalformedMessageException("expected a price string", json.text(), json.start());
            }
            if (price <= 0) {
                throw new MalformedMessageException("price must be positive", json.text(), json.start());
            }
            long qty = json.nextSteps(instrument.lot());
            if (json.token() != JsonScanner.Token.STRING) {
                throw new MalformedMessageException("expected a quantity string", json.text(), json.start());
            }
            if (qty < 0) {
                throw new MalformedMessageException("quantity must not be negative", json.text(), json.start());
            }
            if (json.next() != JsonScanner.Token.END_ARRAY) {
                throw new MalformedMessageException("expected the end of a level", json.text(), json.start());
            }
            if (levels == MAX_LEVELS_PER_MESSAGE) {
                throw new MalformedMessageException("more than " + MAX_LEVELS_PER_MESSAGE + " levels", json.text(), json.start());
            }
            levelBid[levels] = bid;
            levelPrice[levels] = price;
            levelQty[levels] = qty;
            levels++;
        }
        if (json.token() != JsonScanner.Token.END_ARRAY) {
            throw new MalformedMessageException("expected the end of the levels", json.text(), json.start());
        }
    }

    /** the instrument whose depth the last message updated, or -1 */
    public int lastDepthInstrument() {
        return lastDepthInstrument;
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

    public long ignored() {
        return ignored;
    }

    /** the last malformed message's description, or null */
    public String lastError() {
        return lastError;
    }
}
