package io.mme.marketdata;

import io.mme.core.ring.BookState;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * A read-only view of the market data engine for the console and the Redis publisher: per
 * instrument (by registry id) its book's state and, for a VALID book only, the best bid and ask
 * (price ticks, size lots; {@link #NONE} and 0 otherwise, as the strategies see it), and per
 * canonical pair ({@link ConsolidatedView#pairOf}) its fair value. The engine writes it on TIMER
 * events only, with release stores into one preallocated array (no allocation); any thread may read
 * it ({@code getAcquire}). Fields are individually current: a reader may see one timer's bid beside
 * the previous timer's ask.
 */
public final class MarketDataView {
    /** no price, no fair value */
    public static final long NONE = Long.MIN_VALUE;
    private static final int PER_INSTRUMENT = 5;
    private static final BookState[] STATES = BookState.values();

    private final int instruments;
    private final String[] pairNames;
    private final AtomicLongArray values;
    private final int pairBase;
    private final int publishedAt;

    MarketDataView(int instruments, String[] pairNames) {
        this.instruments = instruments;
        this.pairNames = pairNames.clone();
        this.pairBase = instruments * PER_INSTRUMENT;
        this.publishedAt = pairBase + pairNames.length;
        this.values = new AtomicLongArray(publishedAt + 1);
        for (int id = 0; id < instruments; id++) {
            int base = id * PER_INSTRUMENT;
            values.set(base, BookState.SYNCING.ordinal());
            values.set(base + 1, NONE);
            values.set(base + 3, NONE);
        }
        for (int p = 0; p < pairNames.length; p++) {
            values.set(pairBase + p, NONE);
        }
    }

    void publishBook(int instrumentId, BookState state, long bidTicks, long bidLots, long askTicks, long askLots) {
        int base = instrumentId * PER_INSTRUMENT;
        values.setRelease(base, state.ordinal());
        values.setRelease(base + 1, bidTicks);
        values.setRelease(base + 2, bidLots);
        values.setRelease(base + 3, askTicks);
        values.setRelease(base + 4, askLots);
    }

    void publishFairValue(int pair, long fairValueNanos) {
        values.setRelease(pairBase + pair, fairValueNanos);
    }

    void publishedAt(long timestampNanos) {
        values.setRelease(publishedAt, timestampNanos);
    }

    /** how many instruments (registry ids 0..n-1) */
    public int instruments() {
        return instruments;
    }

    public BookState state(int instrumentId) {
        return STATES[(int) values.getAcquire(instrumentId * PER_INSTRUMENT)];
    }

    /** the best bid of a VALID book in ticks, else NONE */
    public long bidTicks(int instrumentId) {
        return values.getAcquire(instrumentId * PER_INSTRUMENT + 1);
    }

    /** the best bid's size in lots, 0 with no bid */
    public long bidLots(int instrumentId) {
        return values.getAcquire(instrumentId * PER_INSTRUMENT + 2);
    }

    /** the best ask of a VALID book in ticks, else NONE */
    public long askTicks(int instrumentId) {
        return values.getAcquire(instrumentId * PER_INSTRUMENT + 3);
    }

    /** the best ask's size in lots, 0 with no ask */
    public long askLots(int instrumentId) {
        return values.getAcquire(instrumentId * PER_INSTRUMENT + 4);
    }

    /** how many canonical pairs */
    public int pairs() {
        return pairNames.length;
    }

    /** the canonical pair's name ("BTC/USD") */
    public String pairName(int pair) {
        return pairNames[pair];
    }

    /** the pair's fair value across its valid venues, 10^-9 quote units, or NONE */
    public long fairValueNanos(int pair) {
        return values.getAcquire(pairBase + pair);
    }

    /** event time of the TIMER that published these numbers (0: none yet) */
    public long publishedAtNanos() {
        return values.getAcquire(publishedAt);
    }
}
