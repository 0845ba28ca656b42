package io.mme.core.runtime;

import io.mme.core.ring.InboundEvent;
import io.mme.core.ring.InboundEventType;
import io.mme.core.ring.OrderCommand;
import io.mme.core.ring.OrderCommandType;
import io.mme.core.ring.Side;
import io.mme.core.ring.TimeInForce;
import io.mme.core.ring.ExecType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PipelineShutdownTest {
    private static final int MARKET_EVENTS = 3_000;

    /**
     * Execution answers every market data event with a command on the outbound ring; the paper
     * venue answers every command with an execution report on the inbound ring. Small rings and a
     * slow venue keep both rings full when shutdown starts; afterwards every event of both rings
     * must have been consumed by every engine.
     */
    @ParameterizedTest
    @EnumSource(WaitStrategyKind.class)
    void shutdownDrainsBothRings(WaitStrategyKind wait) {
        if (wait == WaitStrategyKind.BUSY_SPIN && Runtime.getRuntime().availableProcessors() < 4) {
            // five spinning threads on two cores would make this test about the scheduler
            wait = WaitStrategyKind.YIELDING;
        }
        Map<String, EngineSpec> specs = new HashMap<>();
        for (String name : new String[]{Pipeline.MARKETDATA, Pipeline.EXECUTION, Pipeline.AUDIT, Pipeline.ANALYTICS, "paper"}) {
            specs.put(name, new EngineSpec(EngineSpec.NO_CPU, wait));
        }
        AtomicLong commandsPublished = new AtomicLong();
        AtomicLong commandsConsumed = new AtomicLong();
        AtomicLong reportsSeenByExecution = new AtomicLong();
        RecordingEngine marketData = new RecordingEngine();
        RecordingEngine audit = new RecordingEngine();
        RecordingEngine analytics = new RecordingEngine();

        Engine<InboundEvent> execution = new Engine<>() {
            private OutboundPublisher outbound;

            @Override
            public void onStart(EngineContext context) {
                outbound = context.outbound();
            }

            @Override
            public void onEvent(InboundEvent event, long sequence, boolean endOfBatch) {
                if (event.type() == InboundEventType.MARKET_DATA) {
                    // cancels do not add risk, so they still flow while shutdown halts trading
                    if (outbound.publish(OrderCommandType.CANCEL, sequence, (c, s) -> c.set(0, s, 0, 0, 1, 0, s, Side.SELL, 0, 0, TimeInForce.GTC, false), sequence) >= 0) {
                        commandsPublished.incrementAndGet();
                    }
                } else if (event.type() == InboundEventType.EXECUTION_REPORT) {
                    reportsSeenByExecution.incrementAndGet();
                }
            }
        };
        Engine<OrderCommand> paperVenue = new Engine<>() {
            private InboundPublisher reports;

            @Override
            public void onStart(EngineContext context) {
                reports = context.inbound();
            }

            @Override
            public void onEvent(OrderCommand command, long sequence, boolean endOfBatch) {
                LockSupport.parkNanos(20_000);
                commandsConsumed.incrementAndGet();
                reports.publish(InboundEventType.EXECUTION_REPORT, (e, c) -> e.executionReport()
                        .set(ExecType.CANCELLED, 0, 0, c.targetClientOrderId(), 0, Side.SELL, 0, 0, 0), command);
            }
        };

        Pipeline pipeline = Pipeline.builder(new PipelineConfig(128, 64, specs, Duration.ofSeconds(60)))
                .stage(Pipeline.MARKETDATA, marketData)
                .stage(Pipeline.EXECUTION, execution)
                .stage(Pipeline.AUDIT, audit)
                .stage(Pipeline.ANALYTICS, analytics)
                .outbound("paper", paperVenue)
                .build().start();
        for (int i = 0; i < MARKET_EVENTS; i++) {
            pipeline.inbound().publish(InboundEventType.MARKET_DATA, (e, n) -> e.marketData()
                    .set(io.mme.core.ring.MarketDataKind.TRADE, 0, 0, Side.BUY, n, 1, n, 0, 0, true), (long) i);
        }
        long left = pipeline.shutdown();

        assertThat(left).isZero();
        assertThat(commandsPublished.get()).isEqualTo(MARKET_EVENTS);
        assertThat(commandsConsumed.get()).isEqualTo(MARKET_EVENTS);
        assertThat(reportsSeenByExecution.get()).isEqualTo(MARKET_EVENTS);
        long inboundTotal = 2L * MARKET_EVENTS;
        assertThat(marketData.seen).hasSize((int) inboundTotal);
        assertThat(audit.seen).hasSize((int) inboundTotal);
        assertThat(analytics.seen).hasSize((int) inboundTotal);
        for (EngineStatus status : pipeline.health().engines()) {
            assertThat(status.state()).as(status.name()).isEqualTo(EngineState.STOPPED);
            assertThat(status.backlog()).as(status.name()).isZero();
        }
    }

    @Test
    void afterShutdownTheEdgeRefusesEventsLoudly() {
        Pipeline pipeline = Pipeline.builder(PipelineConfig.defaults())
                .stage(Pipeline.MARKETDATA, new RecordingEngine()).build().start();
        pipeline.shutdown();
        assertThatThrownBy(() -> pipeline.inbound().publishTimer())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("shutting down");
        assertThat(pipeline.health().haltReason()).isEqualTo("shutdown");
    }

    @Test
    void stagesOutsideTheDesignAreRefused() {
        assertThatThrownBy(() -> Pipeline.builder(PipelineConfig.defaults()).stage("pricing", new RecordingEngine()))
                .hasMessageContaining("'pricing'");
        assertThatThrownBy(() -> Pipeline.builder(PipelineConfig.defaults()).build())
                .hasMessageContaining("at least one inbound engine");
    }
}
