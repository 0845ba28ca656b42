package io.mme.execution;

import io.mme.core.ring.ExecType;
import io.mme.core.ring.ExecutionReport;
import io.mme.core.ring.InboundEvent;
import io.mme.core.ring.InboundEventType;
import io.mme.core.ring.OrderCommand;
import io.mme.core.ring.OrderCommandType;
import io.mme.core.ring.QuoteAction;
import io.mme.core.ring.QuoteIntent;
import io.mme.core.ring.RejectCodes;
import io.mme.core.ring.Side;
import io.mme.core.runtime.Engine;
import io.mme.core.runtime.EngineContext;
import io.mme.core.runtime.InboundPublisher;
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
 * The engine bound to a real pipeline's publishers in onStart: commands reach an outbound consumer,
 * its reports come back and move the order, and synthetic reports enter the inbound ring.
 */
class ExecutionEnginePipelineTest {
    private static final String PLACE = "test.place";
    private static final InboundPublisher.Writer<ExecutionReport> REPORT = (e, r) -> e.executionReport().copyFrom(r);

    /** strategy stage: a CONTROL "test.place" carries two quotes; risk stage below rejects the second */
    static final class Quoter implements Engine<InboundEvent> {
        @Override
        public void onEvent(InboundEvent e, long sequence, boolean endOfBatch) {
            if (e.type() == InboundEventType.CONTROL && PLACE.equals(e.control().command())) {
                e.addIntent().set(QuoteAction.PLACE, 0, 3, Side.BUY, 0, 100, 2, 0);
                e.addIntent().set(QuoteAction.PLACE, 0, 3, Side.SELL, 0, 101, 2, 0);
            }
        }
    }

    static final class Risk implements Engine<InboundEvent> {
        @Override
        public void onEvent(InboundEvent e, long sequence, boolean endOfBatch) {
            for (int i = 0; i < e.intentCount(); i++) {
                QuoteIntent q = e.intent(i);
                if (q.side() == Side.BUY) {
                    q.approve();
                } else {
                    q.reject(RejectCodes.RISK_BASE + 9);
                }
            }
        }
    }

    /** a venue that accepts every NEW */
    static final class AcceptingVenue implements Engine<OrderCommand> {
        final List<OrderCommandType> seen = new CopyOnWriteArrayList<>();
        private final ExecutionReport scratch = new ExecutionReport();
        private InboundPublisher inbound;

        @Override
        public void onStart(EngineContext context) {
            inbound = context.inbound();
        }

        @Override
        public void onEvent(OrderCommand c, long sequence, boolean endOfBatch) {
            seen.add(c.type());
            if (c.type() == OrderCommandType.NEW) {
                scratch.set(ExecType.ACCEPTED, c.venueId(), c.instrumentId(), c.clientOrderId(), c.clientOrderId(), c.side(),
                        c.priceTicks(), c.quantityLots(), c.timestampNanos()).owner(c.ownerId());
                inbound.publish(InboundEventType.EXECUTION_REPORT, REPORT, scratch);
            }
        }
    }

    static final class Reports implements Engine<InboundEvent> {
        final List<ExecType> seen = new CopyOnWriteArrayList<>();
        final List<Integer> reasons = new CopyOnWriteArrayList<>();

        @Override
        public void onEvent(InboundEvent e, long sequence, boolean endOfBatch) {
            if (e.type() == InboundEventType.EXECUTION_REPORT) {
                seen.add(e.executionReport().execType());
                reasons.add(e.executionReport().reasonCode());
            }
        }
    }

    @Test
    void commandsReachTheVenueAndReportsAndSyntheticRejectsComeBackThroughTheInboundRing() {
        ExecutionEngine execution = new ExecutionEngine(ExecutionConfig.defaults());
        AcceptingVenue venue = new AcceptingVenue();
        Reports audit = new Reports();
        try (Pipeline pipeline = Pipeline.builder(new PipelineConfig(1024, 1024, Map.of(), Duration.ofSeconds(10)))
                .stage(Pipeline.STRATEGY, new Quoter()).stage(Pipeline.RISK, new Risk())
                .stage(Pipeline.EXECUTION, execution).stage(Pipeline.AUDIT, audit)
                .outbound(ExecutionConfig.PAPER, venue).build().start()) {
            pipeline.inbound().publish(InboundEventType.CONTROL, (e, a) -> e.control().set(PLACE, 1, "test", "quote"), null);
            await().atMost(Duration.ofSeconds(10)).until(() -> audit.seen.size() == 2);
            pipeline.inbound().publishTimer();
            await().atMost(Duration.ofSeconds(10)).until(() -> execution.view().get(0, ExecutionCounter.ACKS) == 1);

            assertThat(venue.seen).containsExactly(OrderCommandType.NEW);
            assertThat(audit.seen).containsExactlyInAnyOrder(ExecType.ACCEPTED, ExecType.REJECTED);
            assertThat(audit.reasons).contains(RejectCodes.RISK_BASE + 9);
            assertThat(execution.view().get(0, ExecutionCounter.OPEN_ORDERS)).isEqualTo(1);
            assertThat(execution.view().get(0, ExecutionCounter.SYNTHETIC_REJECTS)).isEqualTo(1);
        }
    }
}
