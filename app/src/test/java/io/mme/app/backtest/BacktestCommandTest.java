package io.mme.app.backtest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mme.app.Main;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code mme backtest} on slices of the shared Binance capture with the shipped example
 * configuration: the strategy quotes and fills, the same input gives the same digest, the report
 * is written, and bad input is named (a line that cannot be read, a symbol the configuration does
 * not name, diffs without a snapshot, --from past the data).
 */
class BacktestCommandTest {
    private static final Pattern DIGEST = Pattern.compile("(?m)^digest: ([0-9a-f]{64})$");

    @TempDir
    Path dir;

    record Run(int code, String out, String err) {
        String digest() {
            Matcher m = DIGEST.matcher(out);
            assertThat(m.find()).as("a digest line in:%n%s", out).isTrue();
            return m.group(1);
        }
    }

    private Run backtest(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = Main.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        List<String> all = new ArrayList<>(List.of("backtest", "--no-progress"));
        all.addAll(List.of(args));
        int code = cli.execute(all.toArray(new String[0]));
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void theSameCaptureTwiceGivesTheSameDigestAndTheStrategyTradesAgainstTheRecordedMarket() throws Exception {
        Path slice = CaptureSlices.slice("btcusdt_20240808.gz", 8_000, dir);
        Run first = backtest("--config", CaptureSlices.CONFIG.toString(), "--data", slice.toString(), "--report", dir.resolve("r1").toString());
        Run second = backtest("--config", CaptureSlices.CONFIG.toString(), "--data", slice.toString());
        assertThat(first.code()).as(first.out() + first.err()).isZero();
        assertThat(second.code()).isZero();
        assertThat(first.digest()).isEqualTo(second.digest());
        assertThat(first.out()).contains("8,000 venue messages (0 skipped)", "inventory-skew binance  BTCUSDT");

        JsonNode report = new ObjectMapper().readTree(dir.resolve("r1/report.json").toFile());
        JsonNode btc = report.get("instruments").get(0);
        assertThat(btc.get("symbol").asText()).isEqualTo("BTCUSDT");
        assertThat(btc.get("fills").asLong()).isPositive();
        assertThat(btc.get("ordersSent").asLong()).isPositive();
        assertThat(btc.get("shareOfTimeQuotingBothSides").asDouble()).isBetween(0.05, 1.0);
        assertThat(report.get("run").get("digest").asText()).isEqualTo(first.digest());
        // the report's own position agrees with what its fills add up to, and the markouts are there
        assertThat(btc.get("markoutsBps").get("1s").get("n").asLong()).isPositive();
        assertThat(Files.readString(dir.resolve("r1/report.html"))).contains("uPlot", "BTCUSDT").doesNotContain("src=\"http");

        // a different queue model is a different market for the orders: the run is still repeatable
        Run averse = backtest("--config", CaptureSlices.CONFIG.toString(), "--data", slice.toString(), "--queue-model", "risk-averse");
        Run averseAgain = backtest("--config", CaptureSlices.CONFIG.toString(), "--data", slice.toString(), "--queue-model", "risk-averse");
        assertThat(averse.digest()).isEqualTo(averseAgain.digest());
    }

    @Test
    void anUnreadableLineIsReportedWithFileAndLineAndSkipped() throws Exception {
        Path slice = CaptureSlices.slice("btcusdt_20240808.gz", 3_000, dir, "broken.gz",
                n -> n == 30 ? "1723161253000000000 {\"stream\":\"btcusdt@trade\",\"data\":{\"e\":\"trade\",\"s\":" : n == 31 ? "no timestamp here" : null);
        Run run = backtest("--config", CaptureSlices.CONFIG.toString(), "--data", slice.toString());
        assertThat(run.code()).as(run.out() + run.err()).isZero();
        assertThat(run.err()).contains("broken.gz line 30: skipped:", "broken.gz line 31: skipped: no local timestamp");
        assertThat(run.out()).contains("(2 skipped)");
    }

    @Test
    void depthDiffsWithoutASnapshotWaitForOneAndSaySo() throws Exception {
        // line 8 holds the REST snapshot: without it the book never synchronises
        Path slice = CaptureSlices.slice("btcusdt_20240808.gz", 2_000, dir, "nosnapshot.gz", n -> n == 8 ? "" : null);
        Run run = backtest("--config", CaptureSlices.CONFIG.toString(), "--data", slice.toString());
        assertThat(run.err()).contains("BTCUSDT: depth diffs without a snapshot yet; the book waits for one");
        assertThat(run.out()).contains("binance BTCUSDT: the book never synchronised (its depth diffs waited for a snapshot");
        assertThat(run.out()).contains("execution engine: 0 orders sent");
    }

    @Test
    void dataOfASymbolTheConfigurationDoesNotNameIsANamedError() throws Exception {
        Path slice = CaptureSlices.slice("ethusdt_20240808.gz", 200, dir);
        Run run = backtest("--config", CaptureSlices.CONFIG.toString(), "--data", slice.toString());
        assertThat(run.code()).isEqualTo(Main.EXIT_CONFIG);
        assertThat(run.err()).contains("ethusdt_20240808.gz line 1: symbol ETHUSDT of venue binance is not an instrument of the configuration"
                + " (it names binance BTCUSDT)");
    }

    @Test
    void fromOrToOutsideTheDataSaySo() throws Exception {
        Path slice = CaptureSlices.slice("btcusdt_20240808.gz", 200, dir);
        Run late = backtest("--config", CaptureSlices.CONFIG.toString(), "--data", slice.toString(), "--from", "2024-08-09T00:00:00Z");
        assertThat(late.code()).isEqualTo(Main.EXIT_CONFIG);
        assertThat(late.err()).contains("--from 2024-08-09T00:00:00Z is after the data's end 2024-08-08T23:54:");
        Run early = backtest("--config", CaptureSlices.CONFIG.toString(), "--data", slice.toString(), "--to", "2024-08-08T00:00:00Z");
        assertThat(early.code()).isEqualTo(Main.EXIT_CONFIG);
        assertThat(early.err()).contains("--to 2024-08-08T00:00:00Z is before the data's start 2024-08-08T23:54:");
        Run bad = backtest("--config", CaptureSlices.CONFIG.toString(), "--data", slice.toString(), "--from", "yesterday");
        assertThat(bad.code()).isEqualTo(Main.EXIT_CONFIG);
        assertThat(bad.err()).contains("--from 'yesterday': expected an ISO instant");
    }

    /** a backtest's journal is a run journal: its replay rebuilds the same final state (same digest), so the page can play it */
    @Test
    void aBacktestRecordedAsAJournalReplaysToTheSameDigest() throws Exception {
        Path slice = CaptureSlices.slice("btcusdt_20240808.gz", 8_000, dir);
        Path journal = dir.resolve("bt-journal");
        Run run = backtest("--config", CaptureSlices.CONFIG.toString(), "--data", slice.toString(), "--journal", journal.toString());
        assertThat(run.code()).as(run.out() + run.err()).isZero();
        assertThat(run.out()).containsPattern("journal: [0-9,]+ events appended in " + Pattern.quote(journal.toString()));
        assertThat(journal.resolve("mme-config.yaml")).isRegularFile();

        StringWriter out = new StringWriter();
        CommandLine cli = Main.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(new StringWriter(), true));
        assertThat(cli.execute("replay", "--journal", journal.toString())).as(out.toString()).isZero();
        Matcher replayed = DIGEST.matcher(out.toString());
        assertThat(replayed.find()).as(out.toString()).isTrue();
        assertThat(replayed.group(1)).as("the replay of the backtest's journal").isEqualTo(run.digest());

        // the journal is a new recording: a directory that holds one is refused, and so is a sweep
        Run again = backtest("--config", CaptureSlices.CONFIG.toString(), "--data", slice.toString(), "--journal", journal.toString());
        assertThat(again.code()).isNotZero();
        assertThat(again.err()).contains("--journal " + journal + ": not empty");
        Run sweep = backtest("--config", CaptureSlices.CONFIG.toString(), "--data", slice.toString(), "--journal", dir.resolve("j2").toString(),
                "--sweep", "strategy.parameters.spread.ticks=2,6");
        assertThat(sweep.code()).isNotZero();
        assertThat(sweep.err()).contains("--journal records one backtest: it cannot go with --sweep");
    }

    @Test
    void tradingFromAMomentInTheDataStartsFromTheBookAsTheDataHadItThen() throws Exception {
        Path slice = CaptureSlices.slice("btcusdt_20240808.gz", 8_000, dir);
        Run run = backtest("--config", CaptureSlices.CONFIG.toString(), "--data", slice.toString(), "--from", "2024-08-08T23:55:00Z",
                "--report", dir.resolve("r").toString());
        assertThat(run.code()).as(run.out() + run.err()).isZero();
        JsonNode report = new ObjectMapper().readTree(dir.resolve("r/report.json").toFile());
        assertThat(report.get("instruments").get(0).get("ordersSent").asLong()).isPositive();
        assertThat(run.out()).doesNotContain("never synchronised");
    }

    @Test
    void aSweepRunsEveryCombinationRanksThemAndEachRunIsTheSameAsAlone() throws Exception {
        Path slice = CaptureSlices.slice("btcusdt_20240808.gz", 6_000, dir);
        Run alone = backtest("--config", CaptureSlices.CONFIG.toString(), "--data", slice.toString(), "--queue-model", "risk-averse");
        Run sweep = backtest("--config", CaptureSlices.CONFIG.toString(), "--data", slice.toString(),
                "--sweep", "strategy.parameters.spread.ticks=2,6", "--sweep", "queue-model=risk-averse,power:2",
                "--report", dir.resolve("sweep").toString());
        assertThat(sweep.code()).as(sweep.out() + sweep.err()).isZero();
        assertThat(sweep.out()).contains("sweep: 4 runs on 2 threads, ranked by netPnl");
        List<String> ranked = sweep.out().lines().filter(l -> l.matches("^\\s+[1-4]\\s.*")).toList();
        assertThat(ranked).hasSize(4);
        // the run with the example's own spread and the risk-averse model is the same run as alone: same digest prefix
        String mine = ranked.stream().filter(l -> l.matches("^\\s+\\d\\s+2\\s+risk-averse\\s.*")).findFirst().orElseThrow();
        assertThat(mine).contains(alone.digest().substring(0, 16));
        assertThat(Files.isRegularFile(dir.resolve("sweep/run-1/report.html"))).isTrue();

        Run typo = backtest("--config", CaptureSlices.CONFIG.toString(), "--data", slice.toString(),
                "--sweep", "strategy.parameters.spread.tiks=2");
        assertThat(typo.code()).isEqualTo(Main.EXIT_CONFIG);
        assertThat(typo.err()).contains("MME_STRATEGY_PARAMETERS_SPREAD_TIKS");
    }
}
