package io.mme.venuegateway;

import io.mme.core.ring.Side;
import io.mme.core.ring.TimeInForce;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;

import static io.mme.venuegateway.VenueProtocol.*;

/**
 * An order entry client of the venue (the example for other systems, and the tests' and the
 * benchmark's client): encodes requests into a send buffer, {@link #flush()} writes them, and
 * {@link #poll(Listener)} reads and frames what the venue sent. Non-blocking after the connect; no
 * allocation per message. After login, {@link #flush()} keeps the session alive with a HEARTBEAT
 * when it has been quiet (call it now and then even when there is nothing to send). Owned by one
 * thread.
 */
public final class VenueClient implements AutoCloseable {
    /** what the venue says; every call is on the thread that called {@link #poll} */
    public interface Listener {
        default void onLoginAccepted(long sessionId) {
        }

        /** the venue ends the session; the connection closes after it */
        default void onSessionEnd(int reasonCode, long detail) {
        }

        /** the view is valid during the call only */
        default void onExecutionReport(ExecutionReportView report) {
        }

        default void onSnapshotBegin(int instrument, long sequence, int bids, int asks) {
        }

        default void onSnapshotLevel(int instrument, Side side, long price, long quantity, int orders) {
        }

        /** {@code last}: the last instrument of the answer to one request */
        default void onSnapshotEnd(int instrument, long sequence, boolean last) {
        }

        /** the venue had nothing else to send for its heartbeat interval */
        default void onHeartbeat() {
        }

        /**
         * The answer to {@link #requestReplay}: {@code count} reports of the execution stream follow,
         * sequences {@code first}, {@code first + 1}, ... ({@code first} past the asked one: the
         * venue no longer keeps the ones before it).
         */
        default void onReplayBegin(long first, int count) {
        }

        /** one replayed execution stream message; the view is valid during the call only */
        default void onReplayedReport(long sequence, ExecutionReportView report) {
        }
    }

    private final SocketChannel channel;
    private final ByteBuffer send;
    private final UnsafeBuffer sendView;
    private final ByteBuffer receive = ByteBuffer.allocateDirect(1 << 20).order(ORDER);
    private final UnsafeBuffer receiveView = new UnsafeBuffer(receive);
    private final ExecutionReportView report = new ExecutionReportView();
    private boolean closed;
    private boolean loginSent;
    private long heartbeatNanos = VenueConfig.DEFAULT_HEARTBEAT_MILLIS * 1_000_000L;
    private long lastSentNanos = System.nanoTime();
    private long lastReceivedNanos = lastSentNanos;
    private int replayRemaining;
    private long replaySequence;

    private VenueClient(SocketChannel channel, int sendBufferBytes) {
        this.channel = channel;
        this.send = ByteBuffer.allocateDirect(sendBufferBytes).order(ORDER);
        this.sendView = new UnsafeBuffer(send);
    }

    /** connects (blocking, then non-blocking) to the venue's order entry port */
    public static VenueClient connect(InetSocketAddress venue) {
        return connect(venue, 1 << 20);
    }

    public static VenueClient connect(InetSocketAddress venue, int sendBufferBytes) {
        try {
            SocketChannel ch = SocketChannel.open(venue);
            ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
            ch.configureBlocking(false);
            return new VenueClient(ch, sendBufferBytes);
        } catch (IOException e) {
            throw new UncheckedIOException("venue client: cannot connect to " + venue, e);
        }
    }

    public boolean login(long sessionId, String token) {
        int at = claim(LOGIN_SIZE);
        if (at < 0) {
            return false;
        }
        sendView.putByte(at + LOGIN_VERSION, VERSION);
        sendView.putLong(at + LOGIN_SESSION_ID, sessionId);
        byte[] t = token.getBytes(StandardCharsets.US_ASCII);
        sendView.putBytes(at + LOGIN_TOKEN, t, 0, Math.min(t.length, TOKEN_LENGTH));
        loginSent = true;
        return commit(LOGIN, at, LOGIN_SIZE);
    }

    /**
     * After login, {@link #flush()} sends a HEARTBEAT when nothing was written for this long
     * (default 1 s; keep it well under the venue's idle timeout, 5 s by default).
     */
    public VenueClient heartbeatEvery(long nanos) {
        this.heartbeatNanos = nanos;
        return this;
    }

    /** System.nanoTime() at which bytes last arrived from the venue: a venue silent for long is gone */
    public long lastReceivedNanos() {
        return lastReceivedNanos;
    }

    /** execution stream messages {@code from}..{@code to} again, over this connection (a gap's recovery) */
    public boolean requestReplay(long from, long to) {
        int at = claim(REPLAY_REQUEST_SIZE);
        if (at < 0) {
            return false;
        }
        sendView.putLong(at + REPLAY_FROM, from);
        sendView.putLong(at + REPLAY_TO, to);
        return commit(REPLAY_REQUEST, at, REPLAY_REQUEST_SIZE);
    }

    /** a HEARTBEAT now (flush sends one by itself when the session has been quiet) */
    public boolean heartbeat() {
        int at = claim(HEARTBEAT_SIZE);
        return at >= 0 && commit(HEARTBEAT, at, HEARTBEAT_SIZE);
    }

    public boolean newOrder(int instrument, long clientOrderId, Side side, TimeInForce tif, boolean postOnly,
                            long price, long quantity) {
        int at = claim(NEW_ORDER_SIZE);
        if (at < 0) {
            return false;
        }
        sendView.putByte(at + NEW_SIDE, (byte) side.ordinal());
        sendView.putByte(at + NEW_TIF, (byte) tif.ordinal());
        sendView.putByte(at + NEW_FLAGS, postOnly ? (byte) FLAG_POST_ONLY : 0);
        sendView.putInt(at + NEW_INSTRUMENT, instrument);
        sendView.putLong(at + NEW_CLIENT_ORDER_ID, clientOrderId);
        sendView.putLong(at + NEW_PRICE, price);
        sendView.putLong(at + NEW_QUANTITY, quantity);
        return commit(NEW_ORDER, at, NEW_ORDER_SIZE);
    }

    public boolean cancel(int instrument, long clientOrderId) {
        int at = claim(CANCEL_SIZE);
        if (at < 0) {
            return false;
        }
        sendView.putInt(at + CANCEL_INSTRUMENT, instrument);
        sendView.putLong(at + CANCEL_CLIENT_ORDER_ID, clientOrderId);
        return commit(CANCEL, at, CANCEL_SIZE);
    }

    public boolean replace(int instrument, long clientOrderId, long price, long quantity) {
        int at = claim(REPLACE_SIZE);
        if (at < 0) {
            return false;
        }
        sendView.putInt(at + REPLACE_INSTRUMENT, instrument);
        sendView.putLong(at + REPLACE_CLIENT_ORDER_ID, clientOrderId);
        sendView.putLong(at + REPLACE_PRICE, price);
        sendView.putLong(at + REPLACE_QUANTITY, quantity);
        return commit(REPLACE, at, REPLACE_SIZE);
    }

    /** the book of one instrument (0: every instrument) as of a market data sequence */
    public boolean requestSnapshot(int instrument) {
        int at = claim(SNAPSHOT_REQUEST_SIZE);
        if (at < 0) {
            return false;
        }
        sendView.putInt(at + SNAPSHOT_REQUEST_INSTRUMENT, instrument);
        return commit(SNAPSHOT_REQUEST, at, SNAPSHOT_REQUEST_SIZE);
    }

    public boolean logout() {
        int at = claim(LOGOUT_SIZE);
        return at >= 0 && commit(LOGOUT, at, LOGOUT_SIZE);
    }

    /** any bytes, as they are (tests of bad input) */
    public boolean sendRaw(byte[] bytes) {
        if (send.remaining() < bytes.length) {
            return false;
        }
        send.put(bytes);
        return true;
    }

    /**
     * Writes what the socket takes now, with a HEARTBEAT first when the session has written nothing
     * for the heartbeat interval; returns the bytes still waiting.
     */
    public int flush() {
        if (closed) {
            return send.position();
        }
        long now = System.nanoTime();
        if (send.position() == 0) {
            if (!loginSent || now - lastSentNanos < heartbeatNanos) {
                return 0;
            }
            heartbeat();
        }
        send.flip();
        try {
            if (channel.write(send) > 0) {
                lastSentNanos = now;
            }
        } catch (IOException e) {
            closed = true;
        }
        send.compact();
        return send.position();
    }

    /**
     * Reads what arrived and hands every whole message to the listener.
     *
     * @return messages handled; -1 once the venue closed the connection
     */
    public int poll(Listener listener) {
        if (closed) {
            return -1;
        }
        int n;
        try {
            n = channel.read(receive);
        } catch (IOException e) {
            n = -1;
        }
        if (n > 0) {
            lastReceivedNanos = System.nanoTime();
        }
        receive.flip();
        int handled = 0;
        while (receive.remaining() >= 1) {
            int at = receive.position();
            byte type = receive.get(at);
            int size = outboundSize(type);
            if (size == 0) {
                throw new IllegalStateException("venue client: unknown message type " + (type & 0xFF) + " from the venue");
            }
            if (receive.remaining() < size) {
                break;
            }
            dispatch(type, at, listener);
            receive.position(at + size);
            handled++;
        }
        receive.compact();
        if (n < 0) {
            closed = true;
            return handled == 0 ? -1 : handled;
        }
        return handled;
    }

    public boolean isClosed() {
        return closed;
    }

    private void dispatch(byte type, int at, Listener listener) {
        UnsafeBuffer b = receiveView;
        switch (type) {
            case LOGIN_ACCEPTED -> listener.onLoginAccepted(b.getLong(at + LOGIN_ACCEPTED_SESSION_ID));
            case SESSION_END -> listener.onSessionEnd(b.getShort(at + SESSION_END_REASON) & 0xFFFF, b.getLong(at + SESSION_END_DETAIL));
            case EXECUTION_REPORT -> {
                if (replayRemaining > 0) {
                    replayRemaining--;
                    listener.onReplayedReport(replaySequence++, report.wrap(b, at));
                } else {
                    listener.onExecutionReport(report.wrap(b, at));
                }
            }
            case VENUE_HEARTBEAT -> listener.onHeartbeat();
            case REPLAY_BEGIN -> {
                replaySequence = b.getLong(at + REPLAY_FIRST);
                replayRemaining = b.getInt(at + REPLAY_COUNT);
                listener.onReplayBegin(replaySequence, replayRemaining);
            }
            case SNAPSHOT_BEGIN -> listener.onSnapshotBegin(b.getInt(at + SNAPSHOT_INSTRUMENT), b.getLong(at + SNAPSHOT_SEQUENCE),
                    b.getInt(at + SNAPSHOT_BIDS), b.getInt(at + SNAPSHOT_ASKS));
            case SNAPSHOT_LEVEL -> listener.onSnapshotLevel(b.getInt(at + SNAPSHOT_LEVEL_INSTRUMENT),
                    b.getByte(at + SNAPSHOT_LEVEL_SIDE) == 0 ? Side.BUY : Side.SELL, b.getLong(at + SNAPSHOT_LEVEL_PRICE),
                    b.getLong(at + SNAPSHOT_LEVEL_QUANTITY), b.getInt(at + SNAPSHOT_LEVEL_COUNT));
            case SNAPSHOT_END -> listener.onSnapshotEnd(b.getInt(at + SNAPSHOT_INSTRUMENT), b.getLong(at + SNAPSHOT_SEQUENCE),
                    b.getByte(at + SNAPSHOT_END_LAST) == 1);
            default -> throw new IllegalStateException("venue client: unhandled type " + type);
        }
    }

    /** reserves {@code size} zeroed bytes at the end of the send buffer, flushing first when full */
    private int claim(int size) {
        if (send.remaining() < size) {
            flush();
            if (send.remaining() < size) {
                return -1;
            }
        }
        int at = send.position();
        sendView.setMemory(at, size, (byte) 0);
        return at;
    }

    private boolean commit(byte type, int at, int size) {
        sendView.putByte(at + TYPE, type);
        send.position(at + size);
        return true;
    }

    @Override
    public void close() {
        closed = true;
        try {
            channel.close();
        } catch (IOException e) {
            // closing a failed connection
        }
    }
}
