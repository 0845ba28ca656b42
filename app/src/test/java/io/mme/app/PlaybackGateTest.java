package io.mme.app;

import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The pacing gate releases records by event time scaled by the speed, holds them while paused, and seeks. */
class PlaybackGateTest {
    private static final long SECOND = 1_000_000_000L;
    private static final long T0 = 1_700_000_000L * SECOND;

    private final AtomicLong wall = new AtomicLong(5 * SECOND);
    private final PlaybackGate gate = new PlaybackGate(wall::get);

    /** the first record anchors the clock; it is released at once when playing */
    private void firstRecord() throws InterruptedException {
        gate.play();
        assertThat(gate.awaitRelease(T0)).isEqualTo(PlaybackGate.Release.GO);
    }

    @Test
    void atSpeedTenOneWallSecondReleasesTenSecondsOfEvents() throws Exception {
        gate.speed(10);
        firstRecord();
        wall.addAndGet(SECOND);
        assertThat(gate.releasableUntil()).isEqualTo(T0 + 10 * SECOND);
        assertThat(gate.state().positionNanos()).isEqualTo(T0);
        assertThat(gate.state().released()).isEqualTo(1);
    }

    @Test
    void atHalfSpeedOneWallSecondReleasesHalfASecond() throws Exception {
        gate.speed(0.5);
        firstRecord();
        wall.addAndGet(SECOND);
        assertThat(gate.releasableUntil()).isEqualTo(T0 + SECOND / 2);
    }

    @Test
    void whilePausedNothingMoreIsReleasedAndPlayGoesOnFromThere() throws Exception {
        firstRecord();
        wall.addAndGet(2 * SECOND);
        gate.pause();
        assertThat(gate.state().playing()).isFalse();
        wall.addAndGet(60 * SECOND);
        assertThat(gate.releasableUntil()).isEqualTo(Long.MIN_VALUE);
        gate.play();
        wall.addAndGet(SECOND);
        assertThat(gate.releasableUntil()).isEqualTo(T0 + 3 * SECOND);
    }

    @Test
    void aSpeedChangeKeepsThePositionReachedAndScalesWhatFollows() throws Exception {
        firstRecord();
        wall.addAndGet(4 * SECOND);
        gate.speed(100);
        wall.addAndGet(SECOND);
        assertThat(gate.releasableUntil()).isEqualTo(T0 + 104 * SECOND);
        assertThat(gate.state().speed()).isEqualTo(100);
    }

    @Test
    void aSeekForwardReleasesEveryRecordUpToItEvenWhenPausedThenPlaybackGoesOnFromIt() throws Exception {
        firstRecord();
        gate.pause();
        gate.seek(T0 + 30 * SECOND);
        assertThat(gate.awaitRelease(T0 + 10 * SECOND)).isEqualTo(PlaybackGate.Release.GO);
        assertThat(gate.awaitRelease(T0 + 30 * SECOND)).isEqualTo(PlaybackGate.Release.GO);
        assertThat(gate.state().positionNanos()).isEqualTo(T0 + 30 * SECOND);
        assertThat(gate.state().released()).isEqualTo(3);
        gate.play();
        // the next record is past the target: the seek is over and the clock runs from the target
        Thread feeder = new Thread(() -> {
            try {
                gate.awaitRelease(T0 + 31 * SECOND);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        feeder.start();
        while (feeder.isAlive()) {
            wall.addAndGet(SECOND / 10);
            feeder.join(10);
        }
        assertThat(gate.state().seekTargetNanos()).isEqualTo(Long.MIN_VALUE);
        assertThat(gate.state().positionNanos()).isEqualTo(T0 + 31 * SECOND);
    }

    @Test
    void aSeekBackwardAsksTheFeederToRebuildOnceAndResetsThePosition() throws Exception {
        gate.seek(T0 + 20 * SECOND);
        assertThat(gate.awaitRelease(T0)).isEqualTo(PlaybackGate.Release.GO);
        assertThat(gate.awaitRelease(T0 + 20 * SECOND)).isEqualTo(PlaybackGate.Release.GO);
        gate.seek(T0 + 5 * SECOND);
        assertThat(gate.state().released()).isZero();
        assertThat(gate.awaitRelease(T0 + 21 * SECOND)).isEqualTo(PlaybackGate.Release.REBUILD);
        gate.restarted();
        assertThat(gate.awaitRelease(T0)).isEqualTo(PlaybackGate.Release.GO);
        assertThat(gate.awaitRelease(T0 + 5 * SECOND)).isEqualTo(PlaybackGate.Release.GO);
        assertThat(gate.state().positionNanos()).isEqualTo(T0 + 5 * SECOND);
        assertThat(gate.state().released()).isEqualTo(2);
    }

    @Test
    void aClosedGateStopsTheFeeder() throws Exception {
        gate.close();
        assertThat(gate.awaitRelease(T0)).isEqualTo(PlaybackGate.Release.CLOSED);
        assertThat(gate.awaitAfterEnd()).isEqualTo(PlaybackGate.Release.CLOSED);
    }

    @Test
    void aSpeedOutsideTheRangeIsRefusedNamingIt() {
        assertThatThrownBy(() -> gate.speed(200)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("speed 200.0")
                .hasMessageContaining("0.5..100");
        assertThatThrownBy(() -> gate.speed(Double.NaN)).hasMessageContaining("speed NaN");
        assertThatThrownBy(() -> gate.speed(0.1)).hasMessageContaining("speed 0.1");
    }
}
