package io.mme.matching;

import io.mme.core.ring.ExecType;
import io.mme.core.ring.InboundEvent;
import io.mme.core.ring.InboundEventType;
import io.mme.core.ring.MarketDataKind;
import io.mme.core.ring.OrderCommand;
import io.mme.core.ring.OrderCommandType;
import io.mme.core.ring.Side;
import io.mme.core.ring.TimeInForce;
import io.mme.core.runtime.Engine;
import io.mme.core.runtime.OutboundPublisher;
import io.mme.core.runtime.Pipeline;
import io.mme.core.runtime.PipelineConfig;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class PaperVenueTest {
    private static final int BINANCE = 0;
    private static final int BTC = 0;
    private static final int ETH = 1;

    /** what the market data engine would see, copied off the ring */
    record Seen(InboundEventType type, ExecType exec, long orderId, long owner, long leaves, long lastQty,
                MarketDataKind md, Side side, long price, long qty, int instrument, boolean endOfMessage, int reason) {
    }

    static final class Recorder implements Engine<InboundEvent> {
        final List<Seen> seen = new CopyOnWriteArrayList<>();

        @Override
        public void onEvent(InboundEvent e, long sequence, boolean endOfBatch) {
            if (e.type() == InboundEventType.EXECUTION_REPORT) {
                var r = e.executionReport();
                seen.add(new Seen(e.type(), r.execType(), r.clientOrderId(), r.ownerId(), r.leavesQuantityLots(),
                        r.lastQuantityLots(), null, r.side(), r.lastPriceTicks(), r.lastQuantityLots(), r.instrumentId(), false, r.reasonCode()));
            } else if (e.type() == InboundEventType.MARKET_DATA) {
                var m = e.marketData();
                seen.add(new Seen(e.type(), null, m.orderId(), 0, 0, 0, m.kind(), m.side(), m.priceTicks(), m.quantityLots(),
                        m.instrumentId(), m.endOfMessage(), 0));
            }
        }

        List<Seen> executions(long orderId) {
            return seen.stream().filter(s -> s.type() == InboundEventType.EXECUTION_REPORT && s.orderId() == orderId).toList();
        }
    }

    private static final OutboundPublisher.Writer<long[]> ORDER = (c, a) -> c.set(a[0], a[0], BINANCE, (int) a[1], a[2], a[3], a[4],
            a[5] == 0 ? Side.BUY : Side.SELL, a[6], a[7], TimeInForce.GTC, false);

    private static long send(Pipeline pipeline, OrderCommandType type, int instrument, long owner, long id, long target,
                             Side side, long price, long qty) {
        return pipeline.outbound().publish(type, 1, ORDER, new long[]{1, instrument, owner, id, target, side == Side.BUY ? 0 : 1, price, qty});
    }

    @Test
    void ordersMatchInTheVenueAndReportsAndMarketDataComeBackOnTheInboundRing() {
        Recorder md = new Recorder();
        PaperVenue venue = new PaperVenue(List.of(BookConfig.of(BINANCE, BTC).withCapacity(1024), BookConfig.of(BINANCE, ETH).withCapacity(1024)));
        try (Pipeline pipeline = Pipeline.builder(new PipelineConfig(1024, 1024, Map.of(), Duration.ofSeconds(10)))
                .stage(Pipeline.MARKETDATA, md).outbound("paper", venue).build().start()) {
            send(pipeline, OrderCommandType.NEW, BTC, 1, 100, 0, Side.SELL, 6_400_000, 50);
            send(pipeline, OrderCommandType.NEW, BTC, 2, 200, 0, Side.BUY, 6_400_100, 20);
            send(pipeline, OrderCommandType.NEW, ETH, 1, 300, 0, Side.BUY, 300_000, 5);
            send(pipeline, OrderCommandType.CANCEL_ALL, -1, 1, 0, 0, Side.BUY, 0, 0);
            await().atMost(Duration.ofSeconds(10)).until(() -> md.executions(300).size() == 2);

            assertThat(md.executions(100)).extracting(Seen::exec).containsExactly(
                    ExecType.ACCEPTED, ExecType.PARTIALLY_FILLED, ExecType.CANCELLED);
            assertThat(md.executions(100).get(1).leaves()).isEqualTo(30);
            assertThat(md.executions(100).get(2).lastQty()).isEqualTo(30);
            assertThat(md.executions(200)).extracting(Seen::exec).containsExactly(ExecType.ACCEPTED, ExecType.FILLED);
            assertThat(md.executions(200).get(1).price()).isEqualTo(6_400_000);
            assertThat(md.executions(300)).extracting(Seen::exec).containsExactly(ExecType.ACCEPTED, ExecType.CANCELLED);

            List<Seen> marketData = md.seen.stream().filter(s -> s.type() == InboundEventType.MARKET_DATA).toList();
            assertThat(marketData).anySatisfy(s -> {
                assertThat(s.md()).isEqualTo(MarketDataKind.TRADE);
                assertThat(s.side()).isEqualTo(Side.BUY);
                assertThat(s.price()).isEqualTo(6_400_000);
                assertThat(s.qty()).isEqualTo(20);
            });
            assertThat(marketData).anySatisfy(s -> {
                assertThat(s.md()).isEqualTo(MarketDataKind.LEVEL);
                assertThat(s.instrument()).isEqualTo(ETH);
                assertThat(s.qty()).isZero();
            });
            assertThat(marketData).anySatisfy(s -> assertThat(s.md()).isEqualTo(MarketDataKind.ORDER_ADDED));
            // the venue opened each book with a snapshot of an empty book (a CLEAR) before anything else
            assertThat(marketData.subList(0, 2)).extracting(Seen::md).containsOnly(MarketDataKind.CLEAR);
            assertThat(marketData.subList(0, 2)).extracting(Seen::instrument).containsExactlyInAnyOrder(BTC, ETH);
            // each book's part of a command ends with an end-of-message marker: the two opening
            // snapshots, three orders, and the mass cancel over both books
            assertThat(marketData.getLast().endOfMessage()).isTrue();
            assertThat(marketData.stream().filter(Seen::endOfMessage).count()).isEqualTo(7);
        }
    }

    @Test
    void aCommandForAnInstrumentWithoutABookIsRejected() {
        Recorder md = new Recorder();
        try (Pipeline pipeline = Pipeline.builder(PipelineConfig.defaults())
                .stage(Pipeline.MARKETDATA, md).outbound("paper", new PaperVenue(List.of(BookConfig.of(BINANCE, BTC).withCapacity(16))))
                .build().start()) {
            send(pipeline, OrderCommandType.NEW, 7, 1, 500, 0, Side.BUY, 100, 1);
            await().atMost(Duration.ofSeconds(10)).until(() -> md.executions(500).size() == 1);
            assertThat(md.executions(500).get(0).exec()).isEqualTo(ExecType.REJECTED);
            assertThat(md.executions(500).get(0).reason()).isEqualTo(RejectReason.INVALID_ORDER.code());
        }
    }

    @Test
    void theSimulatedMarketTradesOnItsOwnAndOnlyOurOrdersGetReports() {
        Recorder md = new Recorder();
        AtomicLong venueClock = new AtomicLong(0);
        SimulatedMarket market = new SimulatedMarket(SimulatedMarketTest.params(3), 0);
        PaperVenue venue = new PaperVenue(List.of(BookConfig.of(BINANCE, BTC).withCapacity(1 << 16)), List.of(market),
                new PaperVenue.Options(true, false, SelfTradePrevention.CANCEL_RESTING, 100_000L), venueClock::get);
        try (Pipeline pipeline = Pipeline.builder(new PipelineConfig(1 << 14, 1024, Map.of(), Duration.ofSeconds(10)))
                .stage(Pipeline.MARKETDATA, md).outbound("paper", venue).build().start()) {
            // the venue opens (its books' snapshot, its market's clock starting at 0), then a
            // simulated second passes; the venue wakes itself and catches up
            await().atMost(Duration.ofSeconds(10)).until(() -> md.seen.stream().anyMatch(s -> s.md() == MarketDataKind.CLEAR));
            venueClock.set(1_000_000_000L);
            await().atMost(Duration.ofSeconds(10)).until(() -> md.seen.stream().filter(s -> s.md() == MarketDataKind.TRADE).count() > 10);
            assertThat(md.seen).noneMatch(s -> s.type() == InboundEventType.EXECUTION_REPORT);
            assertThat(md.seen).noneMatch(s -> s.md() == MarketDataKind.ORDER_ADDED);

            // an aggressive order of ours trades against the simulated book and is reported
            send(pipeline, OrderCommandType.NEW, BTC, 5, 900, 0, Side.BUY, 7_000_000, 10);
            await().atMost(Duration.ofSeconds(10)).until(() -> md.executions(900).size() >= 2);
            assertThat(md.executions(900).getFirst().exec()).isEqualTo(ExecType.ACCEPTED);
            assertThat(md.executions(900).get(1).exec()).isIn(ExecType.PARTIALLY_FILLED, ExecType.FILLED);
        }
    }

    @Test
    void whileTheEngineRecoversTheVenueStaysClosedAndNeverExecutesARecoveredCommand() {
        Recorder md = new Recorder();
        PaperVenue venue = new PaperVenue(List.of(BookConfig.of(BINANCE, BTC).withCapacity(64)));
        try (Pipeline pipeline = Pipeline.builder(PipelineConfig.defaults())
                .stage(Pipeline.MARKETDATA, md).outbound("paper", venue).build()) {
            pipeline.recovering(true);
            pipeline.start();
            long recovered = send(pipeline, OrderCommandType.NEW, BTC, 1, 100, 0, Side.SELL, 6_400_000, 50);
            // the venue has taken the recovered command off the outbound ring (and left it alone)
            await().atMost(Duration.ofSeconds(10)).until(() -> pipeline.health().engine("paper").lastSequence() >= recovered);
            assertThat(md.seen).isEmpty();
            assertThat(venue.book(BTC).contains(100)).isFalse();

            pipeline.recovering(false);
            send(pipeline, OrderCommandType.NEW, BTC, 1, 200, 0, Side.SELL, 6_400_000, 50);
            await().atMost(Duration.ofSeconds(10)).until(() -> md.executions(200).size() == 1);
            assertThat(md.seen.get(0).md()).isEqualTo(MarketDataKind.CLEAR);
            assertThat(md.executions(100)).isEmpty();
        }
    }
}
