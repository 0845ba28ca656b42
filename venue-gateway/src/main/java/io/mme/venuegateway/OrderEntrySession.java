package io.mme.venuegateway;

import org.agrona.DirectBuffer;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;

/**
 * One TCP connection of the order entry port: its read buffer (bytes of messages not yet whole),
 * its bounded outbound buffer, its login state, its throttle and when bytes last went each way (heartbeats, idle timeout). Owned by the venue's I/O thread.
 */
final class OrderEntrySession {
    final SocketChannel channel;
    final SelectionKey key;
    final ByteBuffer in;
    final ByteBuffer out;
    final OrderThrottle throttle;
    boolean loggedIn;
    long sessionId;
    /** slot in the venue's session table (the book's owner is index + 1); -1 before login */
    int index = -1;
    int generation;
    /** bytes wait in {@link #in} that could not be passed on (the command ring was full) */
    boolean inputPending;
    boolean closed;
    /** bytes arrived / were queued for the client since the I/O thread's last heartbeat sweep */
    boolean receivedSinceSweep;
    boolean sentSinceSweep;
    /** the sweep's time (System.nanoTime) at which it last saw bytes arrive / leave */
    long lastReceivedNanos;
    long lastSentNanos;

    OrderEntrySession(SocketChannel channel, SelectionKey key, int outboundBytes, OrderThrottle throttle) {
        this.channel = channel;
        this.key = key;
        this.in = ByteBuffer.allocateDirect(8192).order(VenueProtocol.ORDER);
        this.out = ByteBuffer.allocateDirect(outboundBytes).order(VenueProtocol.ORDER);
        this.throttle = throttle;
        this.lastReceivedNanos = System.nanoTime();
        this.lastSentNanos = lastReceivedNanos;
    }

    /** appends one message for the client; false when the outbound buffer has no room for it */
    boolean append(DirectBuffer source, int offset, int length) {
        if (out.remaining() < length) {
            return false;
        }
        int at = out.position();
        source.getBytes(offset, out, at, length);
        out.position(at + length);
        return true;
    }

    /** appends one message already laid out in {@code message} (position 0, limit its size) */
    boolean append(ByteBuffer message) {
        if (out.remaining() < message.remaining()) {
            return false;
        }
        out.put(message);
        return true;
    }

    boolean hasOutput() {
        return out.position() > 0;
    }

    /** writes what the socket takes now; asks for OP_WRITE when some is left */
    void flush() throws IOException {
        if (out.position() == 0 || closed) {
            return;
        }
        out.flip();
        channel.write(out);
        out.compact();
        int ops = key.interestOps();
        int wanted = out.position() > 0 ? ops | SelectionKey.OP_WRITE : ops & ~SelectionKey.OP_WRITE;
        if (wanted != ops) {
            key.interestOps(wanted);
        }
    }
}
