package io.mme.matching;

import io.mme.core.ring.ExecType;
import io.mme.core.ring.Side;
import io.mme.core.ring.TimeInForce;
import org.junit.jupiter.api.Test;

import java.util.stream.LongStream;

import static io.mme.matching.SelfTradePrevention.NONE;
import static org.assertj.core.api.Assertions.assertThat;

class OrderBookTest {
    private final RecordingListener events = new RecordingListener();
    private final OrderBook book = new OrderBook(BookConfig.of(0, 0).withCapacity(64).withBand(1, 1_000_000), events);

    private boolean limit(long id, long owner, Side side, long price, long qty) {
        return book.newOrder(id, owner, side, OrderType.LIMIT, TimeInForce.GTC, false, NONE, price, qty);
    }

    @Test
    void pricesInsideAndOutsideThePriceLadderWindowRestReplaceAndMatchAlike() {
        long far = 500 + 3L * OrderBook.LADDER_TICKS;
        limit(1, 1, Side.SELL, 500, 2); // the side's first level: the ask ladder's window centres on 500
        limit(2, 1, Side.SELL, far, 3); // outside it: found through the price map
        limit(3, 2, Side.SELL, far, 4);
        long[] ids = new long[4];
        long[] qtys = new long[4];
        assertThat(book.ordersAt(Side.SELL, far, ids, qtys)).isEqualTo(2);
        assertThat(ids).startsWith(2, 3);
        assertThat(book.replace(1, 1, far, 2)).isTrue(); // into the far level, behind 2 and 3
        assertThat(book.ordersAt(Side.SELL, far, ids, qtys)).isEqualTo(3);
        assertThat(ids).startsWith(2, 3, 1);
        assertThat(book.ordersAt(Side.SELL, 500, ids, qtys)).isZero();
        assertThat(book.bestPrice(Side.SELL)).isEqualTo(far);
        events.clear();
        limit(10, 9, Side.BUY, far, 9); // takes the whole far level, in time order
        assertThat(events.of(RecordingListener.Trade.class))
                .extracting(RecordingListener.Trade::makerId).containsExactly(2L, 3L, 1L);
        assertThat(book.bestPrice(Side.SELL)).isEqualTo(OrderBook.NO_PRICE);
        // emptied levels are kept (the window stays on 500): new orders reuse them, inside and outside it
        book.newOrder(11, 1, Side.SELL, OrderType.LIMIT, TimeInForce.GTC, false, NONE, far + 10, 1);
        book.newOrder(12, 1, Side.SELL, OrderType.LIMIT, TimeInForce.GTC, false, NONE, 500, 1);
        assertThat(book.bestPrice(Side.SELL)).isEqualTo(500);
        assertThat(book.ordersAt(Side.SELL, far + 10, ids, qtys)).isEqualTo(1);
        assertThat(ids[0]).isEqualTo(11);
        assertThat(book.levels(Side.SELL)).isEqualTo(2);
    }

    @Test
    void theNextBestPriceIsFoundPastEmptiedLevelsAndOutsideTheLadderWindowOnBothSides() {
        long[] prices = new long[8];
        long[] qtys = new long[8];
        // asks: the window centres on 50,000; 50,005 is emptied and kept; far is outside the window
        long farAsk = 50_000 + 3L * OrderBook.LADDER_TICKS;
        limit(1, 1, Side.SELL, 50_000, 1);
        limit(2, 1, Side.SELL, 50_010, 1);
        limit(3, 1, Side.SELL, farAsk, 1);
        limit(4, 1, Side.SELL, 50_005, 1);
        assertThat(book.cancel(1, 4)).isTrue();
        limit(5, 9, Side.BUY, 50_000, 1); // takes 50,000: the next best skips the empty 50,005
        assertThat(book.bestPrice(Side.SELL)).isEqualTo(50_010);
        limit(6, 9, Side.BUY, 50_010, 1); // takes 50,010: the next best is outside the window
        assertThat(book.bestPrice(Side.SELL)).isEqualTo(farAsk);
        assertThat(book.depth(Side.SELL, 8, prices, qtys, null)).isEqualTo(1);
        limit(7, 1, Side.SELL, 50_005, 2); // the kept level comes back to life
        assertThat(book.bestPrice(Side.SELL)).isEqualTo(50_005);
        assertThat(book.depth(Side.SELL, 8, prices, qtys, null)).isEqualTo(2);
        assertThat(prices).startsWith(50_005, farAsk);

        // bids: the window centres on 20,000; one bid better than the window, one worse
        long farBid = 20_000 - 3L * OrderBook.LADDER_TICKS;
        limit(11, 2, Side.BUY, 20_000, 1);
        limit(12, 2, Side.BUY, 19_990, 1);
        limit(13, 2, Side.BUY, 19_995, 1);
        limit(14, 2, Side.BUY, farBid, 1);
        limit(15, 2, Side.BUY, 30_000, 1);
        assertThat(book.cancel(2, 13)).isTrue();
        assertThat(book.depth(Side.BUY, 8, prices, qtys, null)).isEqualTo(4);
        assertThat(prices).startsWith(30_000, 20_000, 19_990, farBid);
        limit(16, 9, Side.SELL, 30_000, 1); // the best, outside the window, goes: the window's best follows
        assertThat(book.bestPrice(Side.BUY)).isEqualTo(20_000);
        limit(17, 9, Side.SELL, 20_000, 1); // skips the empty 19,995
        assertThat(book.bestPrice(Side.BUY)).isEqualTo(19_990);
        limit(18, 9, Side.SELL, 19_990, 1); // nothing left in the window: the one below it
        assertThat(book.bestPrice(Side.BUY)).isEqualTo(farBid);
        limit(19, 9, Side.SELL, farBid, 1);
        assertThat(book.bestPrice(Side.BUY)).isEqualTo(OrderBook.NO_PRICE);
        assertThat(book.levels(Side.BUY)).isZero();
        assertThat(book.levels(Side.SELL)).isEqualTo(2);
    }

    @Test
    void restingOrdersFormLevelsBestFirst() {
        limit(1, 1, Side.BUY, 100, 5);
        limit(2, 1, Side.BUY, 101, 3);
        limit(3, 1, Side.BUY, 99, 2);
        limit(4, 2, Side.SELL, 105, 7);
        limit(5, 2, Side.SELL, 103, 1);
        assertThat(book.bestPrice(Side.BUY)).isEqualTo(101);
        assertThat(book.bestPrice(Side.SELL)).isEqualTo(103);
        long[] prices = new long[8];
        long[] qtys = new long[8];
        assertThat(book.depth(Side.BUY, 8, prices, qtys, null)).isEqualTo(3);
        assertThat(prices).startsWith(101, 100, 99);
        assertThat(book.depth(Side.SELL, 8, prices, qtys, null)).isEqualTo(2);
        assertThat(prices).startsWith(103, 105);
    }

    @Test
    void anAggressiveOrderFillsBestPriceFirstAndFifoWithinALevel() {
        limit(1, 1, Side.SELL, 101, 2);
        limit(2, 2, Side.SELL, 100, 3);
        limit(3, 3, Side.SELL, 100, 4);
        events.clear();
        limit(10, 9, Side.BUY, 101, 8);
        assertThat(events.of(RecordingListener.Trade.class))
                .extracting(RecordingListener.Trade::makerId, RecordingListener.Trade::price, RecordingListener.Trade::qty)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(2L, 100L, 3L),
                        org.assertj.core.groups.Tuple.tuple(3L, 100L, 4L),
                        org.assertj.core.groups.Tuple.tuple(1L, 101L, 1L));
        assertThat(book.remaining(1)).isEqualTo(1);
        assertThat(book.contains(10)).isFalse();
        assertThat(book.bestPrice(Side.SELL)).isEqualTo(101);
        assertThat(book.bestPrice(Side.BUY)).isEqualTo(OrderBook.NO_PRICE);
        // sequence numbers are gap-free from 1
        long[] seqs = events.events.stream().mapToLong(e -> switch (e) {
            case RecordingListener.Exec x -> x.seq();
            case RecordingListener.Trade x -> x.seq();
            case RecordingListener.Level x -> x.seq();
            case RecordingListener.Order x -> x.seq();
            default -> throw new IllegalStateException();
        }).toArray();
        assertThat(seqs).containsExactly(LongStream.rangeClosed(seqs[0], seqs[0] + seqs.length - 1).toArray());
    }

    @Test
    void badCommandsAreRejectedAndLeaveTheBookUnchanged() {
        limit(1, 1, Side.BUY, 100, 5);
        long seq = book.sequence();
        assertThat(limit(1, 1, Side.BUY, 99, 5)).isFalse();
        assertThat(limit(2, 1, Side.BUY, 99, 0)).isFalse();
        assertThat(limit(3, 1, Side.BUY, 2_000_000, 1)).isFalse();
        assertThat(book.cancel(1, 77)).isFalse();
        assertThat(book.cancel(2, 1)).isFalse();
        assertThat(book.replace(1, 1, 100, -1)).isFalse();
        assertThat(events.of(RecordingListener.Exec.class)).extracting(RecordingListener.Exec::reason).endsWith(
                RejectReason.DUPLICATE_ORDER_ID.code(), RejectReason.INVALID_QUANTITY.code(), RejectReason.PRICE_OUTSIDE_BAND.code(),
                RejectReason.UNKNOWN_ORDER.code(), RejectReason.UNKNOWN_ORDER.code(), RejectReason.INVALID_QUANTITY.code());
        assertThat(book.sequence()).isEqualTo(seq + 6);
        assertThat(book.remaining(1)).isEqualTo(5);
        assertThat(book.restingOrders()).isEqualTo(1);
    }

    @Test
    void bookFullIsRejected() {
        OrderBook tiny = new OrderBook(BookConfig.of(0, 0).withCapacity(2), events);
        assertThat(tiny.newOrder(1, 1, Side.BUY, OrderType.LIMIT, TimeInForce.GTC, false, NONE, 10, 1)).isTrue();
        assertThat(tiny.newOrder(2, 1, Side.BUY, OrderType.LIMIT, TimeInForce.GTC, false, NONE, 11, 1)).isTrue();
        assertThat(tiny.newOrder(3, 1, Side.BUY, OrderType.LIMIT, TimeInForce.GTC, false, NONE, 12, 1)).isFalse();
        assertThat(events.of(RecordingListener.Exec.class).getLast().reason()).isEqualTo(RejectReason.BOOK_FULL.code());
        // an IOC cannot rest, so it is not refused for capacity
        assertThat(tiny.newOrder(4, 2, Side.SELL, OrderType.LIMIT, TimeInForce.IOC, false, NONE, 11, 1)).isTrue();
        assertThat(tiny.restingOrders()).isEqualTo(1);
    }

    @Test
    void replaceKeepsPriorityOnlyForASmallerQuantityAtTheSamePrice() {
        limit(1, 1, Side.BUY, 100, 5);
        limit(2, 2, Side.BUY, 100, 5);
        book.replace(1, 1, 100, 3);
        long[] ids = new long[4];
        long[] qtys = new long[4];
        assertThat(book.ordersAt(Side.BUY, 100, ids, qtys)).isEqualTo(2);
        assertThat(ids).startsWith(1, 2);
        book.replace(1, 1, 100, 4);
        book.ordersAt(Side.BUY, 100, ids, qtys);
        assertThat(ids).startsWith(2, 1);
        book.replace(2, 2, 101, 5);
        assertThat(book.bestPrice(Side.BUY)).isEqualTo(101);
    }

    @Test
    void postOnlyThatWouldCrossIsRejected() {
        limit(1, 1, Side.SELL, 100, 5);
        assertThat(book.newOrder(2, 2, Side.BUY, OrderType.LIMIT, TimeInForce.GTC, true, NONE, 100, 1)).isFalse();
        assertThat(book.newOrder(3, 2, Side.BUY, OrderType.LIMIT, TimeInForce.GTC, true, NONE, 99, 1)).isTrue();
        assertThat(book.replace(2, 3, 100, 1)).isFalse();
        assertThat(book.remaining(3)).isEqualTo(1);
    }

    @Test
    void fokFillsInFullOrNotAtAll() {
        limit(1, 1, Side.SELL, 100, 5);
        book.newOrder(2, 2, Side.BUY, OrderType.LIMIT, TimeInForce.FOK, false, NONE, 100, 6);
        assertThat(book.remaining(1)).isEqualTo(5);
        book.newOrder(3, 2, Side.BUY, OrderType.LIMIT, TimeInForce.FOK, false, NONE, 100, 5);
        assertThat(book.contains(1)).isFalse();
    }

    @Test
    void marketOrderSweepsAndCancelsTheRest() {
        limit(1, 1, Side.SELL, 100, 2);
        limit(2, 1, Side.SELL, 200, 2);
        events.clear();
        book.newOrder(3, 2, Side.BUY, OrderType.MARKET, TimeInForce.IOC, false, NONE, 0, 10);
        assertThat(events.of(RecordingListener.Trade.class)).hasSize(2);
        RecordingListener.Exec last = events.of(RecordingListener.Exec.class).getLast();
        assertThat(last.type()).isEqualTo(ExecType.CANCELLED);
        assertThat(last.lastQty()).isEqualTo(6);
        assertThat(last.reason()).isEqualTo(CancelReason.MARKET_REMAINDER.code());
    }

    @Test
    void selfTradePreventionModes() {
        limit(1, 7, Side.SELL, 100, 5);
        limit(2, 8, Side.SELL, 100, 5);
        // cancel-resting: own order cancelled, then trades with the other owner
        book.newOrder(3, 7, Side.BUY, OrderType.LIMIT, TimeInForce.GTC, false, SelfTradePrevention.CANCEL_RESTING, 100, 2);
        assertThat(book.contains(1)).isFalse();
        assertThat(book.remaining(2)).isEqualTo(3);
        // decrement-and-cancel: resting larger, decremented; incoming cancelled
        limit(4, 9, Side.SELL, 101, 1);
        book.newOrder(5, 8, Side.BUY, OrderType.LIMIT, TimeInForce.GTC, false, SelfTradePrevention.DECREMENT_AND_CANCEL, 100, 2);
        assertThat(book.remaining(2)).isEqualTo(1);
        assertThat(book.contains(5)).isFalse();
        // cancel-both
        book.newOrder(6, 8, Side.BUY, OrderType.LIMIT, TimeInForce.GTC, false, SelfTradePrevention.CANCEL_BOTH, 100, 9);
        assertThat(book.contains(2)).isFalse();
        assertThat(book.contains(6)).isFalse();
        // cancel-incoming
        book.newOrder(7, 9, Side.BUY, OrderType.LIMIT, TimeInForce.GTC, false, SelfTradePrevention.CANCEL_INCOMING, 101, 9);
        assertThat(book.remaining(4)).isEqualTo(1);
        assertThat(book.contains(7)).isFalse();
    }

    @Test
    void massCancelRemovesEveryOrderOfTheOwnerOldestFirst() {
        limit(1, 5, Side.BUY, 100, 1);
        limit(2, 6, Side.BUY, 100, 1);
        limit(3, 5, Side.SELL, 110, 1);
        limit(4, 5, Side.BUY, 99, 1);
        events.clear();
        assertThat(book.massCancel(5)).isEqualTo(3);
        assertThat(events.of(RecordingListener.Exec.class)).extracting(RecordingListener.Exec::orderId).containsExactly(1L, 3L, 4L);
        assertThat(book.restingOrders()).isEqualTo(1);
        assertThat(book.massCancel(5)).isZero();
    }

    @Test
    void manyLevelsStayOrderedThroughInsertsAndRemovals() {
        java.util.Random random = new java.util.Random(7);
        OrderBook big = new OrderBook(BookConfig.of(0, 0).withCapacity(5000), BookListener.NONE);
        java.util.TreeMap<Long, Long> reference = new java.util.TreeMap<>();
        java.util.Map<Long, Long> priceOf = new java.util.HashMap<>();
        long id = 0;
        for (int i = 0; i < 20_000; i++) {
            if (priceOf.isEmpty() || random.nextInt(3) > 0 && priceOf.size() < 4000) {
                long price = 1 + random.nextInt(3000);
                big.newOrder(++id, 1, Side.BUY, OrderType.LIMIT, TimeInForce.GTC, false, NONE, price, 1);
                reference.merge(price, 1L, Long::sum);
                priceOf.put(id, price);
            } else {
                long victim = priceOf.keySet().iterator().next();
                big.cancel(1, victim);
                long price = priceOf.remove(victim);
                reference.computeIfPresent(price, (p, q) -> q == 1 ? null : q - 1);
            }
            if (i % 997 == 0 || i == 19_999) {
                long[] prices = new long[5000];
                long[] qtys = new long[5000];
                int n = big.depth(Side.BUY, 5000, prices, qtys, null);
                assertThat(n).isEqualTo(reference.size());
                int k = 0;
                for (var e : reference.descendingMap().entrySet()) {
                    assertThat(prices[k]).isEqualTo(e.getKey());
                    assertThat(qtys[k++]).isEqualTo(e.getValue());
                }
            }
        }
    }
}
