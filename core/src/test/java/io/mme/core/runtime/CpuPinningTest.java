package io.mme.core.runtime;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.BitSet;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class CpuPinningTest {
    private final ListAppender<ILoggingEvent> logged = new ListAppender<>();
    private final Logger pinningLog = (Logger) LoggerFactory.getLogger(CpuPinning.class);

    @BeforeEach
    void captureLog() {
        logged.start();
        pinningLog.addAppender(logged);
    }

    @AfterEach
    void releaseLog() {
        pinningLog.detachAppender(logged);
    }

    @Test
    void pinningToACpuThatDoesNotExistFallsBackUnpinnedWithAWarning() {
        int missingCpu = Runtime.getRuntime().availableProcessors() + 64;
        RecordingEngine engine = new RecordingEngine();
        try (Pipeline pipeline = Pipeline.builder(new PipelineConfig(64, 64,
                        Map.of(Pipeline.MARKETDATA, new EngineSpec(missingCpu, WaitStrategyKind.BLOCKING)), Duration.ofSeconds(5)))
                .stage(Pipeline.MARKETDATA, engine).build().start()) {
            pipeline.inbound().publishTimer();
            await().atMost(Duration.ofSeconds(10)).until(() -> engine.seen.size() == 1);

            EngineStatus status = pipeline.health().engine(Pipeline.MARKETDATA);
            assertThat(status.state()).isEqualTo(EngineState.RUNNING);
            assertThat(status.requestedCpu()).isEqualTo(missingCpu);
            assertThat(status.pinning()).startsWith("unpinned").contains("does not exist");
        }
        assertThat(logged.list)
                .anySatisfy(e -> {
                    assertThat(e.getLevel()).isEqualTo(Level.WARN);
                    assertThat(e.getFormattedMessage()).contains("marketdata").contains("cpu " + missingCpu).contains("unpinned");
                });
    }

    @Test
    void aCpuOutsideTheProcessesAllowedSetIsRefusedWithAWarning() {
        BitSet allowed = new BitSet();
        allowed.set(1);
        CpuPinning pinning = new CpuPinning(4, allowed);
        CpuPinning.Outcome outcome = pinning.pin("risk", 2);
        assertThat(outcome.pinned()).isFalse();
        assertThat(outcome.description()).contains("outside this process's allowed cpus");
        assertThat(logged.list).anySatisfy(e -> assertThat(e.getFormattedMessage()).contains("risk").contains("cpu 2"));
    }

    @Test
    void noCpuConfiguredMeansUnpinnedWithoutAWarning() {
        CpuPinning.Outcome none = new CpuPinning().pin("audit", EngineSpec.NO_CPU);
        assertThat(none.pinned()).isFalse();
        assertThat(none.description()).contains("none configured");
        assertThat(logged.list).isEmpty();
    }

    @Test
    void anEngineOnAFreeCpuIsPinnedOrToldWhyNot() throws Exception {
        // On any machine the outcome is either pinned to the cpu or unpinned with a reason; never a failure.
        int cpu = Runtime.getRuntime().availableProcessors() - 1;
        CpuPinning pinning = new CpuPinning();
        CpuPinning.Outcome[] outcome = new CpuPinning.Outcome[2];
        Thread first = new Thread(() -> outcome[0] = pinning.pin("first", cpu));
        first.start();
        first.join();
        Thread second = new Thread(() -> outcome[1] = pinning.pin("second", cpu));
        second.start();
        second.join();
        if (outcome[0].pinned()) {
            assertThat(outcome[0].cpu()).isEqualTo(cpu);
            assertThat(outcome[1].pinned()).isFalse();
            assertThat(outcome[1].description()).contains("already taken");
        } else {
            assertThat(outcome[0].description()).startsWith("unpinned");
        }
        outcome[0].release();
        outcome[1].release();
    }

    @Test
    void defaultWaitStrategyNeverSpinsWhenEnginesOutnumberCores() {
        assertThat(WaitStrategyKind.defaultFor(2, 7)).isEqualTo(WaitStrategyKind.BLOCKING);
        assertThat(WaitStrategyKind.defaultFor(7, 7)).isEqualTo(WaitStrategyKind.YIELDING);
        assertThat(WaitStrategyKind.defaultFor(8, 7)).isEqualTo(WaitStrategyKind.BUSY_SPIN);
        for (int cores = 1; cores <= 64; cores++) {
            for (int engines = cores + 1; engines <= 70; engines++) {
                assertThat(WaitStrategyKind.defaultFor(cores, engines)).isNotEqualTo(WaitStrategyKind.BUSY_SPIN);
            }
        }
    }

    @Test
    void eachEngineWaitsTheWayConfigSays() {
        RecordingEngine md = new RecordingEngine();
        RecordingEngine risk = new RecordingEngine();
        try (Pipeline pipeline = Pipeline.builder(new PipelineConfig(64, 64,
                        Map.of(Pipeline.RISK, new EngineSpec(EngineSpec.NO_CPU, WaitStrategyKind.SLEEPING)), Duration.ofSeconds(5)))
                .cores(2)
                .stage(Pipeline.MARKETDATA, md).stage(Pipeline.RISK, risk)
                .outbound("paper", (Engine<io.mme.core.ring.OrderCommand>) (c, s, e) -> { })
                .build().start()) {
            assertThat(pipeline.health().engine(Pipeline.RISK).waitStrategy()).isEqualTo(WaitStrategyKind.SLEEPING);
            // three engines on two cores: the default is blocking
            assertThat(pipeline.health().engine(Pipeline.MARKETDATA).waitStrategy()).isEqualTo(WaitStrategyKind.BLOCKING);
            assertThat(pipeline.health().engine("paper").waitStrategy()).isEqualTo(WaitStrategyKind.BLOCKING);
            for (int i = 0; i < 100; i++) {
                pipeline.inbound().publishTimer();
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> risk.seen.size() == 100);
            assertThat(risk.seen.get(0).thread()).isEqualTo("mme-risk");
        }
    }
}
