package io.mme.connectors.kraken;

import io.mme.marketdata.replay.Recording;
import io.mme.marketdata.replay.ReplayWebSocketServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Kraken WS v2 through the real feed: a book update the decoder must refuse (a negative qty, a
 * price off the tick grid) loses the book, no later checksum can notice (its updates are dropped),
 * so the feed itself resubscribes and the new connection's snapshot makes the book valid again.
 * The stream is the two checksummed messages of VENUES.md §3.2, the update spoilt on the first
 * connection only.
 */
class KrakenV2FeedMalformedTest {
    @TempDir
    Path dir;
    private ReplayWebSocketServer server;
    private KrakenFeed feed;

    @AfterEach
    void stop() throws InterruptedException {
        if (feed != null) {
            feed.close();
        }
        if (server != null) {
            server.stop(1000);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"qty\":-1.00000000", "\"price\":67012.45"})
    void aMalformedUpdateMakesTheFeedResubscribeAndTheBookHeals(String spoilt) throws Exception {
        String snapshot = KrakenV2Examples.VENUES_SNAPSHOT.replace("\n", "");
        String update = KrakenV2Examples.VENUES_UPDATE.replace("\n", "");
        Path file = dir.resolve("kraken-v2.rec");
        Files.write(file, List.of("1.0: " + snapshot, "1.1: " + update));
        Recording recording = Recording.read(file);
        String field = spoilt.startsWith("\"qty\"") ? "\"qty\":0.00000000" : "\"price\":67012.4";
        assertThat(update).contains(field);
        server = new ReplayWebSocketServer(recording, ReplayWebSocketServer.Gate.NONE,
                new ReplayWebSocketServer.Faults(-1, -1, 1, s -> s.replace(field, spoilt), -1, -1), true);
        String url = server.startAndGetUrl();
        KrakenFeedSessionTest.CountingSink sink = new KrakenFeedSessionTest.CountingSink();
        feed = new KrakenFeed(new KrakenFeed.Settings(URI.create(url), KrakenFeed.Protocol.V2, 10,
                Duration.ofMillis(50), Duration.ofMillis(200)), KrakenV2Examples.registry(8), sink).start();

        await().atMost(Duration.ofSeconds(30)).until(() -> server.connections() >= 2
                && feed.valid(KrakenV2Examples.BTC) && feed.checksumsPassed() >= 3);
        feed.close();
        assertThat(feed.malformed()).isEqualTo(1);
        assertThat(feed.booksLostToMalformed()).isEqualTo(1);
        assertThat(feed.malformedResyncs()).isEqualTo(1);
        assertThat(feed.checksumsFailed()).isZero();
        assertThat(sink.invalidations).anySatisfy(r -> assertThat(r).startsWith("malformed book message"));
    }
}
