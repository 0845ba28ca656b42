package io.mme.connectors.kraken;

import io.mme.core.instrument.InstrumentRegistry;
import io.mme.core.ring.BookState;
import io.mme.core.ring.BookView;
import io.mme.core.ring.InboundEvent;
import io.mme.core.runtime.Engine;
import io.mme.core.runtime.EpochClock;
import io.mme.core.runtime.Pipeline;
import io.mme.core.runtime.PipelineConfig;
import io.mme.core.runtime.TimerSource;
import io.mme.marketdata.MarketDataEngine;
import io.mme.marketdata.RingFeedSink;
import io.mme.marketdata.replay.Recording;
import io.mme.marketdata.replay.ReplayWebSocketServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The defect of issue 15 end to end on Kraken WS v2 (feed, inbound ring, market data engine, a
 * probe at the strategy stage): a malformed update or a failed checksum makes the book INVALID
 * and, with the engine's stale limit far away so that only the feed can heal it, the feed
 * resubscribes that pair and the strategy sees the book VALID again. And the stale cause: a
 * connection that goes silent makes the engine ask, the feed resubscribes the pair, the book is
 * VALID again. In every case on the same connection: the feed sends an unsubscribe for the pair,
 * the server answers it as Kraken does, the feed subscribes the pair again and the server answers
 * with the subscribe acknowledgement and a new snapshot. The stream is VENUES.md §3.2's snapshot
 * and update, then a heartbeat; the faults are on it.
 */
class KrakenEngineRebuildTest {
    enum Cause {
        MALFORMED, CHECKSUM, STALE
    }

    /** what Kraken answers a pair's unsubscribe and (book) subscribe with; nothing for anything else */
    static List<String> venueAnswers(String clientMessage) {
        if (clientMessage.contains("\"method\":\"unsubscribe\"") && clientMessage.contains("\"BTC/USD\"")) {
            return List.of("{\"method\":\"unsubscribe\",\"result\":{\"channel\":\"book\",\"depth\":10,\"symbol\":\"BTC/USD\"},\"success\":true}");
        }
        if (clientMessage.contains("\"method\":\"subscribe\"") && clientMessage.contains("\"channel\":\"book\"")
                && clientMessage.contains("[\"BTC/USD\"]")) {
            return List.of("{\"method\":\"subscribe\",\"result\":{\"channel\":\"book\",\"depth\":10,\"snapshot\":true,\"symbol\":\"BTC/USD\"},"
                    + "\"success\":true}", KrakenV2Examples.VENUES_SNAPSHOT.replace("\n", ""));
        }
        return List.of();
    }

    @TempDir
    Path dir;
    private ReplayWebSocketServer server;
    private KrakenFeed feed;
    private Pipeline pipeline;
    private TimerSource timer;

    /** the book states a strategy sees for one instrument */
    static final class StateProbe implements Engine<InboundEvent> {
        private final int instrumentId;
        final List<BookState> states = new CopyOnWriteArrayList<>();

        StateProbe(int instrumentId) {
            this.instrumentId = instrumentId;
        }

        @Override
        public void onEvent(InboundEvent event, long sequence, boolean endOfBatch) {
            BookView view = event.book();
            for (int i = 0; i < view.changes(); i++) {
                if (view.changedInstrument(i) == instrumentId) {
                    states.add(view.changedState(i));
                }
            }
        }
    }

    @AfterEach
    void stop() throws InterruptedException {
        if (timer != null) {
            timer.close();
        }
        if (feed != null) {
            feed.close();
        }
        if (server != null) {
            server.stop(1000);
        }
        if (pipeline != null) {
            pipeline.shutdown();
        }
    }

    @ParameterizedTest
    @EnumSource(Cause.class)
    void theBookIsInvalidThenValidAgainWithoutAnythingElseReconnecting(Cause cause) throws Exception {
        Path file = dir.resolve("kraken-v2.rec");
        Files.write(file, List.of("1.0: " + KrakenV2Examples.VENUES_SNAPSHOT.replace("\n", ""),
                "1.1: " + KrakenV2Examples.VENUES_UPDATE.replace("\n", ""),
                "1.2: {\"channel\":\"heartbeat\"}"));
        Recording recording = Recording.read(file);
        ReplayWebSocketServer.Faults faults = switch (cause) {
            case MALFORMED -> new ReplayWebSocketServer.Faults(-1, -1, 1, s -> s.replace("\"qty\":0.00000000", "\"qty\":-1.00000000"), -1, -1);
            case CHECKSUM -> new ReplayWebSocketServer.Faults(-1, -1, 1, s -> s.replace("\"checksum\":4260588760", "\"checksum\":4260588761"), -1, -1);
            case STALE -> new ReplayWebSocketServer.Faults(-1, -1, -1, s -> s, -1, 1);
        };
        InstrumentRegistry registry = KrakenV2Examples.registry(8);
        int btc = KrakenV2Examples.BTC;

        KrakenFeed[] feedRef = new KrakenFeed[1];
        List<String> asked = new CopyOnWriteArrayList<>();
        // MALFORMED, CHECKSUM: the engine's stale limit (and so its re-ask) is far beyond the test: only the feed can heal the book
        long staleAfter = cause != Cause.STALE ? Duration.ofMinutes(10).toNanos() : Duration.ofMillis(500).toNanos();
        MarketDataEngine marketData = new MarketDataEngine(registry, 2_000, staleAfter, (id, reason) -> {
            asked.add(reason);
            feedRef[0].request(id, reason);
        });
        StateProbe probe = new StateProbe(btc);
        pipeline = Pipeline.builder(new PipelineConfig(1 << 12, 1024, Map.of(), Duration.ofSeconds(10)))
                .stage(Pipeline.MARKETDATA, marketData).stage(Pipeline.STRATEGY, probe).build().start();
        timer = new TimerSource(pipeline.inbound(), Duration.ofMillis(50)).start();
        server = new ReplayWebSocketServer(recording, ReplayWebSocketServer.Gate.NONE, faults, true)
                .answering(KrakenEngineRebuildTest::venueAnswers);
        String url = server.startAndGetUrl();
        feed = new KrakenFeed(new KrakenFeed.Settings(URI.create(url), KrakenFeed.Protocol.V2, 10,
                Duration.ofMillis(50), Duration.ofMillis(200)), registry, new RingFeedSink(pipeline.inbound(), registry, EpochClock.system()));
        feedRef[0] = feed;
        feed.start();

        // VALID, then INVALID, then VALID again from the resubscription's snapshot (the unsubscribe and the subscribe answered)
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            List<BookState> s = probe.states;
            int firstValid = s.indexOf(BookState.VALID);
            int invalidAfter = firstValid < 0 ? -1 : s.subList(firstValid, s.size()).indexOf(BookState.INVALID);
            return invalidAfter >= 0 && s.getLast() == BookState.VALID && server.answered() >= 2;
        });
        assertThat(marketData.invalidations(btc)).isPositive();
        assertThat(feed.pairResubscribes()).isPositive();
        // one connection: the pair was resubscribed on it, nothing reconnected
        assertThat(server.connections()).isEqualTo(1);
        assertThat(feed.session().connects()).isEqualTo(1);
        assertThat(feed.resyncReconnects()).isZero();
        switch (cause) {
            case MALFORMED -> {
                assertThat(asked).isEmpty(); // the engine never asked: the feed healed it on its own
                assertThat(feed.malformedResyncs()).isEqualTo(1);
            }
            case CHECKSUM -> {
                assertThat(asked).isEmpty();
                assertThat(feed.checksumResyncs()).isEqualTo(1);
            }
            case STALE -> assertThat(asked).anySatisfy(r -> assertThat(r).startsWith("stale feed"));
        }
    }
}
