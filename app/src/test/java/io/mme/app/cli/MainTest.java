package io.mme.app.cli;

import io.mme.app.Main;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class MainTest {
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
    void helpListsTheCommands() {
        assertThat(run("--help")).isZero();
        assertThat(out.toString()).contains("run").contains("demo").contains("--version").contains("Exit codes");
    }

    @Test
    void versionNamesTheBuild() {
        assertThat(run("--version")).isZero();
        assertThat(out.toString()).startsWith("mme ").contains("Java");
    }

    @Test
    void aConfigWithABadValueNamesTheKeyAndExitsNonZero() throws IOException {
        Path config = dir.resolve("bad.yaml");
        Files.writeString(config, "engine:\n  engines:\n    risk:\n      waitStrategy: spinny\n");
        int code = run("run", "--config", config.toString());
        assertThat(code).isEqualTo(Main.EXIT_CONFIG);
        assertThat(err.toString())
                .contains("engine.engines.risk.waitStrategy")
                .contains("'spinny'")
                .contains("busy-spin, yielding, sleeping, blocking");
    }

    @Test
    void runWithoutAConfigIsAUsageError() {
        assertThat(run("run")).isEqualTo(2);
        assertThat(err.toString()).contains("--config");
    }

    @Test
    void runRefusesANegativeReportInterval() throws IOException {
        Path config = dir.resolve("demo.yaml");
        try (var in = MainTest.class.getResourceAsStream("/demo.yaml")) {
            Files.copy(in, config);
        }
        assertThat(run("run", "--config", config.toString(), "--report-every", "-1")).isEqualTo(2);
        assertThat(err.toString()).contains("--report-every -1");
    }

    @Test
    void demoRunsThePipelineAndPrintsEveryEngine() {
        int code = run("demo", "--seconds", "1");
        assertThat(code).isZero();
        String printed = out.toString();
        assertThat(printed).contains("8 instruments").contains("BTC/USD").contains("strategy btc-skew: inventory-skew on BTC/USD").contains("strategy sol-as: avellaneda-stoikov on SOL/USD");
        for (String engine : new String[]{"marketdata", "strategy", "risk", "execution", "audit", "analytics", "paper"}) {
            assertThat(printed).contains(engine);
        }
        assertThat(printed).contains("engines after shutdown").contains("STOPPED").doesNotContain("FAULTED");
        assertThat(printed).contains("8 simulated markets").contains("summary (whole run)").containsPattern("digest: [0-9a-f]{64}");
    }

    @Test
    void demoRefusesANonPositiveDuration() {
        assertThat(run("demo", "--seconds", "0")).isEqualTo(2);
        assertThat(err.toString()).contains("--seconds 0");
    }

    @Test
    void runWithNoInstrumentIsRefusedWithExitTwo() throws IOException {
        Path config = dir.resolve("empty.yaml");
        Files.writeString(config, "");
        int code = run("run", "--config", config.toString(), "--journal", dir.resolve("run").toString());
        assertThat(code).isEqualTo(Main.EXIT_CONFIG);
        assertThat(err.toString()).contains("instruments = '[] (none configured)'").contains("at least one instrument");
        assertThat(Files.exists(dir.resolve("run"))).isFalse();
    }
}
