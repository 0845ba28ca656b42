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
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * {@code mme backtest} of a desk, the shipped {@code examples/backtest-desk.yaml}: two strategies
 * (btc-skew on BTCUSDT, eth-skew on ETHUSDT) on slices of both shared captures. The table, the JSON
 * and the HTML page give each strategy's and the venue's figures beside the total, and the figures
 * per strategy add up to the total.
 */
class BacktestDeskTest {
    private static final Path DESK = Path.of("../examples/backtest-desk.yaml");
    private static final Pattern DIGEST = Pattern.compile("(?m)^digest: ([0-9a-f]{64})$");

    @TempDir
    Path dir;

    private String[] backtest(Path btc, Path eth, String report) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = Main.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int code = report == null
                ? cli.execute("backtest", "--no-progress", "--config", DESK.toString(), "--data", btc.toString(), "--data", eth.toString())
                : cli.execute("backtest", "--no-progress", "--config", DESK.toString(), "--data", btc.toString(), "--data", eth.toString(),
                "--report", report);
        assertThat(code).as(out + "\n" + err).isZero();
        return new String[]{out.toString(), err.toString()};
    }

    private static String digest(String out) {
        Matcher m = DIGEST.matcher(out);
        assertThat(m.find()).as("a digest line in:%n%s", out).isTrue();
        return m.group(1);
    }

    @Test
    void twoStrategiesOnTwoPairsGetTheirOwnFiguresThatAddUpToTheTotal() throws Exception {
        Path btc = CaptureSlices.slice("btcusdt_20240808.gz", 8_000, dir);
        Path eth = CaptureSlices.slice("ethusdt_20240808.gz", 8_000, dir);
        String out = backtest(btc, eth, dir.resolve("r").toString())[0];
        assertThat(digest(backtest(btc, eth, null)[0])).isEqualTo(digest(out));

        // the table: a line per instrument with its strategy, a line per strategy, the total
        assertThat(out).containsPattern("(?m)^btc-skew +binance +BTCUSDT ")
                .containsPattern("(?m)^eth-skew +binance +ETHUSDT ")
                .containsPattern("(?m)^btc-skew +all +all ")
                .containsPattern("(?m)^eth-skew +all +all ")
                .containsPattern("(?m)^all +all +all ");

        JsonNode report = new ObjectMapper().readTree(dir.resolve("r/report.json").toFile());
        JsonNode perStrategy = report.get("perStrategy");
        assertThat(perStrategy).hasSize(2);
        JsonNode btcSkew = perStrategy.get(0);
        JsonNode ethSkew = perStrategy.get(1);
        assertThat(btcSkew.get("strategy").asText()).isEqualTo("btc-skew");
        assertThat(btcSkew.get("instruments").get(0).asText()).isEqualTo("binance BTCUSDT");
        assertThat(ethSkew.get("strategy").asText()).isEqualTo("eth-skew");
        assertThat(btcSkew.get("fills").asLong()).isPositive();
        assertThat(ethSkew.get("fills").asLong()).isPositive();
        JsonNode total = report.get("total");
        assertThat(btcSkew.get("fills").asLong() + ethSkew.get("fills").asLong()).isEqualTo(total.get("fills").asLong());
        assertThat(btcSkew.get("netPnl").asDouble() + ethSkew.get("netPnl").asDouble())
                .isCloseTo(total.get("netPnl").asDouble(), within(1e-9));
        for (String figure : new String[]{"volumeQuote", "fillRatio", "maxDrawdown", "pnlPerHour", "sharpeAnnualised", "spreadCaptureBps",
                "orderToTradeRatio", "shareOfTimeQuotingBothSides"}) {
            assertThat(btcSkew.has(figure) && ethSkew.has(figure) && total.has(figure)).as(figure).isTrue();
        }
        assertThat(btcSkew.get("markoutsBps").get("5s").get("n").asLong()).isPositive();
        // one venue: its figures are the total's
        JsonNode binance = report.get("perVenue").get(0);
        assertThat(binance.get("venue").asText()).isEqualTo("binance");
        assertThat(binance.get("netPnl").asDouble()).isCloseTo(total.get("netPnl").asDouble(), within(1e-9));
        // each instrument says which strategy quotes it
        assertThat(report.get("instruments").get(1).get("strategy").asText()).isEqualTo("eth-skew");

        String html = Files.readString(dir.resolve("r/report.html"));
        assertThat(html).contains("\"perStrategy\"", "btc-skew: binance BTCUSDT", "eth-skew: binance ETHUSDT");
    }
}
