package io.mme.connectors.binance;

import com.sun.net.httpserver.HttpServer;
import io.mme.core.instrument.Instrument;
import io.mme.core.instrument.InstrumentRegistry;
import io.mme.core.instrument.Venue;
import io.mme.marketdata.FeedSink;
import io.mme.marketdata.replay.Recording;
import io.mme.marketdata.replay.ReplayWebSocketServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A recorded Binance session played to the real {@link BinanceFeed} over loopback: a WebSocket
 * server replays the stream (optionally with faults) and an HTTP server answers depth requests with
 * the recorded snapshots. Where the recording took a snapshot, the stream waits until the feed has
 * applied it (at most 5 s), so stream and snapshot interleave as recorded on any machine. Used by
 * {@code mme feed check} and the connector's tests. Listens on 127.0.0.1 only.
 *
 * <p>Threads: built and closed by one thread; the servers and the feed run on their own.
 */
public final class BinanceRecordingReplay implements AutoCloseable {
    private static final Pattern SYMBOL = Pattern.compile("symbol=([A-Z0-9]+)");

    private final InstrumentRegistry registry;
    private final HttpServer rest;
    private final ReplayWebSocketServer server;
    private final String webSocketUrl;
    private volatile BinanceFeed feed;

    public BinanceRecordingReplay(Recording recording, InstrumentRegistry registry, ReplayWebSocketServer.Faults faults)
            throws IOException, InterruptedException {
        this.registry = registry;
        Map<String, String> snapshots = new HashMap<>();
        for (Recording.Entry e : recording.entries()) {
            if (e.kind() == Recording.Kind.REST && e.url() != null) {
                Matcher m = SYMBOL.matcher(e.url());
                if (m.find()) {
                    snapshots.put(m.group(1), e.text());
                }
            }
        }
        rest = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        rest.createContext("/api/v3/depth", exchange -> {
            Matcher m = SYMBOL.matcher(String.valueOf(exchange.getRequestURI().getQuery()));
            String body = m.find() ? snapshots.get(m.group(1)) : null;
            byte[] bytes = (body == null ? "{\"code\":-1121,\"msg\":\"Invalid symbol.\"}" : body).getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(body == null ? 400 : 200, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        });
        rest.start();
        server = new ReplayWebSocketServer(recording, this::awaitApplied, faults, false);
        webSocketUrl = server.startAndGetUrl();
    }

    /** starts the real feed against the replay */
    public BinanceFeed startFeed(FeedSink sink, Duration initialBackoff, Duration maxBackoff) {
        feed = new BinanceFeed(new BinanceFeed.Settings(URI.create(webSocketUrl), URI.create("http://127.0.0.1:" + rest.getAddress().getPort()),
                1000, initialBackoff, maxBackoff), registry, sink);
        return feed.start();
    }

    public ReplayWebSocketServer server() {
        return server;
    }

    /** the gate: holds the stream at a recorded snapshot until the feed's book for that symbol is synchronised */
    private void awaitApplied(Recording.Entry snapshot) {
        Matcher m = SYMBOL.matcher(String.valueOf(snapshot.url()));
        Instrument instrument = m.find() ? registry.find(Venue.BINANCE, m.group(1)) : null;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (instrument != null && System.nanoTime() < deadline && !synced(instrument.id())) {
            LockSupport.parkNanos(1_000_000);
        }
    }

    /** asks the feed, on its own thread, whether a book is synchronised */
    private boolean synced(int instrumentId) {
        BinanceFeed f = feed;
        if (f == null) {
            return false;
        }
        boolean[] synced = new boolean[1];
        CountDownLatch asked = new CountDownLatch(1);
        try {
            f.session().exclusive(() -> {
                synced[0] = f.decoder().sync(instrumentId).synced();
                asked.countDown();
            });
        } catch (java.util.concurrent.RejectedExecutionException closed) {
            // the feed was closed while the replay still ran: nothing is waiting for this snapshot any more
            return false;
        }
        try {
            asked.await(1, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return synced[0];
    }

    @Override
    public void close() {
        BinanceFeed f = feed;
        if (f != null) {
            f.close();
        }
        try {
            server.stop(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            rest.stop(0);
        }
    }
}
