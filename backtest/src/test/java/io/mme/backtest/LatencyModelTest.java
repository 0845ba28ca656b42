package io.mme.backtest;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The latency models: constant, drawn from a file, proportional to the feed latency. */
class LatencyModelTest {
    @TempDir
    Path dir;

    @Test
    void constantGivesEntryAndResponseInMilliseconds() {
        LatencyModel model = LatencyModel.parse("constant:2.5/7");
        assertThat(model.entryNanos(99_000_000)).isEqualTo(2_500_000);
        assertThat(model.responseNanos(99_000_000)).isEqualTo(7_000_000);
        assertThat(LatencyModel.parse("constant:3").responseNanos(0)).isEqualTo(3_000_000);
    }

    @Test
    void feedProportionalScalesTheFeedLatencyOfTheMoment() {
        LatencyModel model = LatencyModel.parse("feed:1.5");
        assertThat(model.entryNanos(4_000_000)).isEqualTo(6_000_000);
        assertThat(model.responseNanos(10_000_000)).isEqualTo(15_000_000);
    }

    @Test
    void aFileDistributionDrawsOnlyItsOwnValuesAndRepeatsItsSequence() throws Exception {
        Path file = dir.resolve("latency.txt");
        Files.writeString(file, "# microseconds\n100\n\n250\n1000\n");
        LatencyModel a = LatencyModel.parse("file:" + file);
        LatencyModel b = LatencyModel.parse("file:" + file);
        for (int i = 0; i < 50; i++) {
            long x = a.entryNanos(0);
            assertThat(x).isIn(100_000L, 250_000L, 1_000_000L);
            assertThat(b.entryNanos(0)).isEqualTo(x);
        }
    }

    @Test
    void aBadFileLineIsNamedWithItsLine() throws Exception {
        Path file = dir.resolve("bad.txt");
        Files.writeString(file, "100\nfast\n");
        assertThatThrownBy(() -> LatencyModel.parse("file:" + file)).hasMessageContaining(file + " line 2")
                .hasMessageContaining("'fast'");
        assertThatThrownBy(() -> LatencyModel.parse("constant:-1")).hasMessageContaining("constant:-1");
        assertThatThrownBy(() -> LatencyModel.parse("gaussian")).hasMessageContaining("latency model 'gaussian'");
    }
}
