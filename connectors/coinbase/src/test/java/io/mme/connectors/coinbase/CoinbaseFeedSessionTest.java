package io.mme.connectors.coinbase;

import io.mme.core.instrument.InstrumentRegistry;
import io.mme.core.ring.Side;
import io.mme.marketdata.FeedSink;
import io.mme.marketdata.replay.Recording;
import io.mme.marketdata.replay.ReplayWebSocketServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The real Coinbase feed (session, subscriptions, Advanced Trade decoder with its per-connection
 * sequence check) against a loopback WebSocket server replaying the recorded Advanced Trade feed.
 */
class CoinbaseFeedSessionTest {
    private ReplayWebSocketServer server;
    private CoinbaseFeed feed;

    /** thread-safe counts of what the feed says */
    static final class CountingSink implements FeedSink {
        final AtomicLong snapshotsEnded = new AtomicLong();
        final AtomicLong ends = new AtomicLong();
        final List<String> invalidations = new CopyOnWriteArrayList<>();

        @Override
        public void clear(int id, long seq) {
            snapshotsEnded.incrementAndGet();
        }

        @Override
        public void level(int id, Side side, long price, long qty, long seq) {
        }

        @Override
        public void endOfMessage(int id, long seq) {
            ends.incrementAndGet();
        }

        @Override
        public void invalid(int id, String reason) {
            invalidations.add(reason);
        }

        @Override
        public void bestBidOffer(int id, long bid, long bidQty, long ask, long askQty, long seq) {
        }

        @Override
        public void trade(int id, Side aggressor, long price, long qty, long tradeId, long ts) {
        }
    }

    private CountingSink start(ReplayWebSocketServer.Faults faults) throws Exception {
        Recording recording = Recording.read(CoinbaseRecordings.file("coinbase-advanced-trade.jsonl"));
        InstrumentRegistry registry = CoinbaseRecordings.registry(CoinbaseRecordings.all(CoinbaseRecordings.advancedTradeConnections()));
        server = new ReplayWebSocketServer(recording, ReplayWebSocketServer.Gate.NONE, faults, true);
        String url = server.startAndGetUrl();
        CountingSink sink = new CountingSink();
        feed = new CoinbaseFeed(new CoinbaseFeed.Settings(URI.create(url), CoinbaseFeed.Protocol.ADVANCED_TRADE,
                Duration.ofMillis(50), Duration.ofMillis(200)), registry, sink).start();
        return sink;
    }

    @AfterEach
    void stop() throws InterruptedException {
        if (feed != null) {
            feed.close();
        }
        if (server != null) {
            server.stop(1000);
        }
    }

    @Test
    void theFeedSubscribesAndFollowsTheSequenceWithoutGaps() throws Exception {
        CountingSink sink = start(ReplayWebSocketServer.Faults.NONE);
        assertThat(server.awaitFinished(30, TimeUnit.SECONDS)).isTrue();
        await().atMost(Duration.ofSeconds(30)).until(() -> feed.session().messages() >= server.sent());
        feed.close();
        assertThat(feed.sequenceChecksFailed()).isZero();
        assertThat(feed.malformed()).isZero();
        assertThat(feed.gapResyncs()).isZero();
        assertThat(sink.snapshotsEnded.get()).isPositive();
        assertThat(feed.session().connects()).isEqualTo(1);
    }

    @Test
    void aDroppedMessageIsASequenceGapThatResubscribesAndHeals() throws Exception {
        CountingSink sink = start(new ReplayWebSocketServer.Faults(100, -1, -1, s -> s, -1, -1));
        await().atMost(Duration.ofSeconds(30)).until(() -> feed.gapResyncs() >= 1 && server.connections() >= 2);
        assertThat(server.awaitFinished(30, TimeUnit.SECONDS)).isTrue();
        // the first connection's unread messages died with it; wait for the second to reach the recording's end
        long lastRecorded = Recording.read(CoinbaseRecordings.file("coinbase-advanced-trade.jsonl")).received().stream()
                .map(m -> java.util.regex.Pattern.compile("\"sequence_num\":([0-9]+)").matcher(m))
                .filter(java.util.regex.Matcher::find).mapToLong(m -> Long.parseLong(m.group(1))).max().orElseThrow();
        await().atMost(Duration.ofSeconds(30)).until(() -> feed.lastSequence() == lastRecorded);
        feed.close();
        assertThat(feed.gapResyncs()).isEqualTo(1);
        // the second connection replays from its snapshot on: its sequence has no gap
        assertThat(feed.sequenceChecksFailed()).isEqualTo(1);
        assertThat(sink.invalidations).anySatisfy(reason -> assertThat(reason).containsIgnoringCase("gap"));
    }
}
