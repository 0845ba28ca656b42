package io.mme.marketdata.replay;

import org.java_websocket.WebSocket;
import org.java_websocket.exceptions.WebsocketNotConnectedException;
import org.java_websocket.handshake.ClientHandshake;
import org.java_websocket.server.WebSocketServer;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * A loopback WebSocket server that plays a recording's entries to every client that connects, in
 * order: each RECEIVED entry is sent as a text message; at each REST entry it asks the
 * {@link Gate} to hold the stream until the client has caught up (fetched and applied the
 * snapshot), so the recorded interleaving survives any machine speed. Faults can be injected on
 * the first connection: a dropped message, one held back until after a later one, a message
 * rewritten, an extra line inserted, the socket closed, or the stream stopped with the socket
 * left open. It counts what it sent per connection and whether a connection got the whole
 * recording, so a client can tell when the connection it kept has received everything. Optionally
 * it answers the client's later messages (an unsubscribe, a subscribe of one pair) with messages
 * of the test's choosing ({@link #answering}), as a venue answers a per-pair resubscribe.
 *
 * <p>Threads: the library's server threads plus one sender thread per connection.
 */
public final class ReplayWebSocketServer extends WebSocketServer {
    /** holds the stream at a recorded REST response until the client is ready for what follows */
    @FunctionalInterface
    public interface Gate {
        void awaitClientCaughtUp(Recording.Entry rest);

        Gate NONE = rest -> { };
    }

    /**
     * Faults applied to the first connection's stream; indexes count RECEIVED messages from 0.
     *
     * @param drop          index of a message not sent, or -1
     * @param swap          index of a message held back and sent right after message {@code swapAfter}, or -1
     * @param swapAfter     the message after which the held one is sent ({@code swap + 1}: two neighbours swapped)
     * @param corrupt       index of a message rewritten by {@code rewrite}, or -1
     * @param rewrite       how the corrupted message is rewritten
     * @param closeAfter    close the socket after this many messages, or -1
     * @param silentAfter   stop sending (socket stays open) after this many messages, or -1
     * @param insertBefore  index of a message before which {@code inserted} is sent, or -1
     * @param inserted      an extra message (a garbage line), or null
     */
    public record Faults(int drop, int swap, int swapAfter, int corrupt, UnaryOperator<String> rewrite, int closeAfter, int silentAfter,
                         int insertBefore, String inserted) {
        public static final Faults NONE = new Faults(-1, -1, -1, UnaryOperator.identity(), -1, -1);

        /** the classic faults: two neighbours swapped, nothing inserted */
        public Faults(int drop, int swap, int corrupt, UnaryOperator<String> rewrite, int closeAfter, int silentAfter) {
            this(drop, swap, swap < 0 ? -1 : swap + 1, corrupt, rewrite, closeAfter, silentAfter, -1, null);
        }
    }

    private final List<Recording.Entry> entries;
    private final Gate gate;
    private final Faults faults;
    private final boolean waitForClientFirst;
    private final AtomicInteger connections = new AtomicInteger();
    private final AtomicInteger sent = new AtomicInteger();
    /** per connection (numbered from 1): messages sent on it, and whether its sender has ended */
    private final ConcurrentHashMap<Integer, AtomicInteger> sentOn = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<Integer, Boolean> endedOn = new ConcurrentHashMap<>();
    /** connections whose sender sent the whole recording (not stopped by a fault or a close) */
    private final ConcurrentHashMap<Integer, Boolean> completedOn = new ConcurrentHashMap<>();
    private final CountDownLatch started = new CountDownLatch(1);
    /** the client's messages after its first, with what to send back to each; none by default */
    private volatile Function<String, List<String>> answers = message -> List.of();
    private final AtomicInteger answered = new AtomicInteger();
    /** guarded by this: connections whose sender has ended */
    private int finishedConnections;

    /**
     * @param waitForClientFirst true for venues that stream only after a subscribe message
     */
    public ReplayWebSocketServer(Recording recording, Gate gate, Faults faults, boolean waitForClientFirst) {
        super(new InetSocketAddress("127.0.0.1", 0));
        this.entries = recording.entries();
        this.gate = gate;
        this.faults = faults;
        this.waitForClientFirst = waitForClientFirst;
        setReuseAddr(true);
    }

    /**
     * Answers every client message after a connection's first (which starts the recording) with
     * {@code answers.apply(message)}, sent at once on that connection, between the recording's
     * messages. Call before a client connects.
     */
    public ReplayWebSocketServer answering(Function<String, List<String>> answers) {
        this.answers = answers;
        return this;
    }

    /** client messages after the first that got at least one message back */
    public int answered() {
        return answered.get();
    }

    /** starts and waits until the port is bound; returns the ws:// URL */
    public String startAndGetUrl() throws InterruptedException {
        start();
        if (!started.await(10, TimeUnit.SECONDS)) {
            throw new IllegalStateException("replay server did not start");
        }
        return "ws://127.0.0.1:" + getPort();
    }

    public int connections() {
        return connections.get();
    }

    /**
     * Messages sent over all connections. After a reconnect this includes what was sent into the
     * abandoned connection, which the client may never read: compare {@link #sentOn} of the
     * connection that is live with what the client received on it.
     */
    public int sent() {
        return sent.get();
    }

    /** messages sent on connection {@code connection} (numbered from 1 in the order they opened) */
    public int sentOn(int connection) {
        AtomicInteger n = sentOn.get(connection);
        return n == null ? 0 : n.get();
    }

    /** whether connection {@code connection}'s sender sent the whole recording (no fault or close stopped it) */
    public boolean completed(int connection) {
        return completedOn.containsKey(connection);
    }

    /** whether connection {@code connection}'s sender has sent everything or stopped (fault, close) */
    public boolean senderEnded(int connection) {
        return endedOn.containsKey(connection);
    }

    /**
     * Waits until a client has connected and every connection's sender has sent everything (or
     * stopped on a fault).
     */
    public synchronized boolean awaitFinished(long timeout, TimeUnit unit) throws InterruptedException {
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        while (connections.get() == 0 || finishedConnections < connections.get()) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        return true;
    }

    private synchronized void markSenderEnded(int connection) {
        endedOn.put(connection, Boolean.TRUE);
        finishedConnections++;
        notifyAll();
    }

    @Override
    public void onOpen(WebSocket conn, ClientHandshake handshake) {
        int n = connections.incrementAndGet();
        if (!waitForClientFirst) {
            startSender(conn, n);
        } else {
            conn.setAttachment(n);
        }
    }

    @Override
    public void onMessage(WebSocket conn, String message) {
        Integer pending = conn.getAttachment();
        if (pending != null) {
            conn.setAttachment(null);
            startSender(conn, pending);
            return;
        }
        List<String> reply = answers.apply(message);
        if (!reply.isEmpty()) {
            answered.incrementAndGet();
            try {
                for (String m : reply) {
                    conn.send(m);
                }
            } catch (WebsocketNotConnectedException closedByClient) {
                // the client went away meanwhile
            }
        }
    }

    private void startSender(WebSocket conn, int connection) {
        Thread sender = new Thread(() -> {
            try {
                if (send(conn, connection == 1 ? faults : Faults.NONE, sentOn.computeIfAbsent(connection, k -> new AtomicInteger()))) {
                    completedOn.put(connection, Boolean.TRUE);
                }
            } catch (WebsocketNotConnectedException closedByClient) {
                // the client went away mid-stream (a reconnect): this connection's replay ends here
            } finally {
                markSenderEnded(connection);
            }
        }, "replay-sender-" + connection);
        sender.setDaemon(true);
        sender.start();
    }

    /** @return true when the whole recording was sent */
    private boolean send(WebSocket conn, Faults f, AtomicInteger sentHere) {
        int index = 0;
        String held = null;
        for (Recording.Entry entry : entries) {
            if (!conn.isOpen()) {
                return false;
            }
            if (entry.kind() == Recording.Kind.REST) {
                gate.awaitClientCaughtUp(entry);
                continue;
            }
            if (entry.kind() != Recording.Kind.RECEIVED) {
                continue;
            }
            int i = index++;
            if (i == f.insertBefore()) {
                conn.send(f.inserted());
                sent.incrementAndGet();
                sentHere.incrementAndGet();
            }
            if (i == f.closeAfter()) {
                conn.close(1001, "going away (replay fault)");
                return false;
            }
            if (i == f.silentAfter()) {
                return false; // the socket stays open and says nothing more
            }
            if (i == f.drop()) {
                continue;
            }
            String text = i == f.corrupt() ? f.rewrite().apply(entry.text()) : entry.text();
            if (i == f.swap()) {
                held = text;
                continue;
            }
            conn.send(text);
            sent.incrementAndGet();
            sentHere.incrementAndGet();
            if (held != null && i >= f.swapAfter()) {
                conn.send(held);
                sent.incrementAndGet();
                sentHere.incrementAndGet();
                held = null;
            }
        }
        return conn.isOpen();
    }

    @Override
    public void onClose(WebSocket conn, int code, String reason, boolean remote) {
    }

    @Override
    public void onError(WebSocket conn, Exception ex) {
    }

    @Override
    public void onStart() {
        started.countDown();
    }
}
