package io.mme.connectors.coinbase;

import io.mme.core.ring.Side;
import io.mme.marketdata.FeedSink;
import io.mme.marketdata.MalformedMessageException;

/**
 * The levels of one book event, collected and converted before any of them is passed on, so that
 * a malformed event reaches the sink as nothing but {@link FeedSink#invalid}. Preallocated to a
 * fixed number of levels: Coinbase snapshots are the whole book (the recorded Advanced Trade
 * BTC-USD snapshot has 46,000 levels), so the capacity is sized for those.
 *
 * <p>Thread: owned by one decoder, used on its decoding thread.
 */
final class LevelBuffer {
    private final boolean[] bid;
    private final long[] price;
    private final long[] quantity;
    private int size;

    LevelBuffer(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("level capacity " + capacity + " must be positive");
        }
        bid = new boolean[capacity];
        price = new long[capacity];
        quantity = new long[capacity];
    }

    void clear() {
        size = 0;
    }

    /** whether another {@link #add} would exceed the capacity */
    boolean full() {
        return size == bid.length;
    }

    /**
     * Adds a level; {@code text} and {@code at} only say where, should the event hold more levels
     * than the buffer.
     */
    void add(boolean isBid, long priceTicks, long quantityLots, CharSequence text, int at) {
        if (size == bid.length) {
            throw new MalformedMessageException("more than " + bid.length + " levels in one event", text, at);
        }
        bid[size] = isBid;
        price[size] = priceTicks;
        quantity[size] = quantityLots;
        size++;
    }

    /** passes every collected level to the sink, in the order collected */
    void emit(FeedSink sink, int instrumentId, long venueSequence) {
        for (int i = 0; i < size; i++) {
            sink.level(instrumentId, bid[i] ? Side.BUY : Side.SELL, price[i], quantity[i], venueSequence);
        }
    }
}
