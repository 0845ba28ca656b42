package io.mme.app.feedcheck;

import com.fasterxml.jackson.databind.JsonNode;
import io.mme.core.instrument.Venue;
import io.mme.marketdata.replay.Recording;
import io.mme.marketdata.replay.ReplayWebSocketServer;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code mme feed check} under faults, on the shared recordings through the real connectors: the
 * replay ends when the connection live at the end has received the recording (what the server
 * sent into the abandoned one is not waited for), the report says which book went INVALID and was
 * rebuilt, and the fault matrix finds every fault the protocol can see.
 */
class FeedCheckFaultTest {
    private static final Path DATA = Path.of(System.getProperty("mme.shared.dir", "../../shared")).resolve("data/venues");

    @Test
    void aChecksumFailureEndsWithTheBookRebuiltOnTheNewConnectionAndTheReportSaysSo() throws Exception {
        Recording recording = Recording.read(DATA.resolve("kraken-v1-book1000.ws.rec"));
        List<String> received = recording.received();
        UnaryOperator<String> spoil = s -> FaultMatrix.bump(s, java.util.regex.Pattern.compile("\\[\\[\"([0-9.]+)\",\"([0-9.]+)\""), 2);
        // the first book update a third of the way in whose first level's size, changed, fails the
        // checksum (which covers the top ten levels only), found offline with a bare decoder
        io.mme.core.instrument.InstrumentRegistry registry = FeedCheck.registry(Venue.KRAKEN, recording, FeedCheck.KRAKEN_V1_PAIR);
        int target = -1;
        for (int i = received.size() / 3; i < received.size() && target < 0; i++) {
            String m = received.get(i);
            if (m.contains("\"book-") && !m.contains("\"as\"") && m.contains("[[\"")) {
                io.mme.connectors.kraken.KrakenV1BookDecoder decoder = new io.mme.connectors.kraken.KrakenV1BookDecoder(registry,
                        new FeedCheck.CheckingSink(registry.size()));
                for (int j = 0; j < i; j++) {
                    decoder.onMessage(received.get(j));
                }
                decoder.onMessage(spoil.apply(m));
                if (decoder.checksumsFailed() == 1) {
                    target = i;
                }
            }
        }
        assertThat(target).isPositive();
        String symbol = pairOf(received.get(target));
        FeedCheck.Report report = FeedCheck.run(Venue.KRAKEN, recording, new FeedCheck.Options(Duration.ofSeconds(60),
                FeedCheck.DEFAULT_STALE_AFTER, new ReplayWebSocketServer.Faults(-1, -1, target, spoil, -1, -1)));
        JsonNode json = report.json();
        assertThat(json.get("complete").asBoolean()).as(json.toString()).isTrue();
        assertThat(json.get("checksums_failed").asLong()).isPositive();
        assertThat(json.get("connections").asInt()).isEqualTo(2);
        // at most one replay on the first connection (cut short, or whole when the server sent it all before the
        // client acted on the fault: a loaded machine) and one whole on the second: no runaway replays
        assertThat(json.get("messages").asLong()).isLessThanOrEqualTo(2L * received.size());
        JsonNode book = json.get("books").get(symbol);
        assertThat(book.get("state").asText()).isEqualTo("VALID");
        assertThat(book.get("went_invalid").asLong()).isEqualTo(1);
        assertThat(book.get("resyncs").asLong()).isEqualTo(1);
        json.get("books").forEach(b -> assertThat(b.get("state").asText()).isEqualTo("VALID"));
        // and the books equal the fault-free run's
        FeedCheck.Report clean = FeedCheck.run(Venue.KRAKEN, recording, Duration.ofSeconds(60));
        assertThat(report.books()).isEqualTo(clean.books());
    }

    @Test
    void theKrakenFaultMatrixDetectsEveryFaultAndEveryBookRecovers() throws Exception {
        FaultMatrix.Result result = FaultMatrix.run(Venue.KRAKEN, Recording.read(DATA.resolve("kraken-v1-book1000.ws.rec")),
                new FeedCheck.Options(Duration.ofSeconds(60), Duration.ofMillis(1500), ReplayWebSocketServer.Faults.NONE));
        assertThat(result.failed()).as(result.table()).isFalse();
        assertThat(result.rows()).hasSize(FaultMatrix.Fault.values().length);
        assertThat(result.rows()).allSatisfy(row -> {
            assertThat(row.detectable()).isTrue(); // the checksum sees every message fault
            assertThat(row.detectedBy()).isNotNull();
            assertThat(row.recovered()).isTrue();
        });
        assertThat(result.rows().get(FaultMatrix.Fault.SILENCE.ordinal()).detectedBy()).isEqualTo("stale");
        assertThat(result.rows().get(FaultMatrix.Fault.SIZE.ordinal()).detectedBy()).isEqualTo("checksum");
    }

    @Test
    void onCoinbaseExchangeLevel2AChangedSizeIsListedAsUndetectableNotAsAFailure() throws Exception {
        FaultMatrix.Result result = FaultMatrix.run(Venue.COINBASE, Recording.read(DATA.resolve("coinbase-exchange-level2.ws.rec")),
                new FeedCheck.Options(Duration.ofSeconds(60), Duration.ofMillis(1500), ReplayWebSocketServer.Faults.NONE));
        FaultMatrix.Row size = result.rows().get(FaultMatrix.Fault.SIZE.ordinal());
        assertThat(size.detectable()).isFalse();
        assertThat(size.failed()).isFalse();
        assertThat(result.table()).contains("undetectable");
        assertThat(result.failed()).as(result.table()).isFalse();
    }

    private static String pairOf(String v1BookMessage) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"book-[0-9]+\",\"([^\"]+)\"\\]$").matcher(v1BookMessage);
        assertThat(m.find()).isTrue();
        return m.group(1);
    }
}
