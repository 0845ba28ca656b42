package io.mme.app.venues;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.java_websocket.WebSocket;
import org.java_websocket.handshake.ClientHandshake;
import org.java_websocket.server.WebSocketServer;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A loopback stand-in for Coinbase's public Advanced Trade feed: after the client's first
 * subscribe it replays the real recording in ../shared/data at a steady pace (as a live feed
 * arrives, not all at once), then sends what the test injects, each message numbered on from the
 * recording's last {@code sequence_num} so that the feed's gap check passes. One client; test threads.
 */
final class PacedCoinbaseFeed extends WebSocketServer {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final List<String> recorded = new ArrayList<>();
    private final LinkedBlockingQueue<String> injected = new LinkedBlockingQueue<>();
    private final long pauseMillis;
    private volatile long nextSequence;
    private volatile boolean replayed;
    private volatile Thread sender;

    PacedCoinbaseFeed(Path recording, long pauseMillis) throws IOException {
        super(new InetSocketAddress("127.0.0.1", 0));
        this.pauseMillis = pauseMillis;
        long last = -1;
        for (String line : Files.readAllLines(recording)) {
            JsonNode o = JSON.readTree(line);
            if ("recv".equals(o.path("t").asText())) {
                String data = o.path("data").asText();
                recorded.add(data);
                last = Math.max(last, JSON.readTree(data).path("sequence_num").asLong(-1));
            }
        }
        this.nextSequence = last + 1;
        setReuseAddr(true);
    }

    String url() throws InterruptedException {
        start();
        // the port is -1 until the server thread has bound it (seconds on a loaded machine)
        for (int i = 0; i < 3_000 && getPort() <= 0; i++) {
            Thread.sleep(10);
        }
        return "ws://127.0.0.1:" + getPort();
    }

    boolean replayed() {
        return replayed;
    }

    /** a public trade on the market_trades channel; {@code makerSide} as Coinbase sends it (the maker's side) */
    void trade(String productId, String price, String size, String makerSide, long tradeId) {
        injected.add("{\"channel\":\"market_trades\",\"client_id\":\"\",\"timestamp\":\"2026-11-22T00:00:00Z\",\"sequence_num\":%SEQ%,"
                + "\"events\":[{\"type\":\"update\",\"trades\":[{\"trade_id\":\"" + tradeId + "\",\"product_id\":\"" + productId
                + "\",\"price\":\"" + price + "\",\"size\":\"" + size + "\",\"side\":\"" + makerSide
                + "\",\"time\":\"2026-11-22T00:00:00Z\"}]}]}");
    }

    /**
     * A new snapshot of a product's book on the level2 channel (the feed rebuilds the book from it);
     * each level a {price, size} pair of decimal strings.
     */
    void book(String productId, String[][] bids, String[][] asks) {
        StringBuilder levels = new StringBuilder();
        for (String[][] sideLevels : new String[][][]{bids, asks}) {
            for (String[] level : sideLevels) {
                if (!levels.isEmpty()) {
                    levels.append(',');
                }
                levels.append("{\"side\":\"").append(sideLevels == bids ? "bid" : "offer")
                        .append("\",\"event_time\":\"2026-11-22T00:00:00Z\",\"price_level\":\"").append(level[0])
                        .append("\",\"new_quantity\":\"").append(level[1]).append("\"}");
            }
        }
        injected.add("{\"channel\":\"l2_data\",\"client_id\":\"\",\"timestamp\":\"2026-11-22T00:00:00Z\",\"sequence_num\":%SEQ%,"
                + "\"events\":[{\"type\":\"snapshot\",\"product_id\":\"" + productId + "\",\"updates\":[" + levels + "]}]}");
    }

    @Override
    public void onOpen(WebSocket conn, ClientHandshake handshake) {
    }

    @Override
    public void onMessage(WebSocket conn, String message) {
        if (sender != null) {
            return;
        }
        sender = new Thread(() -> {
            try {
                for (String m : recorded) {
                    conn.send(m);
                    TimeUnit.MILLISECONDS.sleep(pauseMillis);
                }
                replayed = true;
                while (conn.isOpen()) {
                    String m = injected.poll(200, TimeUnit.MILLISECONDS);
                    if (m == null) {
                        m = "{\"channel\":\"heartbeats\",\"client_id\":\"\",\"timestamp\":\"2026-11-22T00:00:00Z\",\"sequence_num\":%SEQ%,"
                                + "\"events\":[{\"current_time\":\"2026-11-22 00:00:00 +0000 UTC\",\"heartbeat_counter\":\"1\"}]}";
                    }
                    conn.send(m.replace("%SEQ%", Long.toString(nextSequence++)));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (org.java_websocket.exceptions.WebsocketNotConnectedException closed) {
                // the client went away: the test is over
            }
        }, "paced-coinbase-feed");
        sender.setDaemon(true);
        sender.start();
    }

    @Override
    public void onClose(WebSocket conn, int code, String reason, boolean remote) {
    }

    @Override
    public void onError(WebSocket conn, Exception ex) {
    }

    @Override
    public void onStart() {
    }
}
