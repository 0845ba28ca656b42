package io.mme.app.cli;

import io.mme.app.Main;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code mme replay --serve}'s options: bad ones are refused (exit 2) naming what was wrong, before anything starts. */
class ReplayServeOptionsTest {
    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cli = Main.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }

    @Test
    void aSpeedOutsideHalfToAHundredIsRefusedNamingIt() {
        assertThat(run("replay", "--journal", dir.toString(), "--serve", "--speed", "200")).isEqualTo(Main.EXIT_CONFIG);
        assertThat(err.toString()).contains("--speed 200.0", "0.5 to 100");
    }

    @Test
    void playbackOptionsWithoutServeAreRefused() {
        assertThat(run("replay", "--journal", dir.toString(), "--port", "8090")).isEqualTo(Main.EXIT_CONFIG);
        assertThat(err.toString()).contains("go with --serve");
    }

    @Test
    void aPortOutOfRangeIsRefusedNamingIt() {
        assertThat(run("replay", "--journal", dir.toString(), "--serve", "--port", "70000")).isEqualTo(Main.EXIT_CONFIG);
        assertThat(err.toString()).contains("--port 70000");
    }

    @Test
    void aDirectoryThatHoldsNoJournalIsRefusedNamingWhatIsMissing() {
        assertThat(run("replay", "--journal", dir.toString(), "--serve")).isEqualTo(Main.EXIT_CONFIG);
        assertThat(err.toString()).contains(dir.toString(), "is not a journal directory", "mme-config.yaml");
    }
}
