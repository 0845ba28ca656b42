package io.mme.venuegateway;

import java.nio.ByteOrder;

/**
 * The wire layout of every message of the venue protocol (docs/VENUE-PROTOCOL.md is the same table
 * in prose). All integers little-endian; every message has a fixed size that its first byte, the
 * type, determines, so a reader knows how many bytes to wait for after reading one byte. Constants
 * only: immutable, any thread.
 */
public final class VenueProtocol {
    private VenueProtocol() {
    }

    public static final ByteOrder ORDER = ByteOrder.LITTLE_ENDIAN;
    public static final byte VERSION = 1;

    // ---------------------------------------------------------------- client → venue (TCP)
    public static final byte LOGIN = 1;
    public static final byte NEW_ORDER = 2;
    public static final byte CANCEL = 3;
    public static final byte REPLACE = 4;
    public static final byte SNAPSHOT_REQUEST = 5;
    public static final byte LOGOUT = 6;
    public static final byte HEARTBEAT = 7;
    public static final byte REPLAY_REQUEST = 8;

    // ---------------------------------------------------------------- venue → client (TCP)
    public static final byte LOGIN_ACCEPTED = 101;
    public static final byte SESSION_END = 102;
    public static final byte VENUE_HEARTBEAT = 103;
    public static final byte EXECUTION_REPORT = 110;
    public static final byte SNAPSHOT_BEGIN = 120;
    public static final byte SNAPSHOT_LEVEL = 121;
    public static final byte SNAPSHOT_END = 122;
    public static final byte REPLAY_BEGIN = 123;

    // ---------------------------------------------------------------- venue → all (UDP, in packets)
    public static final byte LEVEL = (byte) 130;
    public static final byte TRADE = (byte) 131;
    // EXECUTION_REPORT also travels on the UDP execution stream, same layout

    /** common to every message: the type at offset 0 */
    public static final int TYPE = 0;

    // LOGIN, 32 bytes
    public static final int LOGIN_SIZE = 32;
    public static final int LOGIN_VERSION = 1;        // u8, must be VERSION
    public static final int LOGIN_SESSION_ID = 8;     // i64
    public static final int LOGIN_TOKEN = 16;         // 16 bytes, ASCII, zero-padded
    public static final int TOKEN_LENGTH = 16;

    // NEW_ORDER, 32 bytes
    public static final int NEW_ORDER_SIZE = 32;
    public static final int NEW_SIDE = 1;             // u8: 0 buy, 1 sell
    public static final int NEW_TIF = 2;              // u8: 0 GTC, 1 IOC, 2 FOK
    public static final int NEW_FLAGS = 3;            // u8: bit 0 post-only, other bits 0
    public static final int NEW_INSTRUMENT = 4;       // i32
    public static final int NEW_CLIENT_ORDER_ID = 8;  // i64, > 0
    public static final int NEW_PRICE = 16;           // i64 ticks, > 0
    public static final int NEW_QUANTITY = 24;        // i64 lots, 1..MAX_QUANTITY
    public static final int FLAG_POST_ONLY = 1;

    // CANCEL, 16 bytes
    public static final int CANCEL_SIZE = 16;
    public static final int CANCEL_INSTRUMENT = 4;    // i32
    public static final int CANCEL_CLIENT_ORDER_ID = 8; // i64: the order's client order id

    // REPLACE, 32 bytes
    public static final int REPLACE_SIZE = 32;
    public static final int REPLACE_INSTRUMENT = 4;   // i32
    public static final int REPLACE_CLIENT_ORDER_ID = 8; // i64: the order's client order id
    public static final int REPLACE_PRICE = 16;       // i64 ticks, > 0
    public static final int REPLACE_QUANTITY = 24;    // i64 lots, the new remaining quantity

    // SNAPSHOT_REQUEST, 8 bytes
    public static final int SNAPSHOT_REQUEST_SIZE = 8;
    public static final int SNAPSHOT_REQUEST_INSTRUMENT = 4; // i32; 0 = every instrument

    // LOGOUT, 8 bytes
    public static final int LOGOUT_SIZE = 8;

    // HEARTBEAT (client → venue) and VENUE_HEARTBEAT (venue → client), 8 bytes, no fields
    public static final int HEARTBEAT_SIZE = 8;

    // REPLAY_REQUEST, 24 bytes: execution stream messages FROM..TO (inclusive) again over TCP
    public static final int REPLAY_REQUEST_SIZE = 24;
    public static final int REPLAY_FROM = 8;          // i64 first execution stream sequence wanted, >= 1
    public static final int REPLAY_TO = 16;           // i64 last one wanted, >= FROM

    // REPLAY_BEGIN, 24 bytes: COUNT EXECUTION_REPORTs follow, sequences FIRST, FIRST + 1, ...
    public static final int REPLAY_BEGIN_SIZE = 24;
    public static final int REPLAY_FIRST = 8;         // i64: > the request's FROM when older ones are no longer kept
    public static final int REPLAY_COUNT = 16;        // i32 reports that follow (at most REPLAY_MAX_REPORTS)
    /** reports one REPLAY_BEGIN carries at most; the rest is asked for again */
    public static final int REPLAY_MAX_REPORTS = 512;

    // LOGIN_ACCEPTED, 16 bytes
    public static final int LOGIN_ACCEPTED_SIZE = 16;
    public static final int LOGIN_ACCEPTED_SESSION_ID = 8; // i64

    // SESSION_END, 16 bytes: the venue closes the connection after it
    public static final int SESSION_END_SIZE = 16;
    public static final int SESSION_END_REASON = 2;   // u16, a GatewayReason code
    public static final int SESSION_END_DETAIL = 8;   // i64: the offending byte, field value...

    // EXECUTION_REPORT, 88 bytes
    public static final int REPORT_SIZE = 88;
    public static final int REPORT_EXEC_TYPE = 1;     // u8, see ExecType codes below
    public static final int REPORT_SIDE = 2;          // u8: 0 buy, 1 sell, 255 unknown
    public static final int REPORT_FLAGS = 3;         // u8: bit 0 maker
    public static final int REPORT_INSTRUMENT = 4;    // i32
    public static final int REPORT_CLIENT_ORDER_ID = 8; // i64
    public static final int REPORT_VENUE_ORDER_ID = 16; // i64, 0 when the order never entered the book
    public static final int REPORT_PRICE = 24;        // i64 ticks: the order's (new) price
    public static final int REPORT_LAST_QUANTITY = 32; // i64 lots: filled (fills) or cancelled (cancels)
    public static final int REPORT_LAST_PRICE = 40;   // i64 ticks: the fill's price
    public static final int REPORT_LEAVES = 48;       // i64 lots still open
    public static final int REPORT_TRADE_ID = 56;     // i64, fills only
    public static final int REPORT_TIMESTAMP = 64;    // i64 venue nanos (System.nanoTime of the matching thread's command)
    public static final int REPORT_REASON = 72;       // i32: RejectReason, CancelReason or GatewayReason code
    public static final int REPORT_SESSION_ID = 80;   // i64: the owner session (useful on the UDP copy)
    public static final int FLAG_MAKER = 1;

    public static final byte EXEC_ACCEPTED = 0;
    public static final byte EXEC_REJECTED = 1;
    public static final byte EXEC_PARTIALLY_FILLED = 2;
    public static final byte EXEC_FILLED = 3;
    public static final byte EXEC_CANCELLED = 4;
    public static final byte EXEC_REPLACED = 5;
    public static final byte EXEC_CANCEL_REJECTED = 6;

    // SNAPSHOT_BEGIN, 24 bytes
    public static final int SNAPSHOT_BEGIN_SIZE = 24;
    public static final int SNAPSHOT_INSTRUMENT = 4;  // i32
    public static final int SNAPSHOT_SEQUENCE = 8;    // i64: the market data sequence it includes
    public static final int SNAPSHOT_BIDS = 16;       // i32 levels that follow
    public static final int SNAPSHOT_ASKS = 20;       // i32 levels that follow

    // SNAPSHOT_LEVEL, 32 bytes
    public static final int SNAPSHOT_LEVEL_SIZE = 32;
    public static final int SNAPSHOT_LEVEL_SIDE = 1;  // u8
    public static final int SNAPSHOT_LEVEL_COUNT = 4; // i32 orders
    public static final int SNAPSHOT_LEVEL_PRICE = 8; // i64
    public static final int SNAPSHOT_LEVEL_QUANTITY = 16; // i64
    public static final int SNAPSHOT_LEVEL_INSTRUMENT = 24; // i32

    // SNAPSHOT_END, 16 bytes
    public static final int SNAPSHOT_END_SIZE = 16;
    // instrument at 4 (i32), sequence at 8 (i64), as SNAPSHOT_BEGIN
    public static final int SNAPSHOT_END_LAST = 1;    // u8: 1 on the last instrument of the answer

    // UDP packet header, 16 bytes, then COUNT messages
    public static final int PACKET_HEADER_SIZE = 16;
    public static final int PACKET_STREAM = 0;        // u8: STREAM_MARKET_DATA or STREAM_EXECUTIONS
    public static final int PACKET_COUNT = 2;         // u16 messages in the packet
    public static final int PACKET_FIRST_SEQUENCE = 8; // i64: sequence of the first message
    public static final byte STREAM_MARKET_DATA = 1;
    public static final byte STREAM_EXECUTIONS = 2;
    /** a packet's payload by default: under the Ethernet-safe datagram size */
    public static final int MAX_PACKET_SIZE = 1472;
    /** the largest packet a venue may be configured to send (loopback: one IPv4 datagram, unfragmented) */
    public static final int LARGEST_PACKET_SIZE = 65_507;

    // LEVEL, 32 bytes
    public static final int LEVEL_SIZE = 32;
    public static final int LEVEL_SIDE = 1;           // u8
    public static final int LEVEL_INSTRUMENT = 4;     // i32
    public static final int LEVEL_PRICE = 8;          // i64
    public static final int LEVEL_QUANTITY = 16;      // i64, 0: the level is gone
    public static final int LEVEL_COUNT = 24;         // i32 orders

    // TRADE, 32 bytes
    public static final int TRADE_SIZE = 32;
    public static final int TRADE_AGGRESSOR = 1;      // u8 side of the taker
    public static final int TRADE_INSTRUMENT = 4;     // i32
    public static final int TRADE_ID = 8;             // i64
    public static final int TRADE_PRICE = 16;         // i64
    public static final int TRADE_QUANTITY = 24;      // i64

    /** largest quantity a new order or replace may carry (lots) */
    public static final long MAX_QUANTITY = 1L << 40;
    /** largest price a new order or replace may carry (ticks) */
    public static final long MAX_PRICE = 1L << 52;

    /**
     * The size of a client → venue message of this type, or 0 when the type is not one; the
     * I/O thread frames the TCP stream with it.
     */
    public static int inboundSize(byte type) {
        return switch (type) {
            case LOGIN -> LOGIN_SIZE;
            case NEW_ORDER -> NEW_ORDER_SIZE;
            case CANCEL -> CANCEL_SIZE;
            case REPLACE -> REPLACE_SIZE;
            case SNAPSHOT_REQUEST -> SNAPSHOT_REQUEST_SIZE;
            case LOGOUT -> LOGOUT_SIZE;
            case HEARTBEAT -> HEARTBEAT_SIZE;
            case REPLAY_REQUEST -> REPLAY_REQUEST_SIZE;
            default -> 0;
        };
    }

    /** the size of a venue → client message of this type (TCP), or 0 when the type is not one */
    public static int outboundSize(byte type) {
        return switch (type) {
            case LOGIN_ACCEPTED -> LOGIN_ACCEPTED_SIZE;
            case SESSION_END -> SESSION_END_SIZE;
            case VENUE_HEARTBEAT -> HEARTBEAT_SIZE;
            case EXECUTION_REPORT -> REPORT_SIZE;
            case SNAPSHOT_BEGIN -> SNAPSHOT_BEGIN_SIZE;
            case SNAPSHOT_LEVEL -> SNAPSHOT_LEVEL_SIZE;
            case SNAPSHOT_END -> SNAPSHOT_END_SIZE;
            case REPLAY_BEGIN -> REPLAY_BEGIN_SIZE;
            default -> 0;
        };
    }

    /** the size of a message inside a UDP packet, or 0 when the type is not one */
    public static int packetMessageSize(byte type) {
        return switch (type) {
            case LEVEL -> LEVEL_SIZE;
            case TRADE -> TRADE_SIZE;
            case EXECUTION_REPORT -> REPORT_SIZE;
            default -> 0;
        };
    }
}
