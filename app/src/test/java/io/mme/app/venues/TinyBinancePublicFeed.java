package io.mme.app.venues;

import com.sun.net.httpserver.HttpServer;
import org.java_websocket.WebSocket;
import org.java_websocket.handshake.ClientHandshake;
import org.java_websocket.server.WebSocketServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A loopback Binance public market: one symbol whose book stands still at a given bid and ask,
 * refreshed by a diff-depth event every 100 ms (update ids counting up by one) and a REST depth
 * snapshot that always names the last id sent, so the real feed synchronises as on the venue.
 * Test threads only.
 */
final class TinyBinancePublicFeed implements AutoCloseable {
    private final String symbol;
    private final String bid;
    private final String ask;
    private final AtomicLong lastId = new AtomicLong(1_000);
    private final HttpServer rest;
    private final WebSocketServer ws;
    private final ScheduledExecutorService ticks = Executors.newSingleThreadScheduledExecutor();

    TinyBinancePublicFeed(String symbol, String bid, String ask) throws IOException, InterruptedException {
        this.symbol = symbol;
        this.bid = bid;
        this.ask = ask;
        rest = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        rest.createContext("/api/v3/depth", exchange -> {
            byte[] body = ("{\"lastUpdateId\":" + lastId.get() + ",\"bids\":[[\"" + bid + "\",\"1000\"]],\"asks\":[[\"" + ask
                    + "\",\"1000\"]]}").getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        rest.start();
        ws = new WebSocketServer(new InetSocketAddress("127.0.0.1", 0)) {
            @Override
            public void onOpen(WebSocket conn, ClientHandshake handshake) {
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
        };
        ws.setReuseAddr(true);
        ws.start();
        for (int i = 0; i < 500 && ws.getPort() == 0; i++) {
            Thread.sleep(10);
        }
        ticks.scheduleAtFixedRate(this::tick, 100, 100, TimeUnit.MILLISECONDS);
    }

    private void tick() {
        long id = lastId.incrementAndGet();
        String s = symbol.toLowerCase(java.util.Locale.ROOT);
        String frame = "{\"stream\":\"" + s + "@depth@100ms\",\"data\":{\"e\":\"depthUpdate\",\"E\":" + System.currentTimeMillis()
                + ",\"s\":\"" + symbol + "\",\"U\":" + id + ",\"u\":" + id + ",\"b\":[[\"" + bid + "\",\"1000\"]],\"a\":[[\"" + ask
                + "\",\"1000\"]]}}";
        for (WebSocket c : ws.getConnections()) {
            if (c.isOpen()) {
                c.send(frame);
            }
        }
    }

    String webSocketBase() {
        return "ws://127.0.0.1:" + ws.getPort();
    }

    String restBase() {
        return "http://127.0.0.1:" + rest.getAddress().getPort();
    }

    @Override
    public void close() {
        ticks.shutdownNow();
        rest.stop(0);
        try {
            ws.stop(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
