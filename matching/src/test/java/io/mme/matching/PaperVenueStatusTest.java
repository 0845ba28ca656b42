package io.mme.matching;

import io.mme.core.ring.ExecType;
import io.mme.core.ring.ExecutionReport;
import io.mme.core.ring.InboundEvent;
import io.mme.core.ring.InboundEventType;
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

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The paper venue's answer to the execution engine's STATUS query (an ack that timed out). */
class PaperVenueStatusTest {
    private static final int VENUE = 0;
    private static final int BTC = 0;
    private static final int NO_BOOK = 7;

    static final class StatusReports implements Engine<InboundEvent> {
        final List<ExecutionReport> seen = new CopyOnWriteArrayList<>();

        @Override
        public void onEvent(InboundEvent e, long sequence, boolean endOfBatch) {
            if (e.type() == InboundEventType.EXECUTION_REPORT && e.executionReport().execType() == ExecType.ORDER_STATUS) {
                ExecutionReport copy = new ExecutionReport();
                copy.copyFrom(e.executionReport());
                seen.add(copy);
            }
        }
    }

    private static final OutboundPublisher.Writer<long[]> ORDER = (c, a) -> c.set(1, 1, VENUE, (int) a[0], a[1], a[2], a[3],
            a[4] == 0 ? Side.BUY : Side.SELL, a[5], a[6], TimeInForce.GTC, false);

    private static void send(Pipeline p, OrderCommandType type, int instrument, long owner, long id, long target,
                             Side side, long price, long qty) {
        p.outbound().publish(type, 1, ORDER, new long[]{instrument, owner, id, target, side == Side.BUY ? 0 : 1, price, qty});
    }

    @Test
    void aStatusQueryIsAnsweredWithTheRemainingQuantityOrZeroWhenTheOrderIsNotInTheBook() {
        StatusReports reports = new StatusReports();
        PaperVenue venue = new PaperVenue(List.of(BookConfig.of(VENUE, BTC).withCapacity(64)));
        try (Pipeline pipeline = Pipeline.builder(new PipelineConfig(1024, 1024, Map.of(), Duration.ofSeconds(10)))
                .stage(Pipeline.MARKETDATA, reports).outbound("paper", venue).build().start()) {
            send(pipeline, OrderCommandType.NEW, BTC, 1, 100, 0, Side.SELL, 6_400_000, 50);
            send(pipeline, OrderCommandType.NEW, BTC, 2, 200, 0, Side.BUY, 6_400_000, 20);
            send(pipeline, OrderCommandType.STATUS, BTC, 1, 100, 100, Side.SELL, 6_400_000, 50);
            send(pipeline, OrderCommandType.STATUS, BTC, 2, 200, 200, Side.BUY, 6_400_000, 20);
            send(pipeline, OrderCommandType.STATUS, BTC, -3, 100, 100, Side.SELL, 6_400_000, 50);
            send(pipeline, OrderCommandType.STATUS, NO_BOOK, 1, 300, 300, Side.BUY, 5, 1);
            await().atMost(Duration.ofSeconds(10)).until(() -> reports.seen.size() == 3);

            ExecutionReport resting = reports.seen.get(0);
            assertThat(resting.clientOrderId()).isEqualTo(100);
            assertThat(resting.ownerId()).isEqualTo(1);
            assertThat(resting.leavesQuantityLots()).isEqualTo(30);
            assertThat(resting.priceTicks()).isEqualTo(6_400_000);
            assertThat(resting.side()).isEqualTo(Side.SELL);

            ExecutionReport filled = reports.seen.get(1);
            assertThat(filled.clientOrderId()).isEqualTo(200);
            assertThat(filled.ownerId()).isEqualTo(2);
            assertThat(filled.leavesQuantityLots()).isZero();

            ExecutionReport noBook = reports.seen.get(2);
            assertThat(noBook.clientOrderId()).isEqualTo(300);
            assertThat(noBook.instrumentId()).isEqualTo(NO_BOOK);
            assertThat(noBook.leavesQuantityLots()).isZero();
            // the simulated participant (owner -3) got no answer: three reports for four queries
            assertThat(reports.seen).noneMatch(r -> r.ownerId() < 0);
            assertThat(venue.book(BTC).remaining(100)).isEqualTo(30);
        }
    }

    @Test
    void aStatusAnswerCarriesThePriceInTheBookAndNothingOfAnotherOwnersOrder() {
        StatusReports reports = new StatusReports();
        PaperVenue venue = new PaperVenue(List.of(BookConfig.of(VENUE, BTC).withCapacity(64)));
        try (Pipeline pipeline = Pipeline.builder(new PipelineConfig(1024, 1024, Map.of(), Duration.ofSeconds(10)))
                .stage(Pipeline.MARKETDATA, reports).outbound("paper", venue).build().start()) {
            send(pipeline, OrderCommandType.NEW, BTC, 1, 100, 0, Side.SELL, 6_400_000, 50);
            // replaced to a new price; the query still names the old one, as a lost replace ack would leave it
            send(pipeline, OrderCommandType.REPLACE, BTC, 1, 100, 100, Side.SELL, 6_400_500, 40);
            send(pipeline, OrderCommandType.STATUS, BTC, 1, 100, 100, Side.SELL, 6_400_000, 50);
            send(pipeline, OrderCommandType.STATUS, BTC, 2, 100, 100, Side.SELL, 6_400_000, 50);
            await().atMost(Duration.ofSeconds(10)).until(() -> reports.seen.size() == 2);

            assertThat(reports.seen.get(0).priceTicks()).isEqualTo(6_400_500);
            assertThat(reports.seen.get(0).leavesQuantityLots()).isEqualTo(40);
            assertThat(reports.seen.get(1).ownerId()).isEqualTo(2);
            assertThat(reports.seen.get(1).leavesQuantityLots()).isZero();
        }
    }
}
