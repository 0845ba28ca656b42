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
import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code mme backtest} on Tardis.dev CSV files (incremental_book_L2 and trades, their documented
 * columns), written here for a market whose touch walks up and down and trades at both sides: the
 * book synchronises from the snapshot rows, the strategy quotes and fills, the run repeats, and a
 * symbol the configuration does not name is a named error.
 */
class TardisCsvBacktestTest {
    private static final long START_MICROS = 1_723_161_253_000_000L;

    @TempDir
    Path dir;

    private String[] run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = Main.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int code = cli.execute(args);
        return new String[]{String.valueOf(code), out.toString(), err.toString()};
    }

    /** 60 s: a 5-level snapshot, then every 100 ms the touch moves by a tick and a trade hits the side it left */
    private void writeMarket(String symbol) throws Exception {
        StringBuilder book = new StringBuilder("exchange,symbol,timestamp,local_timestamp,is_snapshot,side,price,amount\n");
        StringBuilder trades = new StringBuilder("exchange,symbol,timestamp,local_timestamp,id,side,price,amount\n");
        long bid = 6_000_000; // ticks of 0.01: 60,000.00
        for (int l = 0; l < 5; l++) {
            book.append(row(symbol, START_MICROS, true, "bid", bid - l, "1.5"));
            book.append(row(symbol, START_MICROS, true, "ask", bid + 1 + l, "1.5"));
        }
        for (int step = 1; step <= 600; step++) {
            long t = START_MICROS + step * 100_000L;
            boolean up = (step / 20) % 2 == 0;
            long newBid = up ? bid + 1 : bid - 1;
            if (up) {
                trades.append(String.format(Locale.ROOT, "binance,%s,%d,%d,%d,buy,%s,0.4%n", symbol, t - 2_000, t, step, price(bid + 1)));
                book.append(row(symbol, t, false, "ask", bid + 1, "0"));
                book.append(row(symbol, t, false, "bid", newBid, "1.2"));
                book.append(row(symbol, t, false, "ask", newBid + 5, "1.5"));
            } else {
                trades.append(String.format(Locale.ROOT, "binance,%s,%d,%d,%d,sell,%s,0.4%n", symbol, t - 2_000, t, step, price(bid)));
                book.append(row(symbol, t, false, "bid", bid, "0"));
                book.append(row(symbol, t, false, "ask", newBid + 1, "1.2"));
                book.append(row(symbol, t, false, "bid", newBid - 4, "1.5"));
            }
            bid = newBid;
        }
        Files.writeString(dir.resolve("binance_incremental_book_L2_" + symbol + ".csv"), book);
        Files.writeString(dir.resolve("binance_trades_" + symbol + ".csv"), trades);
    }

    private static String row(String symbol, long micros, boolean snapshot, String side, long ticks, String amount) {
        return String.format(Locale.ROOT, "binance,%s,%d,%d,%s,%s,%s,%s%n", symbol, micros - 2_000, micros, snapshot, side, price(ticks), amount);
    }

    private static String price(long ticks) {
        return String.format(Locale.ROOT, "%d.%02d", ticks / 100, ticks % 100);
    }

    @Test
    void tardisBookAndTradesFilesDriveTheChainAndTheSimulatedExchange() throws Exception {
        writeMarket("BTCUSDT");
        Path book = dir.resolve("binance_incremental_book_L2_BTCUSDT.csv");
        Path trades = dir.resolve("binance_trades_BTCUSDT.csv");
        String[] first = run("backtest", "--no-progress", "--config", CaptureSlices.CONFIG.toString(), "--data", book.toString(),
                trades.toString(), "--report", dir.resolve("r").toString());
        String[] second = run("backtest", "--no-progress", "--config", CaptureSlices.CONFIG.toString(), "--data", book.toString(),
                trades.toString());
        assertThat(first[0]).as(first[1] + first[2]).isEqualTo("0");
        assertThat(first[1]).doesNotContain("never synchronised");
        String digest = first[1].lines().filter(l -> l.startsWith("digest: ")).findFirst().orElseThrow();
        assertThat(second[1]).contains(digest);
        JsonNode btc = new ObjectMapper().readTree(dir.resolve("r/report.json").toFile()).get("instruments").get(0);
        assertThat(btc.get("ordersSent").asLong()).isPositive();
        assertThat(btc.get("fills").asLong()).isPositive();
    }

    @Test
    void aTardisSymbolTheConfigurationDoesNotNameIsANamedError() throws Exception {
        writeMarket("ETHUSDT");
        String[] run = run("backtest", "--no-progress", "--config", CaptureSlices.CONFIG.toString(), "--data",
                dir.resolve("binance_trades_ETHUSDT.csv").toString());
        assertThat(run[0]).isEqualTo(String.valueOf(Main.EXIT_CONFIG));
        assertThat(run[2]).contains("binance_trades_ETHUSDT.csv line 2: symbol ETHUSDT of venue binance is not an instrument of the configuration");
    }
}
