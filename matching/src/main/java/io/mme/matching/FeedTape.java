package io.mme.matching;

import io.mme.core.ring.Side;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Public trades of a live venue handed to the paper venue, so that the engine's paper orders fill
 * as the real market trades through them ("live paper"): a trade at price p in which the taker sold
 * fills our paper bids at p or above, up to the trade's quantity, and the other way round.
 *
 * <p>One producer (the venue feed's thread) and one consumer (the paper venue's thread): a
 * single-producer single-consumer ring of preallocated longs, nothing allocated per trade. A full
 * tape drops the trade and counts it ({@link #dropped}); the paper venue's fills are then only
 * less generous, the engine's market data (which does not come through here) is untouched.
 */
public final class TradeTape {
    private static final int FIELDS = 4;
    private final long[] slots;
    private final int mask;
    /** next slot to write; written by the producer only */
    private final AtomicLong head = new AtomicLong();
    /** next slot to read; written by the consumer only */
    private final AtomicLong tail = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();

    /** @param capacity trades held, a power of two */
    public TradeTape(int capacity) {
        if (capacity < 2 || Integer.bitCount(capacity) != 1) {
            throw new IllegalArgumentException("tape capacity must be a power of two: " + capacity);
        }
        this.slots = new long[capacity * FIELDS];
        this.mask = capacity - 1;
    }

    /**
     * Adds one public trade; producer thread only.
     *
     * @param aggressor the taker's side
     * @return false when the tape was full (the trade is dropped and counted)
     */
    public boolean offer(int instrumentId, Side aggressor, long priceTicks, long quantityLots) {
        long h = head.get();
        if (h - tail.get() > mask) {
            dropped.incrementAndGet();
            return false;
        }
        int base = (int) (h & mask) * FIELDS;
        slots[base] = instrumentId;
        slots[base + 1] = aggressor == Side.BUY ? 1 : -1;
        slots[base + 2] = priceTicks;
        slots[base + 3] = quantityLots;
        head.lazySet(h + 1);
        return true;
    }

    /** one trade as the consumer sees it */
    @FunctionalInterface
    public interface TradeHandler {
        void onTrade(int instrumentId, Side aggressor, long priceTicks, long quantityLots);
    }

    /** hands every trade offered so far to {@code handler}, in order; consumer thread only */
    public int drain(TradeHandler handler) {
        long t = tail.get();
        long h = head.get();
        int n = 0;
        while (t < h) {
            int base = (int) (t & mask) * FIELDS;
            handler.onTrade((int) slots[base], slots[base + 1] > 0 ? Side.BUY : Side.SELL, slots[base + 2], slots[base + 3]);
            t++;
            n++;
        }
        tail.lazySet(t);
        return n;
    }

    public long dropped() {
        return dropped.get();
    }
}
