package io.mme.matching;

import io.mme.core.ring.Side;
import io.mme.core.ring.TimeInForce;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * DESIGN.md principle 4 for the matching engine: once warmed up, resting, crossing, partial fills,
 * replaces, cancels, IOC takers and mass cancels allocate nothing on the book's thread (the bytes
 * this thread allocates over thousands of rounds stay below a small allowance for the measurement
 * itself).
 */
class OrderBookAllocationTest {
    private static final long ALLOWANCE_BYTES = 1024;
    private final CountingListener events = new CountingListener();
    private final OrderBook book = new OrderBook(BookConfig.of(0, 0).withCapacity(1024).withBand(1, 1_000_000), events);
    private long nextId = 1;

    @Test
    void restingCrossingReplacingAndCancellingAllocateNothing() {
        for (int i = 0; i < 20_000; i++) {
            round(i);
        }
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long trades = events.trades;
        long executions = events.executions;
        long before = threads.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < 10_000; i++) {
            round(i);
        }
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;

        assertThat(events.trades - trades).as("two trades a round").isEqualTo(2L * 10_000);
        assertThat(events.executions - executions).isPositive();
        assertThat(book.restingOrders()).as("every round leaves the book empty").isZero();
        assertThat(allocated).as("bytes allocated in 10,000 rounds").isLessThan(ALLOWANCE_BYTES);
    }

    /**
     * Three sells rest on two levels (one replaced), a buy takes the best level and part of the next,
     * an IOC buy takes a little more and its rest is cancelled, the rest is cancelled by id and en masse.
     */
    private void round(int i) {
        book.setTime(1_000_000L * i);
        long price = 100_000 + (i % 10);
        long a = nextId++;
        long b = nextId++;
        long c = nextId++;
        book.newOrder(a, 1, Side.SELL, OrderType.LIMIT, TimeInForce.GTC, true, SelfTradePrevention.NONE, price, 5);
        book.newOrder(b, 1, Side.SELL, OrderType.LIMIT, TimeInForce.GTC, false, SelfTradePrevention.NONE, price + 1, 5);
        book.newOrder(c, 2, Side.SELL, OrderType.LIMIT, TimeInForce.GTC, false, SelfTradePrevention.NONE, price + 3, 4);
        book.replace(1, b, price + 2, 6);
        // takes a (5) and 2 of b
        book.newOrder(nextId++, 3, Side.BUY, OrderType.LIMIT, TimeInForce.GTC, false, SelfTradePrevention.NONE, price + 2, 7);
        // an IOC below every ask: nothing trades, it is cancelled at once
        book.newOrder(nextId++, 3, Side.BUY, OrderType.LIMIT, TimeInForce.IOC, false, SelfTradePrevention.NONE, price, 1);
        book.cancel(2, c);
        book.massCancel(1);
    }

    /** counts what the book says, keeps nothing */
    private static final class CountingListener implements BookListener {
        long executions;
        long trades;
        long levels;
        long orders;

        @Override
        public void onExecution(long bookSequence, io.mme.core.ring.ExecutionReport report) {
            executions++;
        }

        @Override
        public void onTrade(long bookSequence, long tradeId, Side aggressor, long priceTicks, long quantityLots,
                            long makerOrderId, long takerOrderId) {
            trades++;
        }

        @Override
        public void onLevel(long bookSequence, Side side, long priceTicks, long quantityLots, int orderCount) {
            levels++;
        }

        @Override
        public void onOrder(long bookSequence, L3Kind kind, long orderId, Side side, long priceTicks, long quantityLots) {
            orders++;
        }
    }
}
