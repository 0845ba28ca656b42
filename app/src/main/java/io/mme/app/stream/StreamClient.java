package io.mme.app.stream;

import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.common.WebSocketSession;
import org.eclipse.jetty.websocket.core.CoreSession;
import org.eclipse.jetty.websocket.core.Extension;
import org.eclipse.jetty.websocket.core.Frame;
import org.eclipse.jetty.websocket.core.OpCode;
import org.eclipse.jetty.websocket.core.internal.WebSocketCoreSession;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One client of the stream: its subscriptions and what each was sent (the seq of its channel), and
 * the frames in flight on its connection, at most {@code capacity}. Sends go straight to Jetty's
 * core session as text frames over the channel's shared bytes (a read-only view per frame, the
 * bytes not copied), several in one batch, never blocking: a frame Jetty has not yet written
 * counts against the capacity until its callback. A client without room is not waited for: its
 * subscriptions fall behind their channels, and when room comes back a book gets a new snapshot
 * (conflated), a full-state channel its latest message, and trades the latest message with the
 * skipped ones counted as dropped (the client sees the gap in seq).
 *
 * <p>A connection that negotiated the stream's {@link SharedDeflateExtension} is sent each data
 * message's compressed bytes (compressed once per message for all such connections, RSV1 set);
 * replies to its requests go uncompressed.
 *
 * <p>Threads: Jetty's threads run {@link #control} (replies to the client's requests) and the send
 * callbacks; the dispatcher thread runs {@link #deliver}. The subscription map is concurrent; each
 * subscription's {@code sentSeq} belongs to the dispatcher.
 */
final class StreamClient implements Callback {
    /** one subscription of this client; {@code sentSeq} (dispatcher-owned) is the seq it was sent last (0: nothing yet) */
    static final class Subscription {
        final StreamChannel channel;
        long sentSeq;

        Subscription(StreamChannel channel) {
            this.channel = channel;
        }
    }

    final String sessionId;
    final Session session;
    private final CoreSession core;
    /** the connection's permessage-deflate when it negotiated the stream's shared one and takes compressed messages, else null */
    private final SharedDeflateExtension deflate;
    private final int capacity;
    private final StreamCounters counters;
    final long connectedNanos;
    final Map<String, Subscription> subscriptions = new ConcurrentHashMap<>();
    /** every authenticated client follows the status channel */
    final Subscription status;
    private final AtomicInteger inFlight = new AtomicInteger();
    private volatile long lastProgressNanos;
    volatile String principal;
    volatile boolean closed;
    /** dispatcher-owned scratch: the frames of one delivery */
    private final List<StreamChannel.Encoded> batch = new ArrayList<>();

    StreamClient(String sessionId, Session session, int capacity, StreamChannel status, StreamCounters counters, long nowNanos) {
        this.sessionId = sessionId;
        this.session = session;
        this.core = ((WebSocketSession) session).getCoreSession();
        this.deflate = sharedDeflate(core);
        this.capacity = capacity;
        this.status = new Subscription(status);
        this.counters = counters;
        this.connectedNanos = nowNanos;
        this.lastProgressNanos = nowNanos;
    }

    /** the shared permessage-deflate this connection negotiated, if any and if it takes compressed messages */
    private static SharedDeflateExtension sharedDeflate(CoreSession core) {
        if (core instanceof WebSocketCoreSession ws) {
            for (Extension e : ws.getExtensionStack().getExtensions()) {
                if (e instanceof SharedDeflateExtension shared && shared.sendsCompressed()) {
                    return shared;
                }
            }
        }
        return null;
    }

    /** true when this connection is sent the shared compressed bytes of each message */
    boolean compressed() {
        return deflate != null;
    }

    /** a reply to the client's request (any thread; not bounded: one per request) */
    void control(String json) {
        if (closed) {
            return;
        }
        ByteBuffer bytes = ByteBuffer.wrap(json.getBytes(StandardCharsets.UTF_8));
        send(new Frame(OpCode.TEXT, true, bytes), bytes.remaining(), false);
    }

    private void send(Frame frame, int plainBytes, boolean batched) {
        inFlight.incrementAndGet();
        counters.messagesSent.increment();
        counters.bytesSent.add(plainBytes);
        try {
            core.sendFrame(frame, this, batched);
        } catch (RuntimeException e) {
            inFlight.decrementAndGet();
            close(1011, "send failed");
        }
    }

    /**
     * Hands the connection what its subscriptions are due, as far as it has room (dispatcher thread):
     * each subscription behind its channel gets the next message, or, when it missed some, a
     * snapshot (books), the latest (full state) or the latest with the missed ones dropped (trades).
     */
    void deliver(long nowMicros, MessageDeflater deflater) {
        if (closed) {
            return;
        }
        int room = capacity - inFlight.get();
        if (room <= 0) {
            return;
        }
        room = due(status, room, nowMicros);
        for (Subscription sub : subscriptions.values()) {
            if (room <= 0) {
                break;
            }
            room = due(sub, room, nowMicros);
        }
        int n = batch.size();
        for (int i = 0; i < n; i++) {
            // one flush for the batch: the frames before the last may wait for it
            StreamChannel.Encoded message = batch.get(i);
            Frame frame;
            if (deflate != null) {
                ByteBuffer deflated = message.deflated(deflater, counters).duplicate();
                counters.deflatedBytesSent.add(deflated.remaining());
                frame = new Frame(OpCode.TEXT, true, deflated).setRsv1(true);
            } else {
                frame = new Frame(OpCode.TEXT, true, message.bytes().duplicate());
            }
            send(frame, message.bytes().remaining(), i < n - 1);
        }
        batch.clear();
    }

    private int due(Subscription sub, int room, long nowMicros) {
        StreamChannel ch = sub.channel;
        long seq = ch.seq;
        // an idle channel (no subscriber at the last round) has not been refreshed: its next round comes first
        if (seq == 0 || sub.sentSeq == seq || ch.idle) {
            return room;
        }
        StreamChannel.Encoded next;
        boolean behind = sub.sentSeq > 0 && sub.sentSeq < seq - 1;
        if (!ch.deltas()) {
            if (behind) {
                counters.statesConflated.increment();
            }
            next = ch.latest;
        } else if (sub.sentSeq == 0) {
            next = ch.snapshot(nowMicros);
        } else if (!behind) {
            next = ch.latest;
        } else if (ch instanceof StreamChannel.Trades) {
            counters.tradesDropped.add(seq - 1 - sub.sentSeq);
            next = ch.latest;
        } else {
            counters.booksConflated.increment();
            next = ch.snapshot(nowMicros);
        }
        batch.add(next);
        sub.sentSeq = seq;
        return room - 1;
    }

    /** true when frames have waited longer than {@code stallNanos} with none written */
    boolean stalled(long nowNanos, long stallNanos) {
        return inFlight.get() > 0 && nowNanos - lastProgressNanos > stallNanos;
    }

    int inFlight() {
        return inFlight.get();
    }

    @Override
    public void succeeded() {
        inFlight.decrementAndGet();
        lastProgressNanos = System.nanoTime();
    }

    @Override
    public void failed(Throwable x) {
        inFlight.decrementAndGet();
        close(1011, "send failed");
    }

    /** drops the subscriptions (their channels' counts) and closes the connection; once */
    @SuppressWarnings("ModifyCollectionInEnhancedForLoop") // a ConcurrentHashMap view: removing while iterating is allowed
    void close(int code, String reason) {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        for (String key : subscriptions.keySet()) {
            Subscription sub = subscriptions.remove(key);
            if (sub != null) {
                sub.channel.subscribers.decrementAndGet();
            }
        }
        try {
            session.close(code, reason);
        } catch (RuntimeException e) {
            // already gone
        }
    }
}
