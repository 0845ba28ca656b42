package io.mme.core.runtime;

import io.mme.core.ring.InboundEvent;
import io.mme.core.ring.InboundEventType;
import io.mme.core.ring.OrderCommandType;
import io.mme.core.ring.Side;
import io.mme.core.ring.TimeInForce;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class PipelineFaultTest {
    private static final int EVENTS = 20;
    private static final long FAULTY_SEQUENCE = 5;

    @Test
    void engineExceptionHaltsTradingIsReportedAndTheEventIsPassedOnMarked() {
        faultIsContained(PipelineConfig.defaults());
    }

    @Test
    void inAFusedChainAnEngineExceptionIsContainedExactlyAsOnItsOwnThread() {
        faultIsContained(PipelineConfig.defaults().withFusedChain(true));
    }

    private void faultIsContained(PipelineConfig config) {
        RecordingEngine marketData = new RecordingEngine();
        RecordingEngine strategy = new RecordingEngine(event -> {
            if (event.sequence() == FAULTY_SEQUENCE) {
                throw new IllegalStateException("quote model diverged");
            }
        });
        RecordingEngine risk = new RecordingEngine();
        AtomicLong newOrdersAccepted = new AtomicLong();
        AtomicLong cancelsAccepted = new AtomicLong();
        RecordingEngine execution = new RecordingEngine();
        RecordingEngine audit = new RecordingEngine();
        Engine<InboundEvent> executionWithOrders = (event, sequence, endOfBatch) -> {
            execution.onEvent(event, sequence, endOfBatch);
            OutboundPublisher out = execution.context.outbound();
            if (out.publish(OrderCommandType.NEW, sequence, (c, s) -> c.set(s, s, 0, 0, 1, s, 0, Side.BUY, 100, 1, TimeInForce.GTC, true), sequence) >= 0) {
                newOrdersAccepted.incrementAndGet();
            }
            if (out.publish(OrderCommandType.CANCEL, sequence, (c, s) -> c.set(s, s, 0, 0, 1, 0, s, Side.BUY, 0, 0, TimeInForce.GTC, false), sequence) >= 0) {
                cancelsAccepted.incrementAndGet();
            }
        };
        AtomicLong outboundSeen = new AtomicLong();

        try (Pipeline pipeline = Pipeline.builder(config)
                .stage(Pipeline.MARKETDATA, marketData)
                .stage(Pipeline.STRATEGY, strategy)
                .stage(Pipeline.RISK, risk)
                .stage(Pipeline.EXECUTION, new ContextCapturing(executionWithOrders, execution))
                .stage(Pipeline.AUDIT, audit)
                .outbound("paper", (command, sequence, endOfBatch) -> outboundSeen.incrementAndGet())
                .build().start()) {
            for (int i = 0; i < EVENTS; i++) {
                pipeline.inbound().publishTimer();
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> audit.seen.size() == EVENTS);

            EngineStatus status = pipeline.health().engine(Pipeline.STRATEGY);
            assertThat(status.state()).isEqualTo(EngineState.FAULTED);
            assertThat(status.faults()).isEqualTo(1);
            assertThat(status.firstFault()).contains("event 5").contains("quote model diverged");
            assertThat(pipeline.health().tradingHalted()).isTrue();
            assertThat(pipeline.health().haltReason()).contains("strategy");
            assertThat(pipeline.health().describe()).contains("HALTED").contains("quote model diverged");

            // the faulting engine's thread lives on and consumed everything after the fault
            assertThat(strategy.seen).hasSize(EVENTS - 1);
            assertThat(strategy.seen.get(strategy.seen.size() - 1).sequence()).isEqualTo(EVENTS - 1);
            // no engine after it skipped the event; each saw it marked as faulted
            for (RecordingEngine downstream : new RecordingEngine[]{risk, execution, audit}) {
                assertThat(downstream.seen).extracting(RecordingEngine.Seen::sequence)
                        .containsExactlyElementsOf(java.util.stream.LongStream.range(0, EVENTS).boxed().toList());
                assertThat(downstream.seen.get((int) FAULTY_SEQUENCE).faultedBy()).isEqualTo(Pipeline.STRATEGY);
                assertThat(downstream.seen.get((int) FAULTY_SEQUENCE + 1).faultedBy()).isNull();
            }
            // trading halted: new orders stop at the fault, cancels still flow
            assertThat(newOrdersAccepted.get()).isEqualTo(FAULTY_SEQUENCE);
            assertThat(execution.context.outbound().refusedWhileHalted()).isEqualTo(EVENTS - FAULTY_SEQUENCE);
            assertThat(cancelsAccepted.get()).isEqualTo(EVENTS);
            await().atMost(Duration.ofSeconds(10)).until(() -> outboundSeen.get() == FAULTY_SEQUENCE + EVENTS);
            // fused: the four chain engines ran on the one chain thread, and each still has its health line
            String thread = risk.seen.get(0).thread();
            assertThat(thread).isEqualTo(config.fusedChain() ? "mme-" + Pipeline.FUSED_CHAIN : "mme-" + Pipeline.RISK);
            if (config.fusedChain()) {
                assertThat(marketData.seen).allMatch(seen -> seen.thread().equals(thread));
                assertThat(pipeline.health().engine(Pipeline.EXECUTION).lastSequence()).isEqualTo(EVENTS - 1);
                assertThat(pipeline.health().engine(Pipeline.RISK).state()).isEqualTo(EngineState.RUNNING);
            }
        }
    }

    @Test
    void exceptionInOnStartIsReportedAndHaltsTrading() {
        Engine<InboundEvent> broken = new Engine<>() {
            @Override
            public void onStart(EngineContext context) {
                throw new IllegalArgumentException("no instruments configured");
            }

            @Override
            public void onEvent(InboundEvent event, long sequence, boolean endOfBatch) {
            }
        };
        RecordingEngine audit = new RecordingEngine();
        try (Pipeline pipeline = Pipeline.builder(PipelineConfig.defaults())
                .stage(Pipeline.RISK, broken).stage(Pipeline.AUDIT, audit).build().start()) {
            pipeline.inbound().publishTimer();
            await().atMost(Duration.ofSeconds(10)).until(() -> audit.seen.size() == 1);
            assertThat(pipeline.health().engine(Pipeline.RISK).state()).isEqualTo(EngineState.FAULTED);
            assertThat(pipeline.health().engine(Pipeline.RISK).firstFault()).contains("start-up").contains("no instruments configured");
            assertThat(pipeline.health().tradingHalted()).isTrue();
        }
    }

    @Test
    void enginesReadTimeFromTheEventStampedAtTheEdge() {
        AtomicLong fakeClock = new AtomicLong(1_700_000_000_000_000_000L);
        RecordingEngine md = new RecordingEngine();
        try (Pipeline pipeline = Pipeline.builder(new PipelineConfig(64, 64, Map.of(), Duration.ofSeconds(5)))
                .clock(() -> fakeClock.addAndGet(1_000))
                .stage(Pipeline.MARKETDATA, md).build().start()) {
            pipeline.inbound().publish(InboundEventType.TIMER, (e, a) -> { }, null);
            pipeline.inbound().publishTimer();
            await().atMost(Duration.ofSeconds(10)).until(() -> md.seen.size() == 2);
            assertThat(md.seen).extracting(RecordingEngine.Seen::timestampNanos)
                    .containsExactly(1_700_000_000_000_001_000L, 1_700_000_000_000_002_000L);
        }
    }

    /** lets the wrapped lambda engine reach the context captured by the recording engine */
    private record ContextCapturing(Engine<InboundEvent> delegate, RecordingEngine holder) implements Engine<InboundEvent> {
        @Override
        public void onStart(EngineContext context) {
            holder.onStart(context);
        }

        @Override
        public void onEvent(InboundEvent event, long sequence, boolean endOfBatch) throws Exception {
            delegate.onEvent(event, sequence, endOfBatch);
        }
    }
}
