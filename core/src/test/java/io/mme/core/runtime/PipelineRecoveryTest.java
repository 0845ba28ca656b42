package io.mme.core.runtime;

import io.mme.core.ring.ControlCommands;
import io.mme.core.ring.InboundEvent;
import io.mme.core.ring.InboundEventType;
import io.mme.core.ring.OrderCommand;
import io.mme.core.ring.OrderCommandType;
import io.mme.core.ring.Side;
import io.mme.core.ring.TimeInForce;
import io.mme.core.state.SnapshotSink;
import io.mme.core.state.SnapshotState;
import io.mme.core.state.StateReader;
import io.mme.core.state.StateWriter;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** What a restarted pipeline relies on: event numbers that continue, recovery mode, and state written at snapshot events. */
class PipelineRecoveryTest {
    /** counts events; keeps its count as state; publishes an "echo" on every market data event and sends an order */
    static final class CountingEngine implements Engine<InboundEvent>, SnapshotState {
        long count;
        final List<Long> sequences = new CopyOnWriteArrayList<>();
        EngineContext context;

        @Override
        public void onStart(EngineContext context) {
            this.context = context;
        }

        @Override
        public void onEvent(InboundEvent event, long sequence, boolean endOfBatch) {
            count++;
            sequences.add(event.sequence());
            if (event.type() == InboundEventType.TIMER) {
                context.inbound().publish(InboundEventType.CONTROL, (e, a) -> e.control().set("echo", 0, "test", "echo"), null);
                context.outbound().publish(OrderCommandType.NEW, event.sequence(),
                        (c, s) -> c.set(0, s, 0, 0, 1, s, 0, Side.BUY, 1, 1, TimeInForce.GTC, true), event.sequence());
            }
        }

        @Override
        public int stateVersion() {
            return 1;
        }

        @Override
        public void writeState(StateWriter out) {
            out.putLong(count);
        }

        @Override
        public void readState(StateReader in) {
            count = in.getLong();
        }
    }

    record Saved(String engine, long sequence, long count) {
    }

    @ParameterizedTest(name = "fused chain: {0}")
    @ValueSource(booleans = {false, true})
    void eventsContinueFromTheFirstSequenceRecoveryDropsAndMarksAndSnapshotsCutAtOneEvent(boolean fused) {
        CountingEngine execution = new CountingEngine();
        List<Saved> saved = new CopyOnWriteArrayList<>();
        SnapshotSink sink = (engine, sequence, version, state) -> saved.add(new Saved(engine, sequence, new StateReader(state).getLong()));
        List<OrderCommand> sent = new CopyOnWriteArrayList<>();
        Engine<OrderCommand> venue = (c, s, end) -> {
            OrderCommand copy = new OrderCommand();
            copy.begin(s, c.type());
            copy.set(c.timestampNanos(), c.causeSequence(), 0, 0, 1, c.clientOrderId(), 0, Side.BUY, 1, 1, TimeInForce.GTC, true);
            copy.recovered(c.recovered());
            sent.add(copy);
        };
        PipelineConfig config = new PipelineConfig(64, 64, Map.of(), Duration.ofSeconds(5), fused);
        try (Pipeline pipeline = Pipeline.builder(config).firstSequence(1_000).snapshots(sink)
                .stage(Pipeline.EXECUTION, execution).outbound("venue", venue).build()) {
            pipeline.recovering(true);
            pipeline.start();
            assertThat(pipeline.inbound().publishTimer()).isEqualTo(1_000);
            assertThat(pipeline.inbound().publishTimer()).isEqualTo(1_001);
            await().atMost(Duration.ofSeconds(5)).until(() -> sent.size() == 2);
            // while recovering: what the engine published into the inbound ring was dropped, its orders marked
            assertThat(execution.sequences).containsExactly(1_000L, 1_001L);
            assertThat(sent).allMatch(OrderCommand::recovered);
            assertThat(pipeline.health().isRecovering()).isTrue();
            assertThat(pipeline.health().engine(Pipeline.EXECUTION).lastSequence()).isEqualTo(1_001);

            pipeline.recovering(false);
            pipeline.inbound().publish(InboundEventType.CONTROL,
                    (e, a) -> e.control().set(ControlCommands.SNAPSHOT, 0, "test", "snapshot").target(-1, -1), null);
            pipeline.inbound().publishTimer();
            await().atMost(Duration.ofSeconds(5)).until(() -> sent.size() == 3 && execution.sequences.size() == 5);
            // live again: the echo of the last timer came through, the order went out unmarked
            assertThat(execution.sequences).containsExactly(1_000L, 1_001L, 1_002L, 1_003L, 1_004L);
            assertThat(sent.get(2).recovered()).isFalse();
            // the state was written after the snapshot event, on the engine's thread, as of that event
            assertThat(saved).containsExactly(new Saved(Pipeline.EXECUTION, 1_002, 3));
        }
    }
}
