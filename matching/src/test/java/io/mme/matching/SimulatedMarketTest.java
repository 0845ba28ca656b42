package io.mme.matching;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class SimulatedMarketTest {
    private static final long SECOND = 1_000_000_000L;

    static SimulatedMarket.Params params(long seed) {
        // mid 64,000.00 on a 0.01 tick, 0.20 of volatility per √s, orders 0.20 from the mid on average
        return new SimulatedMarket.Params(0, seed, 6_400_000, 20, 300, 150, 30, 20, 10, 50, 8);
    }

    /** runs one simulated minute into a fresh book and returns everything the book said */
    private static List<Object> runMinute(long seed) {
        return runMinute(seed, new OrderBook[1]);
    }

    private static List<Object> runMinute(long seed, OrderBook[] bookOut) {
        RecordingListener events = new RecordingListener();
        OrderBook book = new OrderBook(BookConfig.of(0, 0).withCapacity(1 << 16), events);
        bookOut[0] = book;
        SimulatedMarket market = new SimulatedMarket(params(seed), 0);
        market.seed(book, () -> { });
        while (market.nextArrivalNanos() <= 60 * SECOND) {
            book.setTime(market.nextArrivalNanos());
            market.fireNext(book);
            long bid = book.bestPrice(io.mme.core.ring.Side.BUY);
            long ask = book.bestPrice(io.mme.core.ring.Side.SELL);
            assertThat(bid == OrderBook.NO_PRICE || ask == OrderBook.NO_PRICE || bid < ask).as("book never crossed").isTrue();
        }
        return events.events;
    }

    @Test
    void theSameSeedGivesTheSameMarket() {
        assertThat(runMinute(42)).isEqualTo(runMinute(42));
        assertThat(runMinute(42)).isNotEqualTo(runMinute(43));
    }

    @Test
    void aSimulatedMinuteTradesAndKeepsATwoSidedBook() {
        OrderBook[] book = new OrderBook[1];
        List<Object> events = runMinute(7, book);
        long trades = events.stream().filter(RecordingListener.Trade.class::isInstance).count();
        // 30 market orders per second, plus limits that cross after the mid moved
        assertThat(trades).isGreaterThan(1000);
        assertThat(book[0].restingOrders()).isGreaterThan(200);
        assertThat(book[0].levels(io.mme.core.ring.Side.BUY)).isPositive();
        assertThat(book[0].levels(io.mme.core.ring.Side.SELL)).isPositive();
        long levelEvents = events.stream().filter(RecordingListener.Level.class::isInstance).count();
        assertThat(levelEvents).isGreaterThan(trades);
    }

    @Test
    void arrivalsFollowTheConfiguredRate() {
        SimulatedMarket market = new SimulatedMarket(params(1), 0);
        OrderBook book = new OrderBook(BookConfig.of(0, 0).withCapacity(1 << 16), BookListener.NONE);
        market.seed(book, () -> { });
        long seeded = market.commands();
        int arrivals = 0;
        while (market.nextArrivalNanos() <= 100 * SECOND) {
            market.fireNext(book);
            arrivals++;
        }
        // 480 per second over 100 s: 48,000 expected; a Poisson count is within a few percent
        assertThat(arrivals).isBetween(46_500, 49_500);
        assertThat(market.commands() - seeded).isGreaterThan(40_000);
    }
}
