package io.mme.marketdata;

import io.mme.core.ring.Side;

/**
 * The price levels of one venue's book for one instrument: price ticks to quantity lots, per side.
 * Allocation-free after construction.
 *
 * <p>Layout: each side is a sorted array with the best level at the end, so the changes that are
 * most frequent (near the touch) move the fewest elements: bids ascending by price, asks
 * descending. A lookup is a binary search; an insert or a removal shifts the levels behind it.
 * Venue books are bounded in practice (Binance snapshots hold 5,000 levels a side, Kraken's book
 * at most 1,000); a side that would exceed its capacity drops its worst level and records that it
 * overflowed, which a connector treats as a reason to resynchronise.
 *
 * <p>Thread: owned by one thread (the market data engine's, or a decoder's in tests).
 */
public final class L2Book {
    public static final long NO_PRICE = Long.MIN_VALUE;
    private static final int BID = 0;
    private static final int ASK = 1;

    private final int capacity;
    /** per side, sorted ascending by key; key = price for bids, -price for asks; best at count - 1 */
    private final long[][] keys = new long[2][];
    private final long[][] quantities = new long[2][];
    private final int[] count = new int[2];
    private boolean overflowed;

    public L2Book(int capacityPerSide) {
        if (capacityPerSide < 1) {
            throw new IllegalArgumentException("book capacity " + capacityPerSide + " must be positive");
        }
        this.capacity = capacityPerSide;
        for (int s = 0; s < 2; s++) {
            keys[s] = new long[capacityPerSide];
            quantities[s] = new long[capacityPerSide];
        }
    }

    /** removes every level and the overflow mark */
    public void clear() {
        count[BID] = 0;
        count[ASK] = 0;
        overflowed = false;
    }

    /**
     * Sets a level to an absolute quantity; 0 removes it (removing a level the book does not hold
     * is normal for venue feeds and does nothing).
     */
    public void set(Side side, long priceTicks, long quantityLots) {
        int s = side == Side.BUY ? BID : ASK;
        long key = s == BID ? priceTicks : -priceTicks;
        long[] k = keys[s];
        long[] q = quantities[s];
        int n = count[s];
        int i = search(k, n, key);
        if (i >= 0) {
            if (quantityLots == 0) {
                System.arraycopy(k, i + 1, k, i, n - i - 1);
                System.arraycopy(q, i + 1, q, i, n - i - 1);
                count[s] = n - 1;
            } else {
                q[i] = quantityLots;
            }
            return;
        }
        if (quantityLots == 0) {
            return;
        }
        int at = -i - 1;
        if (n == capacity) {
            overflowed = true;
            if (at == 0) {
                return; // worse than every level held: dropped
            }
            // drop the worst level (index 0) to make room
            System.arraycopy(k, 1, k, 0, at - 1);
            System.arraycopy(q, 1, q, 0, at - 1);
            at--;
            n--;
        } else {
            System.arraycopy(k, at, k, at + 1, n - at);
            System.arraycopy(q, at, q, at + 1, n - at);
        }
        k[at] = key;
        q[at] = quantityLots;
        count[s] = n + 1;
    }

    /** keeps only the best {@code depth} levels of a side (Kraken's subscribed depth) */
    public void truncate(Side side, int depth) {
        int s = side == Side.BUY ? BID : ASK;
        int n = count[s];
        if (n <= depth) {
            return;
        }
        int drop = n - depth;
        System.arraycopy(keys[s], drop, keys[s], 0, depth);
        System.arraycopy(quantities[s], drop, quantities[s], 0, depth);
        count[s] = depth;
    }

    public long bestPrice(Side side) {
        return price(side, 0);
    }

    public long bestQuantity(Side side) {
        return quantity(side, 0);
    }

    /** price of the level {@code index} away from the best (0 = best), or {@link #NO_PRICE} */
    public long price(Side side, int index) {
        int s = side == Side.BUY ? BID : ASK;
        int n = count[s];
        if (index >= n) {
            return NO_PRICE;
        }
        long key = keys[s][n - 1 - index];
        return s == BID ? key : -key;
    }

    /** quantity of the level {@code index} away from the best, or 0 */
    public long quantity(Side side, int index) {
        int s = side == Side.BUY ? BID : ASK;
        int n = count[s];
        return index >= n ? 0 : quantities[s][n - 1 - index];
    }

    /** quantity at a price, 0 when there is no such level */
    public long quantityAt(Side side, long priceTicks) {
        int s = side == Side.BUY ? BID : ASK;
        int i = search(keys[s], count[s], s == BID ? priceTicks : -priceTicks);
        return i >= 0 ? quantities[s][i] : 0;
    }

    public int levels(Side side) {
        return count[side == Side.BUY ? BID : ASK];
    }

    /** true when both sides have levels and the best bid is at or above the best ask */
    public boolean crossed() {
        return count[BID] > 0 && count[ASK] > 0 && bestPrice(Side.BUY) >= bestPrice(Side.SELL);
    }

    /** true once a side had to drop a level for lack of capacity (since the last clear) */
    public boolean overflowed() {
        return overflowed;
    }

    public int capacityPerSide() {
        return capacity;
    }

    private static int search(long[] k, int n, long key) {
        int lo = 0;
        int hi = n - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            long v = k[mid];
            if (v < key) {
                lo = mid + 1;
            } else if (v > key) {
                hi = mid - 1;
            } else {
                return mid;
            }
        }
        return -(lo + 1);
    }
}
