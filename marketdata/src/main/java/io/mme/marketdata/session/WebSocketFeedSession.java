package io.mme.marketdata.session;

import org.java_websocket.client.WebSocketClient;
import org.java_websocket.handshake.ServerHandshake;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One venue WebSocket connection and its life: connect, send the subscriptions (spaced to the
 * venue's limit on client messages), hand every message to the venue's {@link Handler}, and on a
 * close or an error reconnect after a jittered exponential backoff (full jitter: a random delay up
 * to min(max, initial × 2^attempt)); a connection that reaches the venue's lifetime is replaced.
 * Pings from the server are answered by the WebSocket library; a dead connection is found by the
 * library's connection-lost check and by the market data engine's stale-feed check.
 *
 * <p>Threads: the WebSocket reader thread delivers messages; a timer thread reconnects and runs
 * {@link #exclusive} tasks. Every call into the handler holds the session's lock, so a handler is
 * used by one thread at a time and needs no locking of its own.
 */
public final class WebSocketFeedSession implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(WebSocketFeedSession.class);

    /** The venue side of a session. Called under the session's lock. */
    public interface Handler {
        /** the messages to send after each connect (subscriptions) */
        List<String> subscriptions();

        /** a connection opened: the books must be rebuilt from what follows */
        void onConnected();

        /** one text message */
        void onMessage(String message);

        /** the connection is gone; books are no longer current */
        void onDisconnected(String reason);
    }

    /**
     * @param name                 for logs and thread names ("binance")
     * @param uri                  the WebSocket endpoint
     * @param initialBackoff       first reconnect delay bound
     * @param maxBackoff           reconnect delay cap
     * @param lifetime             replace a connection after this long (venue limits); zero: never
     * @param messageSpacing       least time between two client messages (the venue's message limit)
     * @param connectionLostSeconds the library's ping/pong liveness check; 0 disables it
     * @param seed                 jitter seed
     */
    public record Settings(String name, URI uri, Duration initialBackoff, Duration maxBackoff, Duration lifetime,
                           Duration messageSpacing, int connectionLostSeconds, long seed) {
    }

    private final Settings settings;
    private final Handler handler;
    private final Object lock = new Object();
    private final ScheduledExecutorService timer;
    private final SplittableRandom jitter;
    private final AtomicLong connects = new AtomicLong();
    private final AtomicLong disconnects = new AtomicLong();
    private final AtomicLong messages = new AtomicLong();
    private final AtomicLong keepAlivesSent = new AtomicLong();
    private volatile boolean running;
    private volatile Connection current;
    private volatile int attempt;
    private static final long CLOSE_HANDSHAKE_TIMEOUT_MILLIS = 2_000;
    private ScheduledFuture<?> lifetimeTask;

    public WebSocketFeedSession(Settings settings, Handler handler) {
        this.settings = settings;
        this.handler = handler;
        this.jitter = new SplittableRandom(settings.seed());
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "mme-feed-" + settings.name() + "-timer");
            t.setDaemon(true);
            return t;
        });
    }

    public WebSocketFeedSession start() {
        running = true;
        timer.execute(this::connect);
        return this;
    }

    /** runs {@code task} on the timer thread holding the session's lock (REST snapshot results, resyncs) */
    public void exclusive(Runnable task) {
        timer.execute(() -> {
            synchronized (lock) {
                task.run();
            }
        });
    }

    /** runs {@code task} after {@code delay} on the timer thread holding the session's lock */
    public void exclusiveAfter(Duration delay, Runnable task) {
        timer.schedule(() -> {
            synchronized (lock) {
                task.run();
            }
        }, delay.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** drops the connection and connects again at once (a resubscribe for venues without snapshots) */
    public void reconnectNow(String why) {
        timer.execute(() -> {
            Connection c = current;
            if (c != null) {
                LOG.info("{}: reconnecting: {}", settings.name(), why);
                closeWithin(c, CLOSE_HANDSHAKE_TIMEOUT_MILLIS);
            }
        });
    }

    /**
     * Starts the close handshake; a peer that does not answer it (a silent or broken venue) must
     * not keep the session from reconnecting, so the socket is dropped after {@code millis}.
     */
    private void closeWithin(Connection c, long millis) {
        c.close();
        timer.schedule(() -> {
            if (!c.isClosed()) {
                LOG.warn("{}: the close handshake timed out; dropping the socket", settings.name());
                c.closeConnection(1006, "close handshake timed out");
            }
        }, millis, TimeUnit.MILLISECONDS);
    }

    /**
     * Sends {@code message} on the current connection if it is open (a venue's client heartbeat);
     * false when there is none to send on. Any thread.
     */
    public boolean send(String message) {
        Connection c = current;
        if (c == null || !c.isOpen()) {
            return false;
        }
        try {
            c.send(message);
            return true;
        } catch (org.java_websocket.exceptions.WebsocketNotConnectedException e) {
            return false;
        }
    }

    /**
     * Sends {@code message} every {@code period} on whichever connection is open then, for venues
     * that close a connection on which the client has said nothing for a while (Hyperliquid:
     * {@code {"method":"ping"}} within 60 s). Call before {@link #start}.
     */
    public void keepAlive(Duration period, String message) {
        timer.scheduleAtFixedRate(() -> {
            if (running && send(message)) {
                keepAlivesSent.incrementAndGet();
            }
        }, period.toMillis(), period.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** heartbeat messages {@link #keepAlive} has sent */
    public long keepAlivesSent() {
        return keepAlivesSent.get();
    }

    public long connects() {
        return connects.get();
    }

    public long disconnects() {
        return disconnects.get();
    }

    public long messages() {
        return messages.get();
    }

    /** messages received on the current connection (0 before the first) */
    public long messagesOnCurrentConnection() {
        Connection c = current;
        return c == null ? 0 : c.received.get();
    }

    /** whether the current connection is open (false while closing or waiting to reconnect) */
    public boolean currentConnectionOpen() {
        Connection c = current;
        return c != null && c.isOpen();
    }

    private void connect() {
        if (!running) {
            return;
        }
        Connection c = new Connection(settings.uri());
        if (settings.connectionLostSeconds() > 0) {
            c.setConnectionLostTimeout(settings.connectionLostSeconds());
        }
        current = c;
        c.connect();
    }

    private void scheduleReconnect() {
        if (!running) {
            return;
        }
        long cap = Math.min(settings.maxBackoff().toMillis(), settings.initialBackoff().toMillis() << Math.min(attempt, 20));
        long delay = cap <= 0 ? 0 : jitter.nextLong(cap + 1);
        attempt++;
        LOG.info("{}: reconnecting in {} ms (attempt {})", settings.name(), delay, attempt);
        timer.schedule(this::connect, delay, TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        running = false;
        Connection c = current;
        if (c != null) {
            try {
                c.closeBlocking();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        timer.shutdownNow();
    }

    /** one connection attempt; a new one is made for each reconnect */
    private final class Connection extends WebSocketClient {
        private boolean receivedAny;
        /** messages received on this connection; read by any thread */
        private final AtomicLong received = new AtomicLong();

        Connection(URI uri) {
            super(uri);
        }

        @Override
        public void onOpen(ServerHandshake handshake) {
            connects.incrementAndGet();
            LOG.info("{}: connected to {}", settings.name(), settings.uri());
            List<String> subscriptions;
            synchronized (lock) {
                handler.onConnected();
                subscriptions = handler.subscriptions();
            }
            long spacingNanos = settings.messageSpacing().toNanos();
            for (int i = 0; i < subscriptions.size(); i++) {
                String message = subscriptions.get(i);
                timer.schedule(() -> {
                    if (isOpen()) {
                        send(message);
                    }
                }, i * spacingNanos, TimeUnit.NANOSECONDS);
            }
            if (!settings.lifetime().isZero()) {
                lifetimeTask = timer.schedule(() -> {
                    LOG.info("{}: connection reached its {} lifetime; replacing it", settings.name(), settings.lifetime());
                    closeWithin(this, CLOSE_HANDSHAKE_TIMEOUT_MILLIS);
                }, settings.lifetime().toMillis(), TimeUnit.MILLISECONDS);
            }
        }

        @Override
        public void onMessage(String message) {
            messages.incrementAndGet();
            received.incrementAndGet();
            if (!receivedAny) {
                receivedAny = true;
                attempt = 0; // a connection that delivers data resets the backoff
            }
            synchronized (lock) {
                handler.onMessage(message);
            }
        }

        @Override
        public void onClose(int code, String reason, boolean remote) {
            disconnects.incrementAndGet();
            if (lifetimeTask != null) {
                lifetimeTask.cancel(false);
            }
            String why = "closed (" + code + (reason == null || reason.isEmpty() ? "" : ", " + reason) + (remote ? ", by the venue" : "") + ")";
            LOG.warn("{}: {}", settings.name(), why);
            synchronized (lock) {
                handler.onDisconnected(why);
            }
            if (current == this) {
                scheduleReconnect();
            }
        }

        @Override
        public void onError(Exception e) {
            LOG.warn("{}: connection error: {}", settings.name(), e.toString());
        }
    }
}
