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

/** Live paper: the paper venue's orders fill as a live venue's public trades go through them. */
class PaperVenueTradeThroughTest {
    private static final int VENUE = 0;
    private static final int BTC = 0;

    static final class Fills implements Engine<InboundEvent> {
        final List<ExecutionReport> seen = new CopyOnWriteArrayList<>();
        final java.util.concurrent.atomic.AtomicInteger accepted = new java.util.concurrent.atomic.AtomicInteger();
        final java.util.concurrent.atomic.AtomicInteger marketData = new java.util.concurrent.atomic.AtomicInteger();

        @Override
        public void onEvent(InboundEvent e, long sequence, boolean endOfBatch) {
            if (e.type() == InboundEventType.EXECUTION_REPORT && e.executionReport().execType() == ExecType.ACCEPTED) {
                accepted.incrementAndGet();
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

    /** the paper venue waits blocking, as in the engine, so that its idle wake-ups drain the tape */
    @Test
    void aLiveTradeThroughOurPriceFillsOurPaperOrderUpToTheTradesQuantity() {
        Fills fills = new Fills();
        TradeTape tape = new TradeTape(1024);
        PaperVenue venue = new PaperVenue(List.of(BookConfig.of(VENUE, BTC).withCapacity(64)), List.of(),
                new PaperVenue.Options(false, false, SelfTradePrevention.CANCEL_RESTING, 1_000_000L), EpochClock.system())
                .tradeThrough(tape);
        try (Pipeline pipeline = Pipeline.builder(new PipelineConfig(1024, 1024,
                Map.of("paper", new EngineSpec(EngineSpec.NO_CPU, WaitStrategyKind.BLOCKING)), Duration.ofSeconds(10)))
                .stage(Pipeline.MARKETDATA, fills).outbound("paper", venue).build().start()) {
            pipeline.outbound().publish(OrderCommandType.NEW, 1, ORDER, new long[]{100, 0, 6_400_000, 50});
            pipeline.outbound().publish(OrderCommandType.NEW, 1, ORDER, new long[]{200, 1, 6_400_500, 50});
            await().atMost(Duration.ofSeconds(10)).until(() -> fills.accepted.get() == 2);
            // a buyer takes above our ask: our ask fills 30 of 50; a seller at a price above our bid leaves it alone
            tape.offer(BTC, Side.BUY, 6_400_600, 30);
            tape.offer(BTC, Side.SELL, 6_400_100, 40);
            // a seller through our bid fills the rest of what the trade had, 20 of 50
            tape.offer(BTC, Side.SELL, 6_399_900, 20);
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
    void aFullTapeDropsAndCountsRatherThanBlockingTheFeed() {
        TradeTape tape = new TradeTape(2);
        assertThat(tape.offer(BTC, Side.BUY, 1, 1)).isTrue();
        assertThat(tape.offer(BTC, Side.BUY, 2, 1)).isTrue();
        assertThat(tape.offer(BTC, Side.BUY, 3, 1)).isFalse();
        assertThat(tape.dropped()).isEqualTo(1);
        long[] prices = new long[2];
        int[] n = {0};
        assertThat(tape.drain((id, side, price, qty) -> prices[n[0]++] = price)).isEqualTo(2);
        assertThat(prices).containsExactly(1, 2);
        assertThat(tape.offer(BTC, Side.SELL, 4, 1)).isTrue();
    }
}
