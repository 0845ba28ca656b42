package io.mme.app.venues;

import io.mme.app.EngineAssemblyAccess;
import io.mme.app.EngineRunner;
import io.mme.app.Main;
import io.mme.app.config.ConfigLoader;
import io.mme.app.config.MmeSettings;
import io.mme.execution.ExecutionCounter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Any {@code mme run} with a live feed is also a recorder: a run on the real Coinbase recording
 * replayed over loopback writes its inbound journal, and {@code mme backtest --data RUN_DIR} trades
 * the configured strategy on that journal's market data (and only that: not the run's own orders'
 * answers, timers or control events) against the simulated exchange, the same digest twice. A
 * journal without market data, and one of an instrument the configuration does not name, are named
 * errors.
 */
class JournalBacktestTest {
    private static final Pattern DIGEST = Pattern.compile("(?m)^digest: ([0-9a-f]{64})$");
    private static final String INSTRUMENT =
            "  - { venue: coinbase, symbol: BTC-USD, base: BTC, quote: USD, tickSize: 0.01, lotSize: 0.00000001, minNotional: 1 }\n";

    @TempDir
    Path dir;

    record Run(int code, String out, String err) {
        String digest() {
            Matcher m = DIGEST.matcher(out);
            assertThat(m.find()).as("a digest line in:%n%s%n%s", out, err).isTrue();
            return m.group(1);
        }
    }

    private static Run backtest(Path config, Path data) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = Main.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int code = cli.execute("backtest", "--no-progress", "--config", config.toString(), "--data", data.toString(),
                "--queue-model", "risk-averse", "--latency", "constant:1");
        return new Run(code, out.toString(), err.toString());
    }

    /** a live-paper run on the paced recording, stopped once the recording has gone through; returns its run directory */
    private Path record() throws Exception {
        PacedCoinbaseFeed feed = new PacedCoinbaseFeed(Path.of(System.getProperty("mme.shared.dir", "../../shared"), "data", "venues",
                "coinbase-advanced-trade.jsonl"), 3);
        Path config = dir.resolve("recorder.yaml");
        Files.writeString(config, """
                engine: { timerPeriodMillis: 50, snapshotMillis: 0 }
                marketData: { staleAfterMillis: 60000 }
                instruments:
                %svenues:
                  coinbase: { mode: paper, feed: true, feedUrl: "%s" }
                paper: { publishLevels: false, publishOrders: false }
                strategy:
                  type: inventory-skew
                  pair: BTC/USD
                  maxLevels: 1
                  minQuoteLifeMillis: 100
                  parameters: { spread.ticks: 200, size.nanos: 1000000, levels: 1 }
                """.formatted(INSTRUMENT, feed.url()));
        MmeSettings settings = new ConfigLoader().load(config, Map.of());
        Path run = dir.resolve("run");
        EngineAssemblyAccess engine = EngineAssemblyAccess.startLive(settings, run);
        // as `mme run` leaves it: the effective configuration beside the journal
        new ConfigLoader().writeEffective(settings, run.resolve(EngineRunner.JOURNAL_CONFIG));
        try {
            await().atMost(Duration.ofSeconds(60)).until(feed::replayed);
            await().atMost(Duration.ofSeconds(20)).until(() -> engine.executionTotal(ExecutionCounter.ACKS) >= 2);
        } finally {
            engine.stop();
            feed.stop(1000);
        }
        return run;
    }

    @Test
    void aRunWithALiveFeedIsARecorderThatABacktestReadsTheSameTwice() throws Exception {
        Path run = record();
        // the backtest quotes tighter than the recorder did, on the recorded market
        Path config = dir.resolve("backtest.yaml");
        Files.writeString(config, """
                engine: { timerPeriodMillis: 100 }
                marketData: { staleAfterMillis: 60000 }
                instruments:
                %svenues:
                  coinbase: { mode: paper }
                strategy:
                  type: inventory-skew
                  pair: BTC/USD
                  maxLevels: 1
                  minQuoteLifeMillis: 100
                  parameters: { spread.ticks: 4, size.nanos: 1000000, levels: 1 }
                """.formatted(INSTRUMENT));
        Run first = backtest(config, run);
        Run second = backtest(config, run.resolve("queue"));
        assertThat(first.code()).as(first.out() + first.err()).isZero();
        assertThat(second.code()).as(second.out() + second.err()).isZero();
        assertThat(first.digest()).isEqualTo(second.digest());
        // the recording's market data, not the run's own answers and timers
        assertThat(first.out()).containsPattern("note: recording .*queue \\(\\d+ market data events, \\d+ others skipped\\)")
                .doesNotContain("never synchronised");
        Matcher orders = Pattern.compile("execution engine: ([\\d,]+) orders sent").matcher(first.out());
        assertThat(orders.find()).isTrue();
        assertThat(Long.parseLong(orders.group(1).replace(",", ""))).isPositive();
        assertThat(first.out()).containsPattern("(?m)^inventory-skew +coinbase +BTC-USD ");
    }

    @Test
    void aJournalWithoutMarketDataOrOfAnotherInstrumentIsANamedError() throws Exception {
        Path run = record();
        Path binance = dir.resolve("binance.yaml");
        Files.writeString(binance, """
                instruments:
                  - { venue: binance, symbol: BTCUSDT, base: BTC, quote: USDT, tickSize: 0.01, lotSize: 0.00000001, minNotional: 5 }
                venues:
                  binance: { mode: paper }
                strategy: { type: inventory-skew, pair: BTC/USDT, parameters: { spread.ticks: 4, size.nanos: 1000000 } }
                """);
        Run other = backtest(binance, run);
        assertThat(other.code()).isEqualTo(Main.EXIT_CONFIG);
        assertThat(other.err()).containsPattern("queue event \\d+: market data of coinbase BTC-USD, which is not an instrument of the"
                + " configuration \\(it names binance BTCUSDT\\)");

        // a run without a feed: its journal has the timers only
        Path quietConfig = dir.resolve("quiet.yaml");
        Files.writeString(quietConfig, """
                engine: { timerPeriodMillis: 50, snapshotMillis: 0 }
                instruments:
                %svenues:
                  coinbase: { mode: paper }
                paper: { publishLevels: false, publishOrders: false }
                """.formatted(INSTRUMENT));
        Path quiet = dir.resolve("quiet");
        MmeSettings quietSettings = new ConfigLoader().load(quietConfig, Map.of());
        EngineAssemblyAccess engine = EngineAssemblyAccess.startLive(quietSettings, quiet);
        new ConfigLoader().writeEffective(quietSettings, quiet.resolve(EngineRunner.JOURNAL_CONFIG));
        try {
            await().atMost(Duration.ofSeconds(20)).until(() -> Files.list(quiet.resolve("queue")).anyMatch(f -> f.toString().endsWith(".cq4")));
        } finally {
            engine.stop();
        }
        Run empty = backtest(quietConfig, quiet);
        assertThat(empty.code()).isEqualTo(Main.EXIT_CONFIG);
        assertThat(empty.err()).containsPattern("queue: the journal holds no market data \\(\\d+ events of other kinds");
    }
}
