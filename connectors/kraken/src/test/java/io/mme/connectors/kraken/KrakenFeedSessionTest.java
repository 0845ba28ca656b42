package io.mme.connectors.kraken;

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
import java.util.concurrent.atomic.AtomicLongArray;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The real Kraken feed (session, subscriptions, v1 decoder with checksums) against a loopback
 * WebSocket server replaying the recorded v1 book feed, clean and with faults.
 */
class KrakenFeedSessionTest {
    private ReplayWebSocketServer server;
    private KrakenFeed feed;

    /** counts what the feed says; thread-safe because the session's threads call it */
    static final class CountingSink implements FeedSink {
        final AtomicLongArray validEnds = new AtomicLongArray(64);
        final AtomicLong levels = new AtomicLong();
        final List<String> invalidations = new CopyOnWriteArrayList<>();

        @Override
        public void clear(int id, long seq) {
        }

        @Override
        public void level(int id, Side side, long price, long qty, long seq) {
            levels.incrementAndGet();
        }

        @Override
        public void endOfMessage(int id, long seq) {
            validEnds.incrementAndGet(id);
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
        Recording recording = Recording.read(KrakenRecordings.file(KrakenRecordings.V1_BOOK));
        InstrumentRegistry registry = KrakenRecordings.registry(KrakenRecordings.messages());
        server = new ReplayWebSocketServer(recording, ReplayWebSocketServer.Gate.NONE, faults, true);
        String url = server.startAndGetUrl();
        CountingSink sink = new CountingSink();
        feed = new KrakenFeed(new KrakenFeed.Settings(URI.create(url), KrakenFeed.Protocol.V1, 1000,
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
    void theFeedSubscribesAndEveryChecksumOfTheReplayMatches() throws Exception {
        CountingSink sink = start(ReplayWebSocketServer.Faults.NONE);
        assertThat(server.awaitFinished(30, TimeUnit.SECONDS)).isTrue();
        await().atMost(Duration.ofSeconds(30)).until(() -> feed.session().messages() >= server.sent());
        feed.close();
        assertThat(feed.checksumsPassed()).isGreaterThan(2000);
        assertThat(feed.checksumsFailed()).isZero();
        assertThat(feed.malformed()).isZero();
        assertThat(feed.session().connects()).isEqualTo(1);
        // only the connection's start and our own close made books invalid, never a checksum
        assertThat(sink.invalidations).allSatisfy(reason -> assertThat(reason).matches("new connection.*|disconnected: closed \\(1000\\)"));
    }

    @Test
    void aCorruptedPriceFailsTheChecksumAndTheFeedResubscribesAndHeals() throws Exception {
        List<String> received = Recording.read(KrakenRecordings.file(KrakenRecordings.V1_BOOK)).received();
        // corrupt the top-of-book price of an update well into the stream
        int target = -1;
        for (int i = 200; i < received.size(); i++) {
            if (received.get(i).contains("\"c\":\"") && received.get(i).contains("[\"") && !received.get(i).contains("\"as\"")) {
                target = i;
                break;
            }
        }
        assertThat(target).isPositive();
        CountingSink sink = start(new ReplayWebSocketServer.Faults(-1, -1, target,
                text -> text.replaceFirst("\\[\"([0-9]+)\\.", "[\"9$1."), -1, -1));
        await().atMost(Duration.ofSeconds(30)).until(() -> server.connections() >= 2 && feed.checksumResyncs() >= 1);
        assertThat(server.awaitFinished(30, TimeUnit.SECONDS)).isTrue();
        await().atMost(Duration.ofSeconds(30)).until(() -> feed.checksumsPassed() > 2000);
        feed.close();
        assertThat(sink.invalidations).anySatisfy(reason -> assertThat(reason).containsIgnoringCase("checksum"));
        assertThat(feed.session().connects()).isGreaterThanOrEqualTo(2);
    }

    @Test
    void aFeedThatGoesSilentIsReconnectedWhenTheEngineAsksForAResync() throws Exception {
        CountingSink sink = start(new ReplayWebSocketServer.Faults(-1, -1, -1, s -> s, -1, 100));
        assertThat(server.awaitFinished(30, TimeUnit.SECONDS)).isTrue();
        await().atMost(Duration.ofSeconds(10)).until(() -> feed.session().messages() >= 100);
        // the market data engine's stale check asks for a resync; the feed reconnects and the replay starts over
        feed.request(0, "stale feed");
        await().atMost(Duration.ofSeconds(30)).until(() -> server.connections() >= 2 && feed.checksumsPassed() > 2000);
        feed.close();
        assertThat(sink.invalidations).anySatisfy(reason -> assertThat(reason).startsWith("disconnected"));
    }
}
