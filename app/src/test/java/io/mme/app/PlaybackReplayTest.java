package io.mme.app;

import io.mme.app.config.ConfigLoader;
import io.mme.app.config.MmeSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A demo run's journal played through the gate: paused it stays put, a seek forward and a seek
 * backward (a rebuild) reach their targets, and played to the end at 100x it ends in the live digest.
 */
class PlaybackReplayTest {
    private static final long SECOND = 1_000_000_000L;

    @TempDir
    Path dir;

    @Test
    void playbackPausesSeeksBothWaysAndEndsInTheLiveRunsDigest() throws Exception {
        Path journal = dir.resolve("journal");
        StringWriter out = new StringWriter();
        CommandLine cli = Main.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(new StringWriter(), true));
        assertThat(cli.execute("demo", "--seconds", "3", "--seed", "7", "--journal", journal.toString())).as(out.toString()).isZero();
        List<String> lines = out.toString().lines().filter(l -> !l.isBlank()).toList();
        String liveDigest = lines.get(lines.size() - 1);
        assertThat(liveDigest).matches("digest: [0-9a-f]{64}");

        MmeSettings settings = new ConfigLoader().load(journal.resolve(EngineRunner.JOURNAL_CONFIG), Map.of());
        try (PlaybackReplay playback = new PlaybackReplay(settings, journal.resolve(EngineRunner.JOURNAL_QUEUE), System::nanoTime).start()) {
            PlaybackReplay.Extent extent = playback.extent();
            assertThat(extent.endNanos()).isGreaterThan(extent.startNanos() + SECOND);
            PlaybackGate gate = playback.gate();

            // paused at the start: the first record anchors, nothing goes
            Thread.sleep(100);
            assertThat(gate.state().released()).isZero();

            // seek forward to the middle while paused
            long middle = extent.startNanos() + (extent.endNanos() - extent.startNanos()) / 2;
            gate.seek(middle);
            awaitTrue(() -> settled(gate, middle));
            long releasedAtMiddle = gate.state().released();
            assertThat(releasedAtMiddle).isPositive().isLessThan(extent.records());
            assertThat(gate.state().positionNanos()).isLessThanOrEqualTo(middle);
            assertThat(gate.state().playing()).isFalse();
            EngineAssembly first = playback.engine();

            // seek backward to a quarter: the engines are built again and run to it
            long quarter = extent.startNanos() + (extent.endNanos() - extent.startNanos()) / 4;
            gate.seek(quarter);
            awaitTrue(() -> playback.engine() != first && settled(gate, quarter));
            assertThat(gate.state().positionNanos()).isLessThanOrEqualTo(quarter);
            assertThat(gate.state().released()).isPositive().isLessThan(releasedAtMiddle);

            // play to the end at 100x
            gate.speed(100);
            gate.play();
            assertThat(playback.finish()).isEqualTo(liveDigest.substring("digest: ".length()));
            assertThat(gate.state().released()).isEqualTo(extent.records());
        }
    }

    /** the feeder holds the first record after {@code target}: everything up to it went */
    private static boolean settled(PlaybackGate gate, long target) {
        PlaybackGate.State s = gate.state();
        return s.positionNanos() != Long.MIN_VALUE && s.positionNanos() <= target && s.seekTargetNanos() == Long.MIN_VALUE;
    }

    private static void awaitTrue(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + 60 * SECOND;
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("the playback did not get there in time").isLessThan(deadline);
            Thread.sleep(10);
        }
    }
}
