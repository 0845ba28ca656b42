package io.mme.app.stream;

import io.mme.core.instrument.InstrumentRegistry;
import io.mme.core.ring.BookState;
import io.mme.core.ring.BookView;
import io.mme.core.ring.InboundEvent;
import io.mme.core.ring.InboundEventType;
import io.mme.core.ring.MarketDataUpdate;
import io.mme.core.ring.Side;
import io.mme.core.runtime.Engine;
import io.mme.marketdata.L2Book;
import io.mme.matching.BookConfig;
import io.mme.matching.BookListener;
import io.mme.matching.OrderBook;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The streaming API's tap (stage {@code Pipeline.STREAM}, after the chain, on its own engine
 * thread): keeps its own copy of every instrument's L2 book (LEVEL, CLEAR, BEST_BID_OFFER events;
 * the state the market data engine wrote into the slot's {@link BookView}, or BOOK_STATE without
 * it), an order-level replica ({@link OrderBook}) for each instrument that has ORDER_* events, and
 * a ring of recent trades per instrument. Per event the work is constant and allocation-free; at
 * most every {@link #PUBLISH_INTERVAL_NANOS} of event time it copies the books that changed into
 * immutable {@link Snapshots} and publishes them through one {@link AtomicReferenceArray} per kind,
 * which the stream server's dispatcher reads from its own thread.
 *
 * <p>Threads: the books, rings and flags belong to the tap's engine thread; the published
 * references and {@link #publications()} may be read by any thread.
 */
public final class StreamTap implements Engine<InboundEvent> {
    /** the least event time between two publications */
    public static final long PUBLISH_INTERVAL_NANOS = 100_000_000L;
    /** levels per side copied into an L2 snapshot (a subscription asks for at most 100, grouping may need more) */
    static final int SNAPSHOT_LEVELS = 400;
    /** levels per side and orders per level copied into an L3 snapshot */
    static final int L3_LEVELS = 100;
    static final int L3_ORDERS_PER_LEVEL = 200;
    /** public trades kept per instrument */
    static final int TRADES_KEPT = 256;

    private final InstrumentRegistry instruments;
    private final int l3Capacity;
    private final L2Book[] books;
    private final BookState[] states;
    private final boolean[] hasLevels;
    private final long[] updatedNanos;
    private final OrderBook[] orderBooks;
    private final long[][] tradePrices;
    private final long[][] tradeSizes;
    private final long[][] tradeTimes;
    private final boolean[][] tradeBuys;
    private final long[] tradeTotals;
    private final boolean[] l2Dirty;
    private final boolean[] l3Dirty;
    private final boolean[] tradesDirty;
    private boolean anyDirty;
    private long lastPublishNanos = Long.MIN_VALUE;
    private final long[] scratchPrices = new long[Math.max(SNAPSHOT_LEVELS, L3_LEVELS)];
    private final long[] scratchSizes = new long[Math.max(SNAPSHOT_LEVELS, L3_LEVELS)];
    private final int[] scratchCounts = new int[L3_LEVELS];
    private long[] scratchIds = new long[1024];
    private long[] scratchOrderSizes = new long[1024];

    private final AtomicReferenceArray<Snapshots.L2> l2;
    private final AtomicReferenceArray<Snapshots.L3> l3;
    private final AtomicReferenceArray<Snapshots.Trades> trades;
    private final AtomicLong publications = new AtomicLong();

    /**
     * @param levelsPerSide capacity of each L2 book side
     * @param l3Capacity    orders an order-level replica can hold
     */
    public StreamTap(InstrumentRegistry instruments, int levelsPerSide, int l3Capacity) {
        this.instruments = instruments;
        this.l3Capacity = l3Capacity;
        int n = instruments.size();
        books = new L2Book[n];
        states = new BookState[n];
        hasLevels = new boolean[n];
        updatedNanos = new long[n];
        orderBooks = new OrderBook[n];
        tradePrices = new long[n][TRADES_KEPT];
        tradeSizes = new long[n][TRADES_KEPT];
        tradeTimes = new long[n][TRADES_KEPT];
        tradeBuys = new boolean[n][TRADES_KEPT];
        tradeTotals = new long[n];
        l2Dirty = new boolean[n];
        l3Dirty = new boolean[n];
        tradesDirty = new boolean[n];
        for (int i = 0; i < n; i++) {
            books[i] = new L2Book(levelsPerSide);
            states[i] = BookState.SYNCING;
        }
        l2 = new AtomicReferenceArray<>(n);
        l3 = new AtomicReferenceArray<>(n);
        trades = new AtomicReferenceArray<>(n);
    }

    public StreamTap(InstrumentRegistry instruments) {
        this(instruments, 5_000, 1 << 16);
    }

    public InstrumentRegistry instruments() {
        return instruments;
    }

    @Override
    public void onEvent(InboundEvent event, long sequence, boolean endOfBatch) {
        InboundEventType type = event.type();
        long now = event.timestampNanos();
        if (type == InboundEventType.MARKET_DATA) {
            apply(event.marketData(), now);
        }
        BookView view = event.book();
        int touched = view.instrumentId();
        if (touched >= 0 && touched < states.length && view.state() != null) {
            state(touched, view.state(), now);
        }
        for (int i = 0; i < view.changes(); i++) {
            int id = view.changedInstrument(i);
            if (id >= 0 && id < states.length) {
                state(id, view.changedState(i), now);
            }
        }
        if (anyDirty && (lastPublishNanos == Long.MIN_VALUE || now - lastPublishNanos >= PUBLISH_INTERVAL_NANOS)) {
            publish(now);
        }
    }

    private void state(int id, BookState state, long now) {
        if (states[id] != state) {
            states[id] = state;
            changed(id, now);
        }
    }

    private void changed(int id, long now) {
        l2Dirty[id] = true;
        updatedNanos[id] = now;
        anyDirty = true;
    }

    private void apply(MarketDataUpdate md, long now) {
        int id = md.instrumentId();
        if (id < 0 || id >= books.length || md.kind() == null) {
            return;
        }
        switch (md.kind()) {
            case LEVEL -> {
                hasLevels[id] = true;
                books[id].set(md.side(), md.priceTicks(), md.quantityLots());
                changed(id, now);
            }
            case CLEAR -> {
                hasLevels[id] = true;
                books[id].clear();
                changed(id, now);
            }
            case BEST_BID_OFFER -> {
                if (!hasLevels[id]) {
                    L2Book book = books[id];
                    book.clear();
                    if (md.quantityLots() > 0) {
                        book.set(Side.BUY, md.priceTicks(), md.quantityLots());
                    }
                    if (md.otherQuantityLots() > 0) {
                        book.set(Side.SELL, md.otherPriceTicks(), md.otherQuantityLots());
                    }
                    changed(id, now);
                }
            }
            case BOOK_STATE -> state(id, md.bookValid() ? BookState.VALID : BookState.INVALID, now);
            case TRADE -> {
                int at = (int) (tradeTotals[id] % TRADES_KEPT);
                tradePrices[id][at] = md.priceTicks();
                tradeSizes[id][at] = md.quantityLots();
                tradeTimes[id][at] = now;
                tradeBuys[id][at] = md.side() == Side.BUY;
                tradeTotals[id]++;
                tradesDirty[id] = true;
                anyDirty = true;
            }
            case ORDER_ADDED, ORDER_REDUCED, ORDER_EXECUTED, ORDER_DELETED -> order(id, md);
        }
    }

    private void order(int id, MarketDataUpdate md) {
        OrderBook book = orderBooks[id];
        if (book == null) {
            // the first order-level event of this instrument: allocated once
            book = new OrderBook(BookConfig.of(instruments.get(id).venue().id(), id).withCapacity(l3Capacity), BookListener.NONE);
            orderBooks[id] = book;
        }
        long orderId = md.orderId();
        switch (md.kind()) {
            case ORDER_ADDED -> book.addResting(orderId, 0, md.side(), md.priceTicks(), md.quantityLots());
            case ORDER_REDUCED -> {
                long by = book.remaining(orderId) - md.quantityLots();
                if (md.quantityLots() <= 0) {
                    book.delete(orderId);
                } else if (by > 0) {
                    book.reduce(orderId, by);
                }
            }
            case ORDER_EXECUTED -> {
                long by = book.remaining(orderId) - Math.max(0, md.quantityLots());
                if (by > 0) {
                    book.execute(orderId, by);
                }
            }
            default -> book.delete(orderId);
        }
        l3Dirty[id] = true;
        anyDirty = true;
    }

    /** copies what changed since the last publication into new snapshots (allocation here: at most 10/s per book) */
    private void publish(long now) {
        for (int id = 0; id < books.length; id++) {
            if (l2Dirty[id]) {
                l2Dirty[id] = false;
                l2.setRelease(id, l2Snapshot(id));
            }
            if (l3Dirty[id]) {
                l3Dirty[id] = false;
                l3.setRelease(id, new Snapshots.L3(id, now, l3Side(orderBooks[id], Side.BUY), l3Side(orderBooks[id], Side.SELL)));
            }
            if (tradesDirty[id]) {
                tradesDirty[id] = false;
                trades.setRelease(id, tradesSnapshot(id));
            }
        }
        anyDirty = false;
        lastPublishNanos = now;
        publications.incrementAndGet();
    }

    private Snapshots.L2 l2Snapshot(int id) {
        L2Book book = books[id];
        int bids = Math.min(SNAPSHOT_LEVELS, book.levels(Side.BUY));
        int asks = Math.min(SNAPSHOT_LEVELS, book.levels(Side.SELL));
        long[] bp = new long[bids];
        long[] bq = new long[bids];
        long[] ap = new long[asks];
        long[] aq = new long[asks];
        for (int i = 0; i < bids; i++) {
            bp[i] = book.price(Side.BUY, i);
            bq[i] = book.quantity(Side.BUY, i);
        }
        for (int i = 0; i < asks; i++) {
            ap[i] = book.price(Side.SELL, i);
            aq[i] = book.quantity(Side.SELL, i);
        }
        return new Snapshots.L2(id, states[id], updatedNanos[id], bp, bq, ap, aq);
    }

    private Snapshots.L3Side l3Side(OrderBook book, Side side) {
        int levels = book.depth(side, L3_LEVELS, scratchPrices, scratchSizes, scratchCounts);
        long[] prices = new long[levels];
        long[][] ids = new long[levels][];
        long[][] sizes = new long[levels][];
        for (int l = 0; l < levels; l++) {
            prices[l] = scratchPrices[l];
            if (scratchIds.length < scratchCounts[l]) {
                scratchIds = new long[Integer.highestOneBit(scratchCounts[l]) << 1];
                scratchOrderSizes = new long[scratchIds.length];
            }
            int n = book.ordersAt(side, prices[l], scratchIds, scratchOrderSizes);
            int kept = Math.min(n, L3_ORDERS_PER_LEVEL);
            ids[l] = java.util.Arrays.copyOf(scratchIds, kept);
            sizes[l] = java.util.Arrays.copyOf(scratchOrderSizes, kept);
        }
        return new Snapshots.L3Side(prices, ids, sizes);
    }

    private Snapshots.Trades tradesSnapshot(int id) {
        long total = tradeTotals[id];
        int n = (int) Math.min(total, TRADES_KEPT);
        long[] p = new long[n];
        long[] q = new long[n];
        long[] t = new long[n];
        boolean[] b = new boolean[n];
        for (int i = 0; i < n; i++) {
            int at = (int) ((total - n + i) % TRADES_KEPT);
            p[i] = tradePrices[id][at];
            q[i] = tradeSizes[id][at];
            t[i] = tradeTimes[id][at];
            b[i] = tradeBuys[id][at];
        }
        return new Snapshots.Trades(id, total, p, q, t, b);
    }

    /**
     * Forgets the books, book states and order-level replicas of a pass of a playback that a seek
     * backward ended: the engines are built again and fed from the journal's start, and so is the tap.
     * Its next publication carries every book as the new pass builds it. Public trades are kept (their
     * counts go on, so that a subscriber's trades stay in sequence). Called by the playback's feeder
     * only while no engine thread runs the tap (between two pipelines: their threads' start and join
     * order the writes).
     */
    public void restart() {
        for (int id = 0; id < books.length; id++) {
            books[id].clear();
            states[id] = BookState.SYNCING;
            hasLevels[id] = false;
            orderBooks[id] = null;
            l3Dirty[id] = false;
            l2Dirty[id] = true;
        }
        anyDirty = true;
        lastPublishNanos = Long.MIN_VALUE;
    }

    /** the latest L2 snapshot of an instrument, or null before its first change */
    Snapshots.L2 l2(int instrumentId) {
        return l2.getAcquire(instrumentId);
    }

    /** the latest order-level snapshot, or null when the instrument has had no order-level data */
    Snapshots.L3 l3(int instrumentId) {
        return l3.getAcquire(instrumentId);
    }

    /** the latest trades, or null before the first */
    Snapshots.Trades trades(int instrumentId) {
        return trades.getAcquire(instrumentId);
    }

    /** how many times the tap published (any thread) */
    public long publications() {
        return publications.get();
    }
}
