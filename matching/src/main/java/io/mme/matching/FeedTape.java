package io.mme.matching;

import io.mme.core.ring.Side;

import java.util.concurrent.atomic.AtomicLong;

/**
 * A live venue's public feed handed to the paper venue ("live paper"): its public trades, so that
 * the engine's paper orders fill as the real market trades through them, and, when the paper venue
 * models queue position, the book's level changes and snapshots, so that it knows the displayed
 * quantity ahead of each paper order. Items come out in the order the feed offered them (a trade
 * and the depth update it causes keep their order).
 *
 * <p>One producer (the venue feed's thread) and one consumer (the paper venue's thread): a
 * single-producer single-consumer ring of preallocated longs, nothing allocated per item. A full
 * tape drops the item and counts it ({@link #dropped}): a dropped trade makes the paper fills only
 * less generous, a dropped level leaves the paper venue's copy of that level wrong until the venue
 * changes it again or sends a snapshot; the engine's market data (which does not come through here)
 * is untouched.
 */
public final class FeedTape {
    private static final int FIELDS = 4;
    private static final long TRADE_BUY = 1;
    private static final long TRADE_SELL = 2;
    private static final long LEVEL_BID = 3;
    private static final long LEVEL_ASK = 4;
    private static final long CLEAR = 5;

    private final long[] slots;
    private final int mask;
    /** next slot to write; written by the producer only */
    private final AtomicLong head = new AtomicLong();
    /** next slot to read; written by the consumer only */
    private final AtomicLong tail = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();

    /** @param capacity items held, a power of two */
    public FeedTape(int capacity) {
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
    public boolean trade(int instrumentId, Side aggressor, long priceTicks, long quantityLots) {
        return offer(instrumentId, aggressor == Side.BUY ? TRADE_BUY : TRADE_SELL, priceTicks, quantityLots);
    }

    /** Adds a level set to an absolute quantity (0 removes it); producer thread only. */
    public boolean level(int instrumentId, Side side, long priceTicks, long quantityLots) {
        return offer(instrumentId, side == Side.BUY ? LEVEL_BID : LEVEL_ASK, priceTicks, quantityLots);
    }

    /** Adds the start of a snapshot of the instrument's book (the levels that follow rebuild it); producer thread only. */
    public boolean clear(int instrumentId) {
        return offer(instrumentId, CLEAR, 0, 0);
    }

    private boolean offer(int instrumentId, long kind, long priceTicks, long quantityLots) {
        long h = head.get();
        if (h - tail.get() > mask) {
            dropped.incrementAndGet();
            return false;
        }
        int base = (int) (h & mask) * FIELDS;
        slots[base] = instrumentId;
        slots[base + 1] = kind;
        slots[base + 2] = priceTicks;
        slots[base + 3] = quantityLots;
        head.lazySet(h + 1);
        return true;
    }

    /** the feed's items as the consumer sees them */
    public interface Reader {
        /** a public trade; {@code aggressor} is the taker's side */
        void trade(int instrumentId, Side aggressor, long priceTicks, long quantityLots);

        /** a displayed level's new quantity (0: gone) */
        void level(int instrumentId, Side side, long priceTicks, long quantityLots);

        /** a snapshot of the instrument's book starts */
        void clear(int instrumentId);
    }

    /** hands every item offered so far to {@code reader}, in order; consumer thread only */
    public int drain(Reader reader) {
        long t = tail.get();
        long h = head.get();
        int n = 0;
        while (t < h) {
            int base = (int) (t & mask) * FIELDS;
            int instrumentId = (int) slots[base];
            long kind = slots[base + 1];
            long price = slots[base + 2];
            long quantity = slots[base + 3];
            if (kind == TRADE_BUY || kind == TRADE_SELL) {
                reader.trade(instrumentId, kind == TRADE_BUY ? Side.BUY : Side.SELL, price, quantity);
            } else if (kind == LEVEL_BID || kind == LEVEL_ASK) {
                reader.level(instrumentId, kind == LEVEL_BID ? Side.BUY : Side.SELL, price, quantity);
            } else {
                reader.clear(instrumentId);
            }
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
