package io.mme.matching;

import io.mme.core.ring.ExecType;
import io.mme.core.ring.ExecutionReport;
import io.mme.core.ring.InboundEvent;
import io.mme.core.ring.InboundEventType;
import io.mme.core.ring.OrderCommandType;
import io.mme.core.ring.Side;
import io.mme.core.ring.TimeInForce;
import io.mme.core.runtime.Engine;
import io.mme.core.runtime.EngineSpec;
import io.mme.core.runtime.WaitStrategyKind;
import io.mme.core.runtime.EpochClock;
import io.mme.core.runtime.OutboundPublisher;
import io.mme.core.runtime.Pipeline;
import io.mme.core.runtime.PipelineConfig;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Live paper: the paper venue's orders fill as a live venue's public trades reach them, behind the
 * venue's displayed queue at their price (a queue model) or at once (none: the optimistic rule).
 */
class PaperVenueLiveFeedTest {
    private static final int VENUE = 0;
    private static final int BTC = 0;

    static final class Fills implements Engine<InboundEvent> {
        final List<ExecutionReport> seen = new CopyOnWriteArrayList<>();
        final java.util.concurrent.atomic.AtomicInteger accepted = new java.util.concurrent.atomic.AtomicInteger();
        final java.util.concurrent.atomic.AtomicInteger marketData = new java.util.concurrent.atomic.AtomicInteger();
        final java.util.concurrent.atomic.AtomicInteger replaced = new java.util.concurrent.atomic.AtomicInteger();

        @Override
        public void onEvent(InboundEvent e, long sequence, boolean endOfBatch) {
            if (e.type() == InboundEventType.EXECUTION_REPORT && e.executionReport().execType() == ExecType.ACCEPTED) {
                accepted.incrementAndGet();
            } else if (e.type() == InboundEventType.EXECUTION_REPORT && e.executionReport().execType() == ExecType.REPLACED) {
                replaced.incrementAndGet();
            } else if (e.type() == InboundEventType.MARKET_DATA) {
                marketData.incrementAndGet();
            } else if (e.type() == InboundEventType.EXECUTION_REPORT && e.executionReport().lastQuantityLots() > 0) {
                ExecutionReport copy = new ExecutionReport();
                copy.copyFrom(e.executionReport());
                seen.add(copy);
            }
        }
    }

    private static final OutboundPublisher.Writer<long[]> ORDER = (c, a) -> c.set(1, 1, VENUE, BTC, 1, a[0], 0,
            a[1] == 0 ? Side.BUY : Side.SELL, a[2], a[3], TimeInForce.GTC, true);
    private static final OutboundPublisher.Writer<long[]> REPLACE = (c, a) -> c.set(1, 1, VENUE, BTC, 1, a[0] + 1_000, a[0],
            a[1] == 0 ? Side.BUY : Side.SELL, a[2], a[3], TimeInForce.GTC, true);

    private static PaperVenue venue(QueueModel queueModel, FeedTape tape) {
        return new PaperVenue(List.of(BookConfig.of(VENUE, BTC).withCapacity(64)), List.of(),
                new PaperVenue.Options(false, false, SelfTradePrevention.CANCEL_RESTING, 1_000_000L, queueModel), EpochClock.system())
                .liveFeeds(tape);
    }

    /** the paper venue waits blocking, as in the engine, so that its idle wake-ups drain the tape */
    private static Pipeline start(Fills fills, PaperVenue venue) {
        return Pipeline.builder(new PipelineConfig(1024, 1024,
                Map.of("paper", new EngineSpec(EngineSpec.NO_CPU, WaitStrategyKind.BLOCKING)), Duration.ofSeconds(10)))
                .stage(Pipeline.MARKETDATA, fills).outbound("paper", venue).build().start();
    }

    @Test
    void withoutAQueueModelALiveTradeThroughOurPriceFillsOurPaperOrderUpToTheTradesQuantity() {
        Fills fills = new Fills();
        FeedTape tape = new FeedTape(1024);
        PaperVenue venue = venue(null, tape);
        try (Pipeline pipeline = start(fills, venue)) {
            pipeline.outbound().publish(OrderCommandType.NEW, 1, ORDER, new long[]{100, 0, 6_400_000, 50});
            pipeline.outbound().publish(OrderCommandType.NEW, 1, ORDER, new long[]{200, 1, 6_400_500, 50});
            await().atMost(Duration.ofSeconds(10)).until(() -> fills.accepted.get() == 2);
            // a buyer takes above our ask: our ask fills 30 of 50; a seller at a price above our bid leaves it alone
            tape.trade(BTC, Side.BUY, 6_400_600, 30);
            tape.trade(BTC, Side.SELL, 6_400_100, 40);
            // a seller through our bid fills the rest of what the trade had, 20 of 50
            tape.trade(BTC, Side.SELL, 6_399_900, 20);
            await().atMost(Duration.ofSeconds(10)).until(() -> fills.seen.size() == 2);

            assertThat(fills.seen.get(0).clientOrderId()).isEqualTo(200);
            assertThat(fills.seen.get(0).lastQuantityLots()).isEqualTo(30);
            assertThat(fills.seen.get(0).lastPriceTicks()).isEqualTo(6_400_500);
            assertThat(fills.seen.get(0).maker()).isTrue();
            assertThat(fills.seen.get(1).clientOrderId()).isEqualTo(100);
            assertThat(fills.seen.get(1).lastQuantityLots()).isEqualTo(20);
            assertThat(fills.seen.get(1).execType()).isEqualTo(ExecType.PARTIALLY_FILLED);
            assertThat(venue.book(BTC).remaining(100)).isEqualTo(30);
            // the live feed publishes the trades: the paper venue's copies would count them twice
            assertThat(fills.marketData.get()).isZero();
        }
    }

    @Test
    void withAQueueModelAQuoteBehindALargeDisplayedQueueFillsOnlyOnceTradesAtItsPriceExhaustTheQueue() {
        Fills fills = new Fills();
        FeedTape tape = new FeedTape(1024);
        PaperVenue venue = venue(QueueModel.riskAverse(), tape);
        try (Pipeline pipeline = start(fills, venue)) {
            // the live book shows 100 lots at our bid's price before our bid arrives: it joins behind them
            tape.clear(BTC);
            tape.level(BTC, Side.BUY, 6_400_000, 100);
            tape.level(BTC, Side.SELL, 6_400_500, 80);
            pipeline.outbound().publish(OrderCommandType.NEW, 1, ORDER, new long[]{100, 0, 6_400_000, 50});
            await().atMost(Duration.ofSeconds(10)).until(() -> fills.accepted.get() == 1);
            // the first trade through our price takes 30 of the 100 ahead: no fill (the optimistic rule filled 30 here)
            tape.trade(BTC, Side.SELL, 6_399_900, 30);
            // trades at our price take the other 70, then 20 more reach our bid
            tape.trade(BTC, Side.SELL, 6_400_000, 60);
            tape.trade(BTC, Side.SELL, 6_400_000, 30);
            await().atMost(Duration.ofSeconds(10)).until(() -> fills.seen.size() == 1);
            assertThat(fills.seen.get(0).clientOrderId()).isEqualTo(100);
            assertThat(fills.seen.get(0).lastQuantityLots()).isEqualTo(20);
            assertThat(fills.seen.get(0).lastPriceTicks()).isEqualTo(6_400_000);
            assertThat(fills.seen.get(0).maker()).isTrue();

            // the level empties (the venue's depth update): nothing is ahead any more, the next trade fills the rest
            tape.level(BTC, Side.BUY, 6_400_000, 0);
            tape.trade(BTC, Side.SELL, 6_400_000, 100);
            await().atMost(Duration.ofSeconds(10)).until(() -> fills.seen.size() == 2);
            assertThat(fills.seen.get(1).lastQuantityLots()).isEqualTo(30);
            assertThat(fills.seen.get(1).execType()).isEqualTo(ExecType.FILLED);
            assertThat(fills.marketData.get()).isZero();
        }
    }

    @Test
    void withAQueueModelAReplaceThatKeepsItsPlaceKeepsItsQueueAndOneThatMovesJoinsTheBack() {
        Fills fills = new Fills();
        FeedTape tape = new FeedTape(1024);
        PaperVenue venue = venue(QueueModel.riskAverse(), tape);
        try (Pipeline pipeline = start(fills, venue)) {
            tape.level(BTC, Side.BUY, 6_400_000, 100);
            tape.level(BTC, Side.BUY, 6_399_000, 10);
            pipeline.outbound().publish(OrderCommandType.NEW, 1, ORDER, new long[]{100, 0, 6_400_000, 50});
            await().atMost(Duration.ofSeconds(10)).until(() -> fills.accepted.get() == 1);
            tape.trade(BTC, Side.SELL, 6_400_000, 90); // 10 left ahead
            // less quantity at the same price keeps the place: 10 ahead
            pipeline.outbound().publish(OrderCommandType.REPLACE, 1, REPLACE, new long[]{100, 0, 6_400_000, 40});
            await().atMost(Duration.ofSeconds(10)).until(() -> fills.replaced.get() == 1);
            tape.trade(BTC, Side.SELL, 6_400_000, 15);
            await().atMost(Duration.ofSeconds(10)).until(() -> fills.seen.size() == 1);
            assertThat(fills.seen.get(0).lastQuantityLots()).isEqualTo(5);
            // a new price: behind the 10 displayed there
            pipeline.outbound().publish(OrderCommandType.REPLACE, 1, REPLACE, new long[]{100, 0, 6_399_000, 35});
            await().atMost(Duration.ofSeconds(10)).until(() -> fills.replaced.get() == 2);
            tape.trade(BTC, Side.SELL, 6_399_000, 12);
            await().atMost(Duration.ofSeconds(10)).until(() -> fills.seen.size() == 2);
            assertThat(fills.seen.get(1).lastQuantityLots()).isEqualTo(2);
            assertThat(fills.seen.get(1).lastPriceTicks()).isEqualTo(6_399_000);
        }
    }

    @Test
    void aFullTapeDropsAndCountsRatherThanBlockingTheFeedAndKeepsTheFeedsOrder() {
        FeedTape tape = new FeedTape(4);
        assertThat(tape.clear(BTC)).isTrue();
        assertThat(tape.level(BTC, Side.BUY, 1, 5)).isTrue();
        assertThat(tape.trade(BTC, Side.SELL, 2, 1)).isTrue();
        assertThat(tape.level(BTC, Side.SELL, 3, 0)).isTrue();
        assertThat(tape.trade(BTC, Side.BUY, 4, 1)).isFalse();
        assertThat(tape.dropped()).isEqualTo(1);
        List<String> seen = new java.util.ArrayList<>();
        assertThat(tape.drain(new FeedTape.Reader() {
            @Override
            public void trade(int instrumentId, Side aggressor, long priceTicks, long quantityLots) {
                seen.add("trade " + aggressor + " " + priceTicks + "x" + quantityLots);
            }

            @Override
            public void level(int instrumentId, Side side, long priceTicks, long quantityLots) {
                seen.add("level " + side + " " + priceTicks + "x" + quantityLots);
            }

            @Override
            public void clear(int instrumentId) {
                seen.add("clear");
            }
        })).isEqualTo(4);
        assertThat(seen).containsExactly("clear", "level BUY 1x5", "trade SELL 2x1", "level SELL 3x0");
        assertThat(tape.trade(BTC, Side.SELL, 4, 1)).isTrue();
    }
}
