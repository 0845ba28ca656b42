package io.mme.connectors.binance;

import io.mme.core.venue.RequestBudget;
import org.java_websocket.client.WebSocketClient;
import org.java_websocket.handshake.ServerHandshake;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * One persistent connection to the Binance WS API that comes back by itself: each connect spends its
 * weight from the request budget (and waits for it, and for any back-off the venue ordered), and a
 * dropped connection is reopened after a backoff that doubles while attempts keep failing. The
 * user data stream and the order-entry socket are the two kinds; they say what to do on open, on each
 * message and on a drop.
 *
 * <p>Threads: the WebSocket client's reader thread delivers opens, messages and closes; connects run
 * on the gateway's scheduler. The current client is a volatile reference replaced on each connect;
 * the failure count is guarded by this object's lock.
 */
abstract class BinanceConnection implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(BinanceConnection.class);

    private final String name;
    private final URI uri;
    private final LongSupplier wallMillis;
    private final RequestBudget budget;
    private final RequestBudget.Charge connectCharge;
    private final Duration minBackoff;
    private final Duration maxBackoff;
    private final ScheduledExecutorService scheduler;
    private volatile WebSocketClient client;
    private volatile boolean closed;
    /** no connect before this epoch ms (a ban's end the venue named) */
    private volatile long notBeforeMillis;
    private long failuresInARow;

    BinanceConnection(String name, URI uri, LongSupplier wallMillis, RequestBudget budget, RequestBudget.Charge connectCharge,
                      Duration minBackoff, Duration maxBackoff, ScheduledExecutorService scheduler) {
        this.name = name;
        this.uri = uri;
        this.wallMillis = wallMillis;
        this.budget = budget;
        this.connectCharge = connectCharge;
        this.minBackoff = minBackoff;
        this.maxBackoff = maxBackoff;
        this.scheduler = scheduler;
    }

    /** a new connection is open; {@code c} is it */
    abstract void opened(WebSocketClient c);

    /** one text message on {@code c} */
    abstract void message(WebSocketClient c, String text);

    /** the connection is gone (before a reconnect is scheduled, and also after {@link #close}) */
    abstract void dropped(String why);

    /** connects now (from the scheduler) */
    final void connect() {
        scheduler.execute(this::open);
    }

    private void open() {
        if (closed) {
            return;
        }
        long now = wallMillis.getAsLong();
        long wait = Math.max(notBeforeMillis - now, budget.millisUntilFits(connectCharge, now));
        if (wait > 0 || !budget.tryAcquire(connectCharge, now)) {
            scheduler.schedule(this::open, Math.max(1, Math.min(wait, maxBackoff.toMillis())), TimeUnit.MILLISECONDS);
            return;
        }
        WebSocketClient c = new Client(uri);
        client = c;
        c.connect();
    }

    /** the connection did what it is for (opened, subscribed): the next drop starts the backoff afresh */
    final synchronized void succeeded() {
        failuresInARow = 0;
    }

    /** no reconnect before {@code epochMillis} */
    final void notBefore(long epochMillis) {
        notBeforeMillis = Math.max(notBeforeMillis, epochMillis);
    }

    final boolean isClosed() {
        return closed;
    }

    final URI uri() {
        return uri;
    }

    private void onClosed(String why) {
        dropped(why);
        if (closed) {
            return;
        }
        long delay;
        synchronized (this) {
            delay = Math.min(maxBackoff.toMillis(), minBackoff.toMillis() << Math.min(failuresInARow, 16));
            failuresInARow++;
        }
        LOG.warn("{} down ({}); reconnecting in {} ms", name, why, delay);
        scheduler.schedule(this::open, delay, TimeUnit.MILLISECONDS);
    }

    /** drops the current connection; the reconnect follows as for any drop */
    final void reconnect() {
        WebSocketClient c = client;
        if (c != null) {
            c.close();
        }
    }

    @Override
    public void close() {
        closed = true;
        WebSocketClient c = client;
        if (c != null) {
            c.close();
        }
    }

    /** one connection attempt */
    private final class Client extends WebSocketClient {
        Client(URI endpoint) {
            super(endpoint);
        }

        @Override
        public void onOpen(ServerHandshake handshake) {
            opened(this);
        }

        @Override
        public void onMessage(String message) {
            message(this, message);
        }

        @Override
        public void onClose(int code, String reason, boolean remote) {
            onClosed("closed " + code + (reason == null || reason.isEmpty() ? "" : " " + reason));
        }

        @Override
        public void onError(Exception ex) {
            LOG.warn("{} error: {}", name, ex.toString());
        }
    }
}
