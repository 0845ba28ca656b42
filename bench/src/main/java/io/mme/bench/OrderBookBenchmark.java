package io.mme.bench;

import io.mme.core.ring.Side;
import io.mme.core.ring.TimeInForce;
import io.mme.matching.BookConfig;
import io.mme.matching.OrderBook;
import io.mme.matching.OrderType;
import io.mme.matching.SelfTradePrevention;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * The order book alone, one command path at a time, on a book in steady state: {@value #RESTING}
 * resting orders, bids below and asks above a fixed mid, each at a random price within
 * {@value #RANGE} ticks of it (about 750 levels in all), one owner, no self-trade prevention, a
 * listener that counts what the book says (so the book's output is paid for, as with a real
 * listener).
 *
 * <ul>
 *   <li>{@code add}: a GTC limit order that rests (no trade) at a random price of its side: an
 *       existing level or a new one. Timed in batches of {@value #BATCH}; the untimed tear-down of
 *       each batch cancels them again, so the book stays at 1,000 to 1,128 orders.</li>
 *   <li>{@code cancel}: cancels one of {@value #BATCH} orders the untimed set-up added, in a
 *       shuffled order (1,128 down to 1,000).</li>
 *   <li>{@code replace}: moves a random resting order to another random price of its side, same
 *       quantity: it leaves its level (maybe removing it) and joins another (maybe creating it) at
 *       the back. The book's size never changes. Timed one by one.</li>
 *   <li>{@code match}: an IOC limit order priced through the book whose quantity is one resting
 *       order's (every order rests 10 lots here), so it trades exactly once, with the head of the
 *       best level, and removes it. Sides alternate. Timed in batches of {@value #BATCH}; the untimed
 *       tear-down re-adds the orders it took, at the same prices, so the book's shape is kept.</li>
 * </ul>
 *
 * <p>Every state checks its answer in its untimed tear-down: the number of resting orders, trades,
 * fills and replaces the book reported, and no refusal. Run with {@code -prof gc}:
 * gc.alloc.rate.norm must be about 0 B/op. {@code -p capacity=1048576} runs the same on a book
 * sized for a million orders (bigger maps and arrays: more cache misses).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class OrderBookBenchmark {
    static final int RESTING = 1_000;
    static final long MID = 1_000_000;
    static final int RANGE = 825;
    static final int BATCH = 128;
    static final long OWNER = 7;
    static final long MATCH_QTY = 10;
    /** length of the pre-drawn random streams (a power of two) */
    static final int STREAM = 1 << 16;

    /** a book with {@value #RESTING} resting orders; ids 1..RESTING, bids at even indices */
    @State(Scope.Thread)
    public abstract static class BookState {
        @Param({"4096"})
        public int capacity;

        OrderBook book;
        final CountingListener listener = new CountingListener();
        final SplittableRandom random = new SplittableRandom(42);
        final long[] restingQty = new long[RESTING + 1];
        final long[] restingPrice = new long[RESTING + 1];
        long nextId = RESTING + 1;
        /** pre-drawn sides and prices of new orders, cycled through */
        final Side[] drawnSide = new Side[STREAM];
        final long[] drawnPrice = new long[STREAM];
        final long[] drawnQty = new long[STREAM];
        int cursor;

        void build(boolean fixedQty) {
            book = new OrderBook(new BookConfig(1, 1, capacity, 1, 1, 2 * MID), listener);
            for (int id = 1; id <= RESTING; id++) {
                Side side = id % 2 == 0 ? Side.BUY : Side.SELL;
                long qty = fixedQty ? MATCH_QTY : 1 + random.nextInt(100);
                long price = priceOn(side);
                restingQty[id] = qty;
                restingPrice[id] = price;
                rest(id, side, price, qty);
            }
            for (int i = 0; i < STREAM; i++) {
                drawnSide[i] = random.nextBoolean() ? Side.BUY : Side.SELL;
                drawnPrice[i] = priceOn(drawnSide[i]);
                drawnQty[i] = 1 + random.nextInt(100);
            }
            int levels = book.levels(Side.BUY) + book.levels(Side.SELL);
            if (book.restingOrders() != RESTING || levels < 650 || levels > 850 || listener.refusals() != 0) {
                throw new IllegalStateException("book set-up gives " + book.restingOrders() + " orders on " + levels
                        + " levels; " + listener.summary());
            }
            listener.reset();
        }

        long priceOn(Side side) {
            long offset = 1 + random.nextInt(RANGE);
            return side == Side.BUY ? MID - offset : MID + offset;
        }

        void rest(long id, Side side, long price, long qty) {
            book.newOrder(id, OWNER, side, OrderType.LIMIT, TimeInForce.GTC, false, SelfTradePrevention.NONE, price, qty);
        }

        /** adds {@value #BATCH} orders from the pre-drawn stream; returns the first id */
        long addBatch() {
            long first = nextId;
            for (int k = 0; k < BATCH; k++) {
                int i = cursor++ & (STREAM - 1);
                rest(nextId++, drawnSide[i], drawnPrice[i], drawnQty[i]);
            }
            return first;
        }

        void expect(String what, long actual, long expected) {
            if (actual != expected) {
                throw new IllegalStateException(getClass().getSimpleName() + ": " + what + " is " + actual
                        + ", expected " + expected + "; " + listener.summary());
            }
        }
    }

    @State(Scope.Thread)
    public static class AddState extends BookState {
        @Setup(Level.Trial)
        public void setUp() {
            build(false);
        }

        @TearDown(Level.Invocation)
        public void checkAndCancelTheBatch() {
            expect("resting orders after a batch of adds", book.restingOrders(), RESTING + BATCH);
            expect("refusals", listener.refusals(), 0);
            expect("trades", listener.trades, 0);
            for (long id = nextId - BATCH; id < nextId; id++) {
                book.cancel(OWNER, id);
            }
            expect("resting orders after cancelling the batch", book.restingOrders(), RESTING);
            expect("accepted", listener.accepted, BATCH);
            listener.reset();
        }
    }

    @State(Scope.Thread)
    public static class CancelState extends BookState {
        final int[] shuffled = new int[BATCH];
        long batchFirst;

        @Setup(Level.Trial)
        public void setUp() {
            build(false);
            for (int k = 0; k < BATCH; k++) {
                shuffled[k] = k;
            }
            for (int k = BATCH - 1; k > 0; k--) {
                int j = random.nextInt(k + 1);
                int t = shuffled[k];
                shuffled[k] = shuffled[j];
                shuffled[j] = t;
            }
        }

        @Setup(Level.Invocation)
        public void addTheBatch() {
            batchFirst = addBatch();
            expect("resting orders before a batch of cancels", book.restingOrders(), RESTING + BATCH);
            listener.reset();
        }

        @TearDown(Level.Invocation)
        public void check() {
            expect("resting orders after a batch of cancels", book.restingOrders(), RESTING);
            expect("cancelled", listener.cancelled, BATCH);
            expect("refusals", listener.refusals(), 0);
        }
    }

    @State(Scope.Thread)
    public static class ReplaceState extends BookState {
        /** pre-drawn replaces: which order and its new price, each different from the price before */
        final long[] replaceId = new long[STREAM];
        final long[] replacePrice = new long[STREAM];
        final long[] replaceQty = new long[STREAM];
        long replacesDone;

        @Setup(Level.Trial)
        public void setUp() {
            build(false);
            long[] price = restingPrice.clone();
            for (int i = 0; i < STREAM; i++) {
                int id = 1 + random.nextInt(RESTING);
                Side side = id % 2 == 0 ? Side.BUY : Side.SELL;
                long p;
                do {
                    p = priceOn(side);
                } while (p == price[id]);
                price[id] = p;
                replaceId[i] = id;
                replacePrice[i] = p;
                replaceQty[i] = restingQty[id];
            }
        }

        @TearDown(Level.Iteration)
        public void check() {
            expect("resting orders", book.restingOrders(), RESTING);
            expect("replaced", listener.replaced, replacesDone);
            expect("refusals", listener.refusals(), 0);
            expect("trades", listener.trades, 0);
            int levels = book.levels(Side.BUY) + book.levels(Side.SELL);
            if (levels < 650 || levels > 850) {
                throw new IllegalStateException("the book drifted to " + levels + " levels");
            }
        }
    }

    @State(Scope.Thread)
    public static class MatchState extends BookState {
        @Setup(Level.Trial)
        public void setUp() {
            build(true);
            listener.recordTrades(BATCH);
        }

        @TearDown(Level.Invocation)
        public void checkAndRestore() {
            expect("trades in a batch of aggressive orders", listener.trades, BATCH);
            expect("fills (maker and taker)", listener.fills, 2L * BATCH);
            expect("traded lots", listener.tradedQuantity, BATCH * MATCH_QTY);
            expect("refusals", listener.refusals(), 0);
            expect("resting orders after a batch of aggressive orders", book.restingOrders(), RESTING - BATCH);
            for (int k = 0; k < BATCH; k++) {
                rest(nextId++, listener.makerSides[k], listener.tradePrices[k], MATCH_QTY);
            }
            expect("resting orders after restoring the batch", book.restingOrders(), RESTING);
            expect("trades while restoring", listener.trades, BATCH);
            listener.reset();
        }
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long add(AddState s) {
        s.addBatch();
        return s.book.sequence();
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long cancel(CancelState s) {
        OrderBook book = s.book;
        long first = s.batchFirst;
        int[] order = s.shuffled;
        for (int k = 0; k < BATCH; k++) {
            book.cancel(OWNER, first + order[k]);
        }
        return book.sequence();
    }

    @Benchmark
    public boolean replace(ReplaceState s) {
        int i = (int) s.replacesDone++ & (STREAM - 1);
        return s.book.replace(OWNER, s.replaceId[i], s.replacePrice[i], s.replaceQty[i]);
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long match(MatchState s) {
        OrderBook book = s.book;
        long id = s.nextId;
        for (int k = 0; k < BATCH; k++) {
            boolean buy = (k & 1) == 0;
            book.newOrder(id++, OWNER + 1, buy ? Side.BUY : Side.SELL, OrderType.LIMIT, TimeInForce.IOC, false,
                    SelfTradePrevention.NONE, buy ? MID + RANGE + 1 : MID - RANGE - 1, MATCH_QTY);
        }
        s.nextId = id;
        return book.sequence();
    }
}
