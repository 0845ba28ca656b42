package io.mme.matching;

import io.mme.core.ring.ExecType;
import io.mme.core.ring.ExecutionReport;
import io.mme.core.ring.Side;
import io.mme.core.ring.TimeInForce;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Live paper's queue position on one book, driven as the paper venue drives it: our orders rest in
 * an {@link OrderBook}, the live feed's levels and trades go to {@link LiveQueues}, which fills the
 * orders in the book. No threads.
 */
class LiveQueuesTest {
    private static final int BTC = 0;
    private static final long OWNER = 1;
    private static final long BID = 6_400_000;

    /** our fills, as the book reports them to the engine's accounts */
    private static final class OurFills implements BookListener {
        final List<long[]> seen = new ArrayList<>();

        @Override
        public void onExecution(long seq, ExecutionReport r) {
            if (r.ownerId() >= 0 && r.lastQuantityLots() > 0) {
                seen.add(new long[]{r.clientOrderId(), r.lastQuantityLots(), r.lastPriceTicks(), r.execType() == ExecType.FILLED ? 1 : 0});
            }
        }

        @Override
        public void onTrade(long seq, long tradeId, Side aggressor, long priceTicks, long quantityLots, long makerOrderId, long takerOrderId) {
        }

        @Override
        public void onLevel(long seq, Side side, long priceTicks, long quantityLots, int orderCount) {
        }

        @Override
        public void onOrder(long seq, L3Kind kind, long orderId, Side side, long priceTicks, long quantityLots) {
        }
    }

    private final OurFills ours = new OurFills();
    private final List<long[]> fills = ours.seen;
    private final OrderBook book = new OrderBook(BookConfig.of(0, BTC).withCapacity(64), ours);
    private long taker = -1;

    private LiveQueues queues(QueueModel model) {
        return new LiveQueues(model, 1);
    }

    private void bid(LiveQueues queues, long id, long price, long quantity) {
        book.newOrder(id, OWNER, Side.BUY, OrderType.LIMIT, TimeInForce.GTC, true, SelfTradePrevention.CANCEL_RESTING, price, quantity);
        queues.join(BTC, id, Side.BUY, price);
    }

    private void sellerTakes(LiveQueues queues, long price, long quantity) {
        queues.trade(book, BTC, Side.SELL, price, quantity, taker--);
    }

    @Test
    void anOrderJoinsBehindTheDisplayedQuantityAtItsPriceAndOnlyWhatTradesBeyondItFillsIt() {
        LiveQueues queues = queues(QueueModel.riskAverse());
        queues.level(BTC, Side.BUY, BID, 100);
        bid(queues, 1, BID, 50);
        assertThat(queues.aheadOf(BTC, 1)).isEqualTo(100);

        sellerTakes(queues, BID, 60);
        assertThat(fills).isEmpty();
        assertThat(queues.aheadOf(BTC, 1)).isEqualTo(40);

        sellerTakes(queues, BID, 55);
        assertThat(fills).hasSize(1);
        assertThat(fills.get(0)).containsExactly(1, 15, BID, 0);
        assertThat(book.remaining(1)).isEqualTo(35);
        assertThat(queues.aheadOf(BTC, 1)).isZero();
    }

    @Test
    void aTradeThroughTheOrdersPriceFillsOnlyWhatExceedsTheQuantityAhead() {
        LiveQueues queues = queues(QueueModel.riskAverse());
        queues.level(BTC, Side.BUY, BID, 100);
        bid(queues, 1, BID, 50);

        sellerTakes(queues, BID - 10, 30);
        assertThat(fills).isEmpty();
        assertThat(queues.aheadOf(BTC, 1)).isEqualTo(70);

        sellerTakes(queues, BID - 10, 200);
        assertThat(fills).hasSize(1);
        assertThat(fills.get(0)).containsExactly(1, 50, BID, 1);
        assertThat(book.contains(1)).isFalse();
        assertThat(queues.queued()).isZero();
    }

    @Test
    void aTradeAtAWorsePriceThanTheOrdersLeavesItsQueueAlone() {
        LiveQueues queues = queues(QueueModel.riskAverse());
        queues.level(BTC, Side.BUY, BID, 100);
        bid(queues, 1, BID, 50);

        // a seller at a price above our bid, and a buyer: neither reaches our bid
        sellerTakes(queues, BID + 1, 500);
        queues.trade(book, BTC, Side.BUY, BID, 500, taker--);
        assertThat(fills).isEmpty();
        assertThat(queues.aheadOf(BTC, 1)).isEqualTo(100);
    }

    @Test
    void anUnexplainedDecreaseNeverAdvancesTheOrderUnderRiskAverseButDoesUnderAProbabilisticModel() {
        LiveQueues averse = queues(QueueModel.riskAverse());
        LiveQueues power = queues(QueueModel.power(1));
        for (LiveQueues q : List.of(averse, power)) {
            q.level(BTC, Side.BUY, BID, 100);
        }
        bid(averse, 1, BID, 50);
        power.join(BTC, 1, Side.BUY, BID);
        for (LiveQueues q : List.of(averse, power)) {
            q.level(BTC, Side.BUY, BID, 140); // 40 join behind us
            q.level(BTC, Side.BUY, BID, 100); // 40 cancelled: ahead of us, or behind?
        }
        assertThat(averse.aheadOf(BTC, 1)).isEqualTo(100);
        // power:1 takes 100 / (100 + 40) of the 40 from ahead: 29
        assertThat(power.aheadOf(BTC, 1)).isEqualTo(71);
    }

    @Test
    void aDecreaseThatTheTradesAtThePriceExplainDoesNotAdvanceTheOrderTwice() {
        LiveQueues queues = queues(QueueModel.power(1));
        queues.level(BTC, Side.BUY, BID, 100);
        bid(queues, 1, BID, 50);
        sellerTakes(queues, BID, 30);
        assertThat(queues.aheadOf(BTC, 1)).isEqualTo(70);

        // the depth update for that trade: explained, nothing more is taken from ahead
        queues.level(BTC, Side.BUY, BID, 70);
        assertThat(queues.aheadOf(BTC, 1)).isEqualTo(70);
    }

    @Test
    void aLevelThatEmptiesLeavesNothingAheadSoTheNextTradeAtThePriceFillsTheOrder() {
        LiveQueues queues = queues(QueueModel.riskAverse());
        queues.level(BTC, Side.BUY, BID, 100);
        bid(queues, 1, BID, 50);
        queues.level(BTC, Side.BUY, BID, 0);
        assertThat(queues.aheadOf(BTC, 1)).isZero();

        sellerTakes(queues, BID, 20);
        assertThat(fills).hasSize(1);
        assertThat(fills.get(0)).containsExactly(1, 20, BID, 0);
    }

    @Test
    void aSnapshotRebuildsTheDisplayedLevelsAndCapsTheQuantityAhead() {
        LiveQueues queues = queues(QueueModel.riskAverse());
        queues.level(BTC, Side.BUY, BID, 100);
        queues.level(BTC, Side.BUY, BID - 1, 7);
        bid(queues, 1, BID, 50);
        queues.clear(BTC);
        assertThat(queues.displayed(BTC, Side.BUY, BID - 1)).isZero();
        queues.level(BTC, Side.BUY, BID, 30);
        assertThat(queues.aheadOf(BTC, 1)).isEqualTo(30);
        assertThat(queues.displayed(BTC, Side.BUY, BID)).isEqualTo(30);
    }

    @Test
    void oneTradeIsSharedByOurOrdersInPriceTimePriority() {
        LiveQueues queues = queues(QueueModel.riskAverse());
        queues.level(BTC, Side.BUY, BID, 10);
        bid(queues, 1, BID, 50);      // behind 10
        bid(queues, 2, BID + 1, 20);  // a better price, nothing displayed there
        bid(queues, 3, BID, 50);      // behind 10, and behind order 1

        sellerTakes(queues, BID, 60);
        // order 2 first (20), then order 1: 40 left, 10 of them ahead of it (30); order 3: 10 left, all ahead
        assertThat(fills).hasSize(2);
        assertThat(fills.get(0)).containsExactly(2, 20, BID + 1, 1);
        assertThat(fills.get(1)).containsExactly(1, 30, BID, 0);
        assertThat(book.remaining(3)).isEqualTo(50);
        assertThat(queues.aheadOf(BTC, 3)).isZero();
    }

    @Test
    void anOrderThatLeftTheBookLeavesTheQueues() {
        LiveQueues queues = queues(QueueModel.riskAverse());
        bid(queues, 1, BID, 50);
        bid(queues, 2, BID, 50);
        book.cancel(OWNER, 1);
        queues.forgetGone(book, BTC);
        assertThat(queues.aheadOf(BTC, 1)).isEqualTo(-1);
        assertThat(queues.aheadOf(BTC, 2)).isZero();
        assertThat(queues.queued()).isEqualTo(1);
    }

    @Test
    void theLiveBookAndOurQueuesAllocateNothingOnceWarm() {
        OrderBook quiet = new OrderBook(BookConfig.of(0, BTC).withCapacity(64), BookListener.NONE);
        LiveQueues queues = queues(QueueModel.power(2));
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        long id = 1;
        for (int round = 0; round < 3; round++) {
            long before = threads.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < 20_000; i++, id++) {
                long px = BID - (i % 50);
                queues.level(BTC, Side.BUY, px, 100 + i % 7);
                quiet.newOrder(id, OWNER, Side.BUY, OrderType.LIMIT, TimeInForce.GTC, true, SelfTradePrevention.CANCEL_RESTING, px, 10);
                queues.join(BTC, id, Side.BUY, px);
                queues.level(BTC, Side.BUY, px, 90 + i % 7);
                queues.trade(quiet, BTC, Side.SELL, px, 120, -id);
                quiet.cancel(OWNER, id);
                queues.forgetGone(quiet, BTC);
                if (i % 1000 == 0) {
                    queues.clear(BTC);
                }
            }
            long allocated = threads.getCurrentThreadAllocatedBytes() - before;
            if (round == 2) {
                assertThat(allocated).isZero();
            }
        }
    }
}
