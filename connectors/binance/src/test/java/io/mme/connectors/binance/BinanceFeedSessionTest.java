package io.mme.connectors.binance;

import io.mme.core.instrument.InstrumentRegistry;
import io.mme.marketdata.replay.Recording;
import io.mme.marketdata.replay.ReplayWebSocketServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The real feed (WebSocket session, decoder, snapshot fetching) against a local WebSocket server
 * that replays the recorded Binance stream and a local HTTP server that answers depth requests
 * with the recorded snapshots. Loopback only.
 */
class BinanceFeedSessionTest {
    private BinanceRecordingReplay replay;
    private BinanceFeed feed;

    private BinanceRecordingReplayTest.CheckingSink start(int closeFirstConnectionAfter) throws Exception {
        java.nio.file.Path ws = BinanceRecordingReplayTest.DATA.resolve("binance-spot.ws.rec");
        java.nio.file.Path http = BinanceRecordingReplayTest.DATA.resolve("binance-spot.http.rec");
        InstrumentRegistry registry = BinanceRecordingReplayTest.registryFor(BinanceRecordingReplayTest.recording(ws, http));
        BinanceRecordingReplayTest.CheckingSink sink = new BinanceRecordingReplayTest.CheckingSink(registry.size());
        replay = new BinanceRecordingReplay(Recording.read(ws, http), registry,
                new ReplayWebSocketServer.Faults(-1, -1, -1, s -> s, closeFirstConnectionAfter, -1));
        feed = replay.startFeed(sink, Duration.ofMillis(50), Duration.ofMillis(200));
        return sink;
    }

    @AfterEach
    void stop() throws InterruptedException {
        if (replay != null) {
            replay.close();
        }
    }

    @Test
    void theLiveFeedSynchronisesFromTheReplayAndMatchesTheBookTickers() throws Exception {
        BinanceRecordingReplayTest.CheckingSink sink = start(-1);
        await().atMost(Duration.ofSeconds(20)).until(() -> sink.tickerMatches > 10 && feed.snapshotsApplied() >= 1);
        feed.close();
        assertThat(sink.tickerMismatches).isEmpty();
        assertThat(sink.crossed).isZero();
        assertThat(feed.decoder().malformed()).isZero();
        assertThat(feed.session().connects()).isEqualTo(1);
    }

    @Test
    void aConnectionClosedMidStreamIsDetectedAndTheBookResyncsAfterTheReconnect() throws Exception {
        BinanceRecordingReplayTest.CheckingSink sink = start(60);
        await().atMost(Duration.ofSeconds(20)).until(() -> replay.server().connections() >= 2 && sink.tickerMatches > 10);
        feed.close();
        assertThat(feed.session().disconnects()).isGreaterThanOrEqualTo(1);
        assertThat(sink.invalidations).anySatisfy(reason -> assertThat(reason).contains("disconnected"));
        assertThat(feed.snapshotsApplied()).isGreaterThanOrEqualTo(2);
        assertThat(sink.tickerMismatches).isEmpty();
    }
}
