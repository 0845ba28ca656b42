package io.mme.app.feedcheck;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mme.app.Main;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code mme feed check} on the shared recordings, through the real connectors over loopback. */
class FeedCheckCommandTest {
    private static final Path DATA = Path.of(System.getProperty("mme.shared.dir", "../../shared")).resolve("data/venues");

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cli = Main.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }

    @Test
    void binanceRecordingSynchronisesWithoutGapsAndPrintsOneJsonLine() throws Exception {
        int code = run("feed", "check", "--venue", "binance",
                "--recording", DATA.resolve("binance-spot.ws.rec").toString(),
                "--recording", DATA.resolve("binance-spot.http.rec").toString());
        assertThat(code).as(err.toString()).isZero();
        assertThat(out.toString().strip().lines()).hasSize(1);
        JsonNode json = new ObjectMapper().readTree(out.toString());
        assertThat(json.get("venue").asText()).isEqualTo("binance");
        assertThat(json.get("messages").asLong()).isGreaterThan(200);
        assertThat(json.get("sequence_checks_passed").asLong()).isGreaterThan(100);
        assertThat(json.get("sequence_checks_failed").asLong()).isZero();
        assertThat(json.get("snapshots_applied").asLong()).isEqualTo(2);
        assertThat(json.get("crossed").asLong()).isZero();
        assertThat(json.get("malformed").asLong()).isZero();
        assertThat(json.get("best").size()).isEqualTo(json.get("instruments").asInt());
        json.get("best").forEach(touch -> assertThat(touch.get("bid").asText()).isNotEqualTo("null"));
        assertThat(json.get("complete").asBoolean()).isTrue();
        assertThat(json.get("connections").asInt()).isEqualTo(1);
        assertThat(json.get("resyncs").asLong()).isZero(); // nothing resynced (it used to say 1 here)
        assertEveryBookValidAndNeverInvalid(json);
    }

    /** every instrument listed received data and ended VALID, never having gone INVALID */
    private static void assertEveryBookValidAndNeverInvalid(JsonNode json) {
        assertThat(json.get("books").size()).isEqualTo(json.get("instruments").asInt()).isPositive();
        json.get("books").forEach(book -> {
            assertThat(book.get("state").asText()).isEqualTo("VALID");
            assertThat(book.get("went_invalid").asLong()).isZero();
            assertThat(book.get("resyncs").asLong()).isZero();
        });
    }

    @Test
    void krakenRecordingPassesEveryChecksum() throws Exception {
        int code = run("feed", "check", "--venue", "kraken", "--recording", DATA.resolve("kraken-v1-book1000.ws.rec").toString());
        assertThat(code).as(err.toString()).isZero();
        JsonNode json = new ObjectMapper().readTree(out.toString());
        assertThat(json.get("protocol").asText()).isEqualTo("ws-v1");
        assertThat(json.get("checksums_passed").asLong()).isGreaterThan(2000);
        assertThat(json.get("checksums_failed").asLong()).isZero();
        assertThat(json.get("malformed").asLong()).isZero();
        assertThat(json.get("crossed").asLong()).isZero();
        assertThat(json.get("instruments").asInt()).isPositive();
        assertEveryBookValidAndNeverInvalid(json);
    }

    @Test
    void coinbaseAdvancedTradeRecordingHasNoSequenceGapAndNoCrossedBook() throws Exception {
        int code = run("feed", "check", "--venue", "coinbase", "--recording", DATA.resolve("coinbase-advanced-trade.jsonl").toString());
        assertThat(code).as(err.toString()).isZero();
        JsonNode json = new ObjectMapper().readTree(out.toString());
        assertThat(json.get("protocol").asText()).isEqualTo("advanced-trade");
        assertThat(json.get("sequence_checks_passed").asLong()).isGreaterThan(1000);
        assertThat(json.get("sequence_checks_failed").asLong()).isZero();
        assertThat(json.get("crossed").asLong()).isZero();
        assertThat(json.get("malformed").asLong()).isZero();
        json.get("best").forEach(touch -> assertThat(touch.get("bid").asText()).isNotEqualTo("null"));
        // only the products that got data: the recording's subscribe lists name more than BTC-USD and ETH-USD
        assertThat(json.get("books").fieldNames()).toIterable().containsExactlyInAnyOrder("BTC-USD", "ETH-USD");
        assertEveryBookValidAndNeverInvalid(json);
    }

    @Test
    void coinbaseExchangeRecordingNeverCrosses() throws Exception {
        int code = run("feed", "check", "--venue", "coinbase", "--recording", DATA.resolve("coinbase-exchange-level2.ws.rec").toString());
        assertThat(code).as(err.toString()).isZero();
        JsonNode json = new ObjectMapper().readTree(out.toString());
        assertThat(json.get("protocol").asText()).isEqualTo("exchange");
        assertThat(json.get("crossed").asLong()).isZero();
        assertThat(json.get("malformed").asLong()).isZero();
        assertThat(json.get("instruments").asInt()).isPositive();
    }

    @Test
    void aReplayThatDoesNotEndWithinTheTimeoutExitsOneAndSaysWhichBooksAreInvalid() throws Exception {
        // without the REST recording no depth snapshot can be had: the books never become VALID, and
        // the check waits for their rebuild until the timeout
        int code = run("feed", "check", "--venue", "binance", "--timeout-seconds", "2",
                "--recording", DATA.resolve("binance-spot.ws.rec").toString());
        assertThat(code).isEqualTo(1);
        assertThat(err.toString()).contains("not delivered within 2 s");
        JsonNode json = new ObjectMapper().readTree(out.toString());
        assertThat(json.get("complete").asBoolean()).isFalse();
        assertThat(json.get("books").size()).isPositive();
        json.get("books").forEach(book -> assertThat(book.get("state").asText()).isEqualTo("INVALID"));
    }

    @Test
    void aMissingRecordingOrAnUnknownVenueIsAUsageError() {
        assertThat(run("feed", "check", "--venue", "kraken", "--recording", "/no/such/file.rec")).isEqualTo(2);
        assertThat(err.toString()).contains("/no/such/file.rec");
        assertThat(run("feed", "check", "--venue", "bitmex", "--recording", DATA.resolve("kraken-v1-book1000.ws.rec").toString())).isEqualTo(2);
        assertThat(err.toString()).contains("'bitmex'");
    }

    @Test
    void aRecordingOfAnotherVenueIsRefusedClearly() {
        int code = run("feed", "check", "--venue", "kraken", "--recording", DATA.resolve("binance-spot.ws.rec").toString());
        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).contains("names no kraken symbol");
    }
}
