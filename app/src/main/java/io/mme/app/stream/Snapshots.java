package io.mme.app.stream;

import io.mme.core.ring.BookState;

/**
 * The immutable snapshots {@link StreamTap} publishes and {@link StreamServer} reads: built on the
 * tap's thread, never changed after publication, so any thread may read them.
 */
final class Snapshots {
    private Snapshots() {
    }

    /** one venue book's levels, best first (prices ticks, sizes lots) */
    static final class L2 {
        final int instrumentId;
        final BookState state;
        final long timestampNanos;
        final long[] bidPrices;
        final long[] bidSizes;
        final long[] askPrices;
        final long[] askSizes;

        L2(int instrumentId, BookState state, long timestampNanos, long[] bidPrices, long[] bidSizes, long[] askPrices, long[] askSizes) {
            this.instrumentId = instrumentId;
            this.state = state;
            this.timestampNanos = timestampNanos;
            this.bidPrices = bidPrices;
            this.bidSizes = bidSizes;
            this.askPrices = askPrices;
            this.askSizes = askSizes;
        }
    }

    /** one side of an order-level book: per level (best first) its price and its orders in queue order */
    static final class L3Side {
        final long[] prices;
        final long[][] orderIds;
        final long[][] orderSizes;

        L3Side(long[] prices, long[][] orderIds, long[][] orderSizes) {
            this.prices = prices;
            this.orderIds = orderIds;
            this.orderSizes = orderSizes;
        }
    }

    /** one venue book's resting orders */
    static final class L3 {
        final int instrumentId;
        final long timestampNanos;
        final L3Side bids;
        final L3Side asks;

        L3(int instrumentId, long timestampNanos, L3Side bids, L3Side asks) {
            this.instrumentId = instrumentId;
            this.timestampNanos = timestampNanos;
            this.bids = bids;
            this.asks = asks;
        }
    }

    /**
     * The latest public trades of one instrument, oldest first: trade {@code i} here is the
     * instrument's trade number {@code total - prices.length + i} (0-based, counted since start).
     */
    static final class Trades {
        final int instrumentId;
        final long total;
        final long[] prices;
        final long[] sizes;
        final long[] timestampsNanos;
        final boolean[] buys;

        Trades(int instrumentId, long total, long[] prices, long[] sizes, long[] timestampsNanos, boolean[] buys) {
            this.instrumentId = instrumentId;
            this.total = total;
            this.prices = prices;
            this.sizes = sizes;
            this.timestampsNanos = timestampsNanos;
            this.buys = buys;
        }
    }
}
