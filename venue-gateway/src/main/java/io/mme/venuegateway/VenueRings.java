package io.mme.venuegateway;

import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.OneToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;

import java.nio.ByteBuffer;

/**
 * The two rings between the venue's threads and the layout of their records. Commands: the I/O
 * thread writes, the matching thread reads. Output: the matching thread writes, the I/O thread
 * reads. Both are Agrona single-producer single-consumer byte rings; records are claimed and
 * written in place, so neither side allocates.
 */
final class VenueRings {
    private VenueRings() {
    }

    // ---- command ring records (msgTypeId, then the fields)
    /** a session logged in: index, generation, session id */
    static final int CMD_SESSION_OPENED = 1;
    /** a session ended: its orders are cancelled */
    static final int CMD_SESSION_CLOSED = 2;
    /** a validated wire message (NEW_ORDER, CANCEL, REPLACE, SNAPSHOT_REQUEST) after the header */
    static final int CMD_WIRE = 3;
    static final int CMD_SESSION_INDEX = 0;   // i32
    static final int CMD_GENERATION = 4;      // i32
    static final int CMD_SESSION_ID = 8;      // i64
    static final int CMD_HEADER = 16;         // the wire message starts here

    // ---- output ring records
    /** a wire message for one session's TCP connection: index, generation, then the message */
    static final int OUT_SESSION = 1;
    /** a market data message: its sequence, then the message */
    static final int OUT_MARKET_DATA = 2;
    static final int OUT_SESSION_INDEX = 0;   // i32
    static final int OUT_GENERATION = 4;      // i32
    static final int OUT_SEQUENCE = 0;        // i64 (market data)
    static final int OUT_HEADER = 8;          // the wire message starts here

    static OneToOneRingBuffer ring(int capacityBytes) {
        return new OneToOneRingBuffer(new UnsafeBuffer(
                ByteBuffer.allocateDirect(capacityBytes + RingBufferDescriptor.TRAILER_LENGTH)));
    }
}
