package io.mme.connectors.kraken;

import io.mme.core.instrument.Instrument;
import io.mme.core.instrument.InstrumentRegistry;
import io.mme.core.instrument.Venue;
import io.mme.core.ring.Side;
import io.mme.marketdata.FeedSink;
import io.mme.marketdata.L2Book;

/**
 * The decoder's own copy of each Kraken book, kept to verify the venue's checksum, and the step
 * both protocol versions share: collect a message's levels, apply them, cut the book back to the
 * subscribed depth, check the checksum, and only then tell the {@link FeedSink}.
 *
 * <p>Per message: a snapshot clears the book first and makes it valid; an update is applied only
 * to a valid book (one that had a snapshot and no failed check since). The sink hears nothing of a
 * message that fails its checksum but {@link FeedSink#invalid}; of one that passes (or carries no
 * checksum) it hears {@code clear} (snapshots), every level in message order, a removal for each
 * level the depth cut dropped (the venue sends none for those), and {@code endOfMessage}.
 *
 * <p>Each book holds the maximum depth plus one message's worth of levels a side, so applying a
 * message before the cut never drops a level that should survive it.
 *
 * <p>Thread: owned by one decoder, used on its decoding thread.
 */
final class KrakenBooks {
    /** the deepest subscription Kraken offers */
    static final int MAX_DEPTH = 1000;
    /** levels one message may carry: a full snapshot of both sides */
    static final int MAX_LEVELS_PER_MESSAGE = 2 * MAX_DEPTH;

    private final FeedSink sink;
    private final L2Book[] books;
    private final boolean[] valid;
    /** per book: a checksum failed or a message was lost since its last good snapshot (the feed must resubscribe it) */
    private final boolean[] lost;
    private final KrakenChecksum checksum = new KrakenChecksum();

    private final boolean[] levelBid = new boolean[MAX_LEVELS_PER_MESSAGE];
    private final long[] levelPrice = new long[MAX_LEVELS_PER_MESSAGE];
    private final long[] levelQty = new long[MAX_LEVELS_PER_MESSAGE];
    private int levels;
    private final boolean[] cutBid = new boolean[2 * (MAX_DEPTH + MAX_LEVELS_PER_MESSAGE)];
    private final long[] cutPrice = new long[2 * (MAX_DEPTH + MAX_LEVELS_PER_MESSAGE)];

    private long snapshots;
    private long updates;
    private long checksumsPassed;
    private long checksumsFailed;
    private long droppedWhileInvalid;
    private long lostToErrors;

    /** a book for each Kraken instrument of {@code registry} */
    KrakenBooks(InstrumentRegistry registry, FeedSink sink) {
        this.sink = sink;
        this.books = new L2Book[registry.size()];
        this.valid = new boolean[registry.size()];
        this.lost = new boolean[registry.size()];
        for (Instrument instrument : registry.all()) {
            if (instrument.venue() == Venue.KRAKEN) {
                books[instrument.id()] = new L2Book(MAX_DEPTH + MAX_LEVELS_PER_MESSAGE);
            }
        }
    }

    /** whether the instrument is Kraken's (has a book here) */
    boolean has(int instrumentId) {
        return instrumentId >= 0 && instrumentId < books.length && books[instrumentId] != null;
    }

    /** starts collecting a message's levels */
    void begin() {
        levels = 0;
    }

    /** collects one level; false when the message already holds {@link #MAX_LEVELS_PER_MESSAGE} */
    boolean add(boolean bid, long priceTicks, long quantityLots) {
        if (levels == MAX_LEVELS_PER_MESSAGE) {
            return false;
        }
        levelBid[levels] = bid;
        levelPrice[levels] = priceTicks;
        levelQty[levels] = quantityLots;
        levels++;
        return true;
    }

    /**
     * Applies the collected levels to the instrument's book as described in the class comment.
     *
     * @param priceDecimals the decimals the venue prints prices with, for the checksum
     * @param sizeDecimals  the decimals the venue prints quantities with, for the checksum
     * @param expected      the venue's checksum, or a negative number when the message carries none
     * @return true when the book is valid after the message
     */
    boolean apply(Instrument instrument, int depth, boolean snapshot, int priceDecimals, int sizeDecimals, long expected, long sequence) {
        int id = instrument.id();
        L2Book book = books[id];
        if (snapshot) {
            book.clear();
            snapshots++;
        } else if (!valid[id]) {
            droppedWhileInvalid++;
            return false;
        } else {
            updates++;
        }
        for (int i = 0; i < levels; i++) {
            book.set(levelBid[i] ? Side.BUY : Side.SELL, levelPrice[i], levelQty[i]);
        }
        int cut = cut(book, Side.BUY, depth, 0);
        cut = cut(book, Side.SELL, depth, cut);
        if (expected >= 0) {
            long actual = checksum.of(book, instrument, priceDecimals, sizeDecimals);
            if (actual != expected) {
                checksumsFailed++;
                valid[id] = false;
                lost[id] = true;
                sink.invalid(id, "checksum mismatch: the venue sent " + expected + ", the book gives " + actual);
                return false;
            }
            checksumsPassed++;
        }
        if (snapshot) {
            sink.clear(id, sequence);
            valid[id] = true;
            lost[id] = false;
        }
        for (int i = 0; i < levels; i++) {
            sink.level(id, levelBid[i] ? Side.BUY : Side.SELL, levelPrice[i], levelQty[i], sequence);
        }
        for (int i = 0; i < cut; i++) {
            sink.level(id, cutBid[i] ? Side.BUY : Side.SELL, cutPrice[i], 0, sequence);
        }
        sink.endOfMessage(id, sequence);
        return true;
    }

    /**
     * Marks a valid book invalid (a book message was lost to a decoding error). Later updates are
     * dropped until a snapshot, so no checksum can fail on this book: the feed must see
     * {@link #lostToErrors()} rise and ask the venue for a new snapshot itself.
     */
    void invalidate(int instrumentId, String reason) {
        if (valid[instrumentId]) {
            valid[instrumentId] = false;
            lost[instrumentId] = true;
            lostToErrors++;
            sink.invalid(instrumentId, reason);
        }
    }

    /** valid books lost to a message that could not be decoded (negative volume, off-grid price...) */
    long lostToErrors() {
        return lostToErrors;
    }

    /** records the levels beyond {@code depth} and cuts them off */
    private int cut(L2Book book, Side side, int depth, int at) {
        int n = book.levels(side);
        for (int i = depth; i < n; i++) {
            cutBid[at] = side == Side.BUY;
            cutPrice[at] = book.price(side, i);
            at++;
        }
        book.truncate(side, depth);
        return at;
    }

    /** the decoder's book for an instrument (null for one that is not Kraken's) */
    L2Book book(int instrumentId) {
        return books[instrumentId];
    }

    boolean valid(int instrumentId) {
        return valid[instrumentId];
    }

    /** whether the book failed a checksum or lost a message since its last good snapshot */
    boolean lost(int instrumentId) {
        return lost[instrumentId];
    }

    long snapshots() {
        return snapshots;
    }

    long updates() {
        return updates;
    }

    long checksumsPassed() {
        return checksumsPassed;
    }

    long checksumsFailed() {
        return checksumsFailed;
    }

    long droppedWhileInvalid() {
        return droppedWhileInvalid;
    }
}
