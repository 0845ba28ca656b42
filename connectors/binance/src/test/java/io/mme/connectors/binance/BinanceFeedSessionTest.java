package io.mme.connectors.binance;

import com.sun.net.httpserver.HttpServer;
import io.mme.core.instrument.InstrumentRegistry;
import org.java_websocket.WebSocket;
import org.java_websocket.handshake.ClientHandshake;
import org.java_websocket.server.WebSocketServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The real feed (WebSocket session, decoder, snapshot fetching) against a local WebSocket server
 * that replays the recorded Binance stream and a local HTTP server that answers depth requests
 * with the recorded snapshots. Loopback only.
 */
class BinanceFeedSessionTest {
    private ReplayServer ws;
    private HttpServer rest;
    private BinanceFeed feed;

    /**
     * Sends the recorded messages to each client in recorded order. Where the recording shows a
     * REST snapshot taken, the stream waits (up to a few seconds) until the client has fetched and
     * applied that snapshot (the book's first valid message end), so the interleaving of stream and
     * snapshot is the recorded one whatever the machine's speed. It can cut the first connection
     * short.
     */
    static final class ReplayServer extends WebSocketServer {
        private final List<BinanceRecordingReplayTest.Input> inputs;
        private final int cutFirstConnectionAfter;
        private final java.util.function.ToLongFunction<String> validEnds;
        final AtomicInteger connections = new AtomicInteger();

        ReplayServer(List<BinanceRecordingReplayTest.Input> inputs, java.util.function.ToLongFunction<String> validEnds,
                     int cutFirstConnectionAfter) {
            super(new InetSocketAddress("127.0.0.1", 0));
            this.inputs = inputs;
            this.validEnds = validEnds;
            this.cutFirstConnectionAfter = cutFirstConnectionAfter;
            setReuseAddr(true);
        }

        @Override
        public void onOpen(WebSocket conn, ClientHandshake handshake) {
            int n = connections.incrementAndGet();
            Thread sender = new Thread(() -> {
                java.util.Map<String, Long> endsAtConnect = new java.util.HashMap<>();
                for (BinanceRecordingReplayTest.Input input : inputs) {
                    if (input.symbol() != null) {
                        endsAtConnect.put(input.symbol(), validEnds.applyAsLong(input.symbol()));
                    }
                }
                int sent = 0;
                for (BinanceRecordingReplayTest.Input input : inputs) {
                    if (!conn.isOpen()) {
                        return;
                    }
                    if (input.symbol() != null) {
                        awaitSynchronised(input.symbol(), endsAtConnect.get(input.symbol()));
                        continue;
                    }
                    if (n == 1 && sent == cutFirstConnectionAfter) {
                        conn.close(1001, "going away (test)");
                        return;
                    }
                    conn.send(input.text());
                    sent++;
                }
            }, "replay-sender");
            sender.setDaemon(true);
            sender.start();
        }

        @Override
        public void onClose(WebSocket conn, int code, String reason, boolean remote) {
        }

        @Override
        public void onMessage(WebSocket conn, String message) {
        }

        @Override
        public void onError(WebSocket conn, Exception ex) {
        }

        @Override
        public void onStart() {
        }

        private void awaitSynchronised(String symbol, long endsBefore) {
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (validEnds.applyAsLong(symbol) == endsBefore && System.nanoTime() < deadline) {
                java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
            }
        }
    }

    private BinanceRecordingReplayTest.CheckingSink start(int cutFirstConnectionAfter) throws Exception {
        List<BinanceRecordingReplayTest.Input> inputs = BinanceRecordingReplayTest.recording(
                BinanceRecordingReplayTest.DATA.resolve("binance-spot.ws.rec"), BinanceRecordingReplayTest.DATA.resolve("binance-spot.http.rec"));
        InstrumentRegistry registry = BinanceRecordingReplayTest.registryFor(inputs);
        Map<String, String> snapshots = new HashMap<>();
        inputs.stream().filter(i -> i.symbol() != null).forEach(i -> snapshots.put(i.symbol(), i.text()));
        BinanceRecordingReplayTest.CheckingSink sink = new BinanceRecordingReplayTest.CheckingSink(registry.size());

        ws = new ReplayServer(inputs, symbol -> sink.validEnds.get(registry.find(io.mme.core.instrument.Venue.BINANCE, symbol).id()),
                cutFirstConnectionAfter);
        ws.start();
        rest = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        rest.createContext("/api/v3/depth", exchange -> {
            String query = exchange.getRequestURI().getQuery();
            String symbol = query.replaceAll(".*symbol=([A-Z0-9]+).*", "$1");
            String body = snapshots.get(symbol);
            byte[] bytes = (body == null ? "{\"code\":-1121,\"msg\":\"Invalid symbol.\"}" : body).getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(body == null ? 400 : 200, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        });
        rest.start();
        await().atMost(Duration.ofSeconds(5)).until(() -> ws.getPort() > 0);

        feed = new BinanceFeed(new BinanceFeed.Settings(URI.create("ws://127.0.0.1:" + ws.getPort()),
                URI.create("http://127.0.0.1:" + rest.getAddress().getPort()), 1000, Duration.ofMillis(50), Duration.ofMillis(200)),
                registry, sink).start();
        return sink;
    }

    @AfterEach
    void stop() throws IOException, InterruptedException {
        if (feed != null) {
            feed.close();
        }
        if (ws != null) {
            ws.stop(1000);
        }
        if (rest != null) {
            rest.stop(0);
        }
    }

    @Test
    void theLiveFeedSynchronisesFromTheReplayAndMatchesTheBookTickers() throws Exception {
        BinanceRecordingReplayTest.CheckingSink sink = start(Integer.MAX_VALUE);
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
        await().atMost(Duration.ofSeconds(20)).until(() -> ws.connections.get() >= 2 && sink.tickerMatches > 10);
        feed.close();
        assertThat(feed.session().disconnects()).isGreaterThanOrEqualTo(1);
        assertThat(sink.invalidations).anySatisfy(reason -> assertThat(reason).contains("disconnected"));
        assertThat(feed.snapshotsApplied()).isGreaterThanOrEqualTo(2);
        assertThat(sink.tickerMismatches).isEmpty();
    }
}
