package io.mme.marketdata;

import io.mme.core.ring.Side;
import io.mme.core.state.StateFormatException;
import io.mme.core.state.StateReader;
import io.mme.core.state.StateWriter;

/**
 * The price levels of one venue's book for one instrument: price ticks to quantity lots, per side.
 * Allocation-free after construction.
 *
 * <p>Layout: each side is a sorted array with the best level at the high end (bids ascending by
 * price, asks descending), held in the middle of an array twice the capacity, so that it can grow
 * at either end: a new best level (the most frequent insert) and a new worst level (how a venue's
 * snapshot arrives, best first) both cost O(1), and an insert or removal inside moves the shorter
 * of the two parts. When an end runs out of room the levels are re-centred (O(n), rarely). A
 * lookup gallops from the best level, then binary-searches ({@link #search}). Venue books are bounded in practice; a side that would exceed its
 * capacity drops its worst level and records that it overflowed, which the market data engine
 * treats as a reason to resynchronise.
 *
 * <p>Thread: owned by one thread (the market data engine's, or a decoder's).
 */
public final class L2Book {
    public static final long NO_PRICE = Long.MIN_VALUE;
    private static final int BID = 0;
    private static final int ASK = 1;

    private final int capacity;
    /** per side, sorted ascending by key in [lo, hi); key = price for bids, -price for asks; best at hi - 1 */
    private final long[][] keys = new long[2][];
    private final long[][] quantities = new long[2][];
    private final int[] lo = new int[2];
    private final int[] hi = new int[2];
    private boolean overflowed;

    public L2Book(int capacityPerSide) {
        if (capacityPerSide < 1 || capacityPerSide > (1 << 29)) {
            throw new IllegalArgumentException("book capacity " + capacityPerSide + " must be between 1 and 2^29");
        }
        this.capacity = capacityPerSide;
        for (int s = 0; s < 2; s++) {
            keys[s] = new long[2 * capacityPerSide + 2];
            quantities[s] = new long[2 * capacityPerSide + 2];
        }
        clear();
    }

    /** removes every level and the overflow mark */
    public void clear() {
        for (int s = 0; s < 2; s++) {
            lo[s] = capacity + 1;
            hi[s] = capacity + 1;
        }
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
        int i = search(k, lo[s], hi[s], key);
        if (i >= 0) {
            if (quantityLots == 0) {
                remove(s, i);
            } else {
                q[i] = quantityLots;
            }
            return;
        }
        if (quantityLots == 0) {
            return;
        }
        int at = -i - 1;
        if (hi[s] - lo[s] == capacity) {
            overflowed = true;
            if (at == lo[s]) {
                return; // worse than every level held: dropped
            }
            lo[s]++; // drop the worst level to make room
        }
        insert(s, at, key, quantityLots);
    }

    private void insert(int s, int at, long key, long quantity) {
        long[] k = keys[s];
        long[] q = quantities[s];
        int l = lo[s];
        int h = hi[s];
        boolean towardLow = at - l < h - at;
        if ((towardLow && l > 0) || h == k.length) {
            if (l == 0) {
                recentre(s);
                insert(s, at - l + lo[s], key, quantity);
                return;
            }
            System.arraycopy(k, l, k, l - 1, at - l);
            System.arraycopy(q, l, q, l - 1, at - l);
            lo[s] = l - 1;
            k[at - 1] = key;
            q[at - 1] = quantity;
        } else {
            System.arraycopy(k, at, k, at + 1, h - at);
            System.arraycopy(q, at, q, at + 1, h - at);
            hi[s] = h + 1;
            k[at] = key;
            q[at] = quantity;
        }
    }

    private void remove(int s, int i) {
        long[] k = keys[s];
        long[] q = quantities[s];
        int l = lo[s];
        int h = hi[s];
        if (i - l < h - 1 - i) {
            System.arraycopy(k, l, k, l + 1, i - l);
            System.arraycopy(q, l, q, l + 1, i - l);
            lo[s] = l + 1;
        } else {
            System.arraycopy(k, i + 1, k, i, h - 1 - i);
            System.arraycopy(q, i + 1, q, i, h - 1 - i);
            hi[s] = h - 1;
        }
    }

    /** moves a side's levels back to the middle of its arrays */
    private void recentre(int s) {
        long[] k = keys[s];
        long[] q = quantities[s];
        int n = hi[s] - lo[s];
        int to = (k.length - n) / 2;
        System.arraycopy(k, lo[s], k, to, n);
        System.arraycopy(q, lo[s], q, to, n);
        lo[s] = to;
        hi[s] = to + n;
    }

    /** keeps only the best {@code depth} levels of a side (Kraken's subscribed depth) */
    public void truncate(Side side, int depth) {
        int s = side == Side.BUY ? BID : ASK;
        if (hi[s] - lo[s] > depth) {
            lo[s] = hi[s] - depth;
        }
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
        int at = hi[s] - 1 - index;
        if (index < 0 || at < lo[s]) {
            return NO_PRICE;
        }
        long key = keys[s][at];
        return s == BID ? key : -key;
    }

    /** quantity of the level {@code index} away from the best, or 0 */
    public long quantity(Side side, int index) {
        int s = side == Side.BUY ? BID : ASK;
        int at = hi[s] - 1 - index;
        return index < 0 || at < lo[s] ? 0 : quantities[s][at];
    }

    /** quantity at a price, 0 when there is no such level */
    public long quantityAt(Side side, long priceTicks) {
        int s = side == Side.BUY ? BID : ASK;
        int i = search(keys[s], lo[s], hi[s], s == BID ? priceTicks : -priceTicks);
        return i >= 0 ? quantities[s][i] : 0;
    }

    public int levels(Side side) {
        int s = side == Side.BUY ? BID : ASK;
        return hi[s] - lo[s];
    }

    /** true when both sides have levels and the best bid is at or above the best ask */
    public boolean crossed() {
        return levels(Side.BUY) > 0 && levels(Side.SELL) > 0 && bestPrice(Side.BUY) >= bestPrice(Side.SELL);
    }

    /** true once a side had to drop a level for lack of capacity (since the last clear) */
    public boolean overflowed() {
        return overflowed;
    }

    /**
     * What is wrong with the book, or null: each side strictly ordered from the best, prices and
     * quantities positive. For tests and diagnostics; allocates only when it finds something.
     */
    public String inconsistency() {
        for (Side side : Side.values()) {
            long previous = 0;
            for (int i = 0; i < levels(side); i++) {
                long price = price(side, i);
                long qty = quantity(side, i);
                if (price <= 0 || qty <= 0) {
                    return side + " level " + i + " is " + qty + " @ " + price;
                }
                if (i > 0 && (side == Side.BUY ? price >= previous : price <= previous)) {
                    return side + " levels " + (i - 1) + " and " + i + " are out of order: " + previous + ", " + price;
                }
                previous = price;
            }
        }
        return null;
    }

    /** the first level where this book and {@code expected} differ, or null when they hold the same levels */
    public String difference(L2Book expected) {
        for (Side side : Side.values()) {
            if (levels(side) != expected.levels(side)) {
                return side + ": " + levels(side) + " levels, expected " + expected.levels(side);
            }
            for (int i = 0; i < levels(side); i++) {
                if (price(side, i) != expected.price(side, i) || quantity(side, i) != expected.quantity(side, i)) {
                    return side + " level " + i + ": " + quantity(side, i) + " @ " + price(side, i) + ", expected "
                            + expected.quantity(side, i) + " @ " + expected.price(side, i);
                }
            }
        }
        return null;
    }

    /**
     * Writes the book for a snapshot: the overflow mark, then per side (bids, asks) the level count
     * and each level's price and quantity, best first. The layout inside the arrays is not written:
     * it does not change what the book holds or does.
     */
    public void writeState(StateWriter out) {
        out.putBoolean(overflowed);
        for (Side side : Side.values()) {
            int n = levels(side);
            out.putInt(n);
            for (int i = 0; i < n; i++) {
                out.putLong(price(side, i)).putLong(quantity(side, i));
            }
        }
    }

    /**
     * Replaces the book with one {@link #writeState} wrote; refuses a side deeper than this book's
     * capacity, a level out of order or with a quantity that is not positive.
     */
    public void readState(StateReader in) {
        clear();
        boolean overflow = in.getBoolean();
        for (Side side : Side.values()) {
            int n = in.getInt();
            if (n < 0 || n > capacity) {
                throw new StateFormatException("book state: " + n + " " + side + " levels, capacity " + capacity);
            }
            long previous = NO_PRICE;
            for (int i = 0; i < n; i++) {
                long price = in.getLong();
                long quantity = in.getLong();
                boolean ordered = price != NO_PRICE && (i == 0 || (side == Side.BUY ? price < previous : price > previous));
                if (!ordered || quantity <= 0) {
                    throw new StateFormatException("book state: " + side + " level " + i + " is " + quantity + " @ " + price
                            + (i > 0 ? " after " + previous : ""));
                }
                set(side, price, quantity); // each is the worst so far: O(1)
                previous = price;
            }
        }
        overflowed = overflow;
    }

    /**
     * Search in [from, to), ascending; the index, or -(insertion point + 1). Gallops down from the
     * best end (to - 1, then 2, 4, 8 … below it) to bracket the key, then binary-searches the
     * bracket: a level near the touch, where most updates fall, costs a few comparisons however
     * deep the book; one far from it at most twice a plain binary search's.
     */
    private static int search(long[] k, int from, int to, long key) {
        int high = to - 1; // every index above high holds a key greater than key
        int low = from;
        for (int distance = 1; ; distance <<= 1) {
            int probe = to - distance;
            if (probe < from) {
                break;
            }
            long v = k[probe];
            if (v == key) {
                return probe;
            }
            if (v < key) {
                low = probe + 1;
                break;
            }
            high = probe - 1; // distance stays below 2^30: a side holds at most 2^29 levels
        }
        while (low <= high) {
            int mid = (low + high) >>> 1;
            long v = k[mid];
            if (v < key) {
                low = mid + 1;
            } else if (v > key) {
                high = mid - 1;
            } else {
                return mid;
            }
        }
        return -(low + 1);
    }
}
