package io.mme.connectors.hyperliquid;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mme.core.instrument.Instrument;
import io.mme.core.instrument.InstrumentRegistry;
import io.mme.core.ring.Side;
import io.mme.marketdata.replay.Recording;
import io.mme.marketdata.replay.ReplayWebSocketServer;
import org.java_websocket.WebSocket;
import org.java_websocket.handshake.ClientHandshake;
import org.java_websocket.server.WebSocketServer;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The real feed over loopback: the capture replayed by a local WebSocket server builds the book
 * the capture's last snapshot describes and passes on its live trades; the client subscribes to
 * l2Book and trades for its coin, sends its heartbeat and counts the pongs; a rebuild the market
 * data engine asks for replaces the connection and the book comes back from the next snapshot.
 */
class HyperliquidFeedTest {
    static final String PONG = "{\"channel\":\"pong\"}";
    private static final ObjectMapper JSON = new ObjectMapper();

    private static HyperliquidFeed.Settings local(String url, Duration pingEvery) {
        return new HyperliquidFeed.Settings(URI.create(url), Duration.ofMillis(50), Duration.ofMillis(500), pingEvery);
    }

    @Test
    void theCaptureReplayedOverLoopbackEndsInItsLastSnapshot() throws Exception {
        InstrumentRegistry registry = HyperliquidCapture.registry();
        Instrument btc = registry.get(0);
        RecordingSink sink = new RecordingSink(registry.size());
        ReplayWebSocketServer server = new ReplayWebSocketServer(Recording.read(HyperliquidCapture.file()),
                ReplayWebSocketServer.Gate.NONE, ReplayWebSocketServer.Faults.NONE, true);
        String url = server.startAndGetUrl();
        HyperliquidFeed feed = new HyperliquidFeed(local(url, Duration.ofSeconds(30)), registry, sink).start();
        try {
            await().atMost(Duration.ofSeconds(60)).until(() -> server.completed(1)
                    && feed.session().messagesOnCurrentConnection() >= server.sentOn(1));
            List<String> capture = HyperliquidCapture.messages();
            assertThat(feed.messages()).isEqualTo(capture.size());
            assertThat(feed.malformed()).as(feed.lastError()).isZero();
            assertThat(feed.decoder().snapshots()).isEqualTo(46);
            assertThat(feed.valid(0)).isTrue();
            assertThat(sink.valid[0]).isTrue();

            JsonNode last = null;
            long liveTrades = 0;
            boolean history = true;
            for (String m : capture) {
                JsonNode node = JSON.readTree(m);
                if (node.path("channel").asText().equals("l2Book")) {
                    last = node;
                } else if (history) {
                    history = false;
                } else {
                    liveTrades += node.path("data").size();
                }
            }
            JsonNode levels = last.path("data").path("levels");
            for (int side = 0; side < 2; side++) {
                Side s = side == 0 ? Side.BUY : Side.SELL;
                assertThat(sink.books[0].levels(s)).isEqualTo(levels.get(side).size());
                for (int i = 0; i < levels.get(side).size(); i++) {
                    assertThat(sink.books[0].price(s, i)).isEqualTo(btc.priceTicks(levels.get(side).get(i).path("px").asText()));
                    assertThat(sink.books[0].quantity(s, i)).isEqualTo(btc.quantityLots(levels.get(side).get(i).path("sz").asText()));
                }
            }
            assertThat(sink.tradeCalls).isEqualTo(liveTrades).isPositive();
        } finally {
            feed.close();
            server.stop(1000);
        }
    }

    @Test
    void aRebuildAskedForReplacesTheConnectionAndTheNextSnapshotRestoresTheBook() throws Exception {
        InstrumentRegistry registry = HyperliquidCapture.registry();
        RecordingSink sink = new RecordingSink(registry.size());
        ReplayWebSocketServer server = new ReplayWebSocketServer(Recording.read(HyperliquidCapture.file()),
                ReplayWebSocketServer.Gate.NONE, ReplayWebSocketServer.Faults.NONE, true);
        String url = server.startAndGetUrl();
        HyperliquidFeed feed = new HyperliquidFeed(local(url, Duration.ofSeconds(30)), registry, sink).start();
        try {
            await().atMost(Duration.ofSeconds(60)).until(() -> feed.decoder().snapshots() >= 1);
            feed.request(0, "stale feed");
            await().atMost(Duration.ofSeconds(60)).until(() -> server.connections() >= 2 && feed.session().connects() >= 2
                    && server.completed(2) && feed.session().messagesOnCurrentConnection() >= server.sentOn(2));
            assertThat(feed.resyncRequests()).isEqualTo(1);
            assertThat(feed.valid(0)).isTrue();
            assertThat(sink.valid[0]).isTrue();
            assertThat(sink.invalidations).anyMatch(r -> r.contains("disconnected") || r.contains("new connection"));
            // the second connection started from a whole snapshot, even one older than the first connection's last
            assertThat(feed.decoder().refusedOlder()).isZero();
            assertThat(sink.clears).isGreaterThanOrEqualTo(2);
        } finally {
            feed.close();
            server.stop(1000);
        }
    }

    @Test
    void itSubscribesPerCoinAndChannelAndSendsItsHeartbeat() throws Exception {
        InstrumentRegistry registry = HyperliquidCapture.registry();
        RecordingSink sink = new RecordingSink(registry.size());
        PongServer server = new PongServer();
        String url = server.startAndGetUrl();
        HyperliquidFeed feed = new HyperliquidFeed(local(url, Duration.ofMillis(50)), registry, sink).start();
        try {
            await().atMost(Duration.ofSeconds(30)).until(() -> feed.decoder().pongs() >= 3);
            assertThat(server.received).contains(
                    "{\"method\":\"subscribe\",\"subscription\":{\"type\":\"l2Book\",\"coin\":\"BTC\"}}",
                    "{\"method\":\"subscribe\",\"subscription\":{\"type\":\"trades\",\"coin\":\"BTC\"}}");
            assertThat(server.received.stream().filter(HyperliquidFeed.PING::equals).count()).isGreaterThanOrEqualTo(3);
            assertThat(feed.session().keepAlivesSent()).isGreaterThanOrEqualTo(3);
            assertThat(feed.malformed()).isZero();
        } finally {
            feed.close();
            server.stop(1000);
        }
    }

    /** records what the client sends and answers each ping with a pong, as the venue does */
    private static final class PongServer extends WebSocketServer {
        final List<String> received = new CopyOnWriteArrayList<>();
        private final CountDownLatch started = new CountDownLatch(1);

        PongServer() {
            super(new InetSocketAddress("127.0.0.1", 0));
            setReuseAddr(true);
        }

        String startAndGetUrl() throws InterruptedException {
            start();
            assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
            return "ws://127.0.0.1:" + getPort();
        }

        @Override
        public void onOpen(WebSocket conn, ClientHandshake handshake) {
        }

        @Override
        public void onClose(WebSocket conn, int code, String reason, boolean remote) {
        }

        @Override
        public void onMessage(WebSocket conn, String message) {
            received.add(message);
            if (message.equals(HyperliquidFeed.PING)) {
                conn.send(PONG);
            }
        }

        @Override
        public void onError(WebSocket conn, Exception ex) {
        }

        @Override
        public void onStart() {
            started.countDown();
        }
    }
}
