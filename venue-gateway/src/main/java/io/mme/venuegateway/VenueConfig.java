package io.mme.venuegateway;

import io.mme.matching.BookConfig;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;

/**
 * Settings of one venue server. Immutable; built on the starting thread.
 *
 * @param orderEntry          TCP address to listen on (loopback; port 0: any free port)
 * @param marketData          UDP destination of the market data stream (a multicast group or, for
 *                            unicast, a host and port)
 * @param executions          UDP destination of the execution report stream
 * @param multicastInterface  the interface multicast goes out on ("lo"); null for unicast destinations
 * @param books               one book per instrument (its instrument id is the wire's instrument)
 * @param credentials         session id → token (at most 16 ASCII characters)
 * @param ordersPerSecond     each session's throttle (new, cancel, replace; a burst of as many)
 * @param floodRejects        throttle rejects within one second after which the session is ended
 * @param outboundBufferBytes each session's outbound buffer; a client that lets it fill is ended
 * @param maxSessions         sessions at once
 * @param heartbeatMillis     the venue sends VENUE_HEARTBEAT on a session it has sent nothing on for this long
 * @param idleTimeoutMillis   a connection nothing has arrived on for this long is ended (IDLE_TIMEOUT)
 * @param packetBytes         the largest UDP packet of either stream: 1,472 by default (Ethernet-safe), up to
 *                            65,507 on loopback (fewer sends; subscribers read into a buffer of that size)
 */
public record VenueConfig(InetSocketAddress orderEntry, InetSocketAddress marketData, InetSocketAddress executions,
                          String multicastInterface, List<BookConfig> books, Map<Long, String> credentials,
                          int ordersPerSecond, int floodRejects, int outboundBufferBytes, int maxSessions,
                          int heartbeatMillis, int idleTimeoutMillis, int packetBytes) {
    public VenueConfig {
        if (books.isEmpty()) {
            throw new IllegalArgumentException("venue: at least one book (instrument) is needed");
        }
        for (Map.Entry<Long, String> e : credentials.entrySet()) {
            String token = e.getValue();
            if (token.isEmpty() || token.length() > VenueProtocol.TOKEN_LENGTH || !token.chars().allMatch(c -> c > 32 && c < 127)) {
                throw new IllegalArgumentException("venue: the token of session " + e.getKey()
                        + " must be 1 to 16 printable ASCII characters");
            }
        }
        if (ordersPerSecond < 1 || floodRejects < 1) {
            throw new IllegalArgumentException("venue: ordersPerSecond " + ordersPerSecond + " and floodRejects "
                    + floodRejects + " must be at least 1");
        }
        if (outboundBufferBytes < 4096) {
            throw new IllegalArgumentException("venue: outboundBufferBytes " + outboundBufferBytes + " must be at least 4096");
        }
        if (maxSessions < 1 || maxSessions > 4096) {
            throw new IllegalArgumentException("venue: maxSessions " + maxSessions + " must be 1..4096");
        }
        if (heartbeatMillis < 1 || idleTimeoutMillis <= heartbeatMillis) {
            throw new IllegalArgumentException("venue: heartbeatMillis " + heartbeatMillis + " must be at least 1 and below idleTimeoutMillis "
                    + idleTimeoutMillis);
        }
        if (packetBytes < VenueProtocol.PACKET_HEADER_SIZE + VenueProtocol.REPORT_SIZE || packetBytes > VenueProtocol.LARGEST_PACKET_SIZE) {
            throw new IllegalArgumentException("venue: packetBytes " + packetBytes + " must be "
                    + (VenueProtocol.PACKET_HEADER_SIZE + VenueProtocol.REPORT_SIZE) + ".." + VenueProtocol.LARGEST_PACKET_SIZE);
        }
        books = List.copyOf(books);
        credentials = Map.copyOf(credentials);
    }

    /**
     * Loopback defaults: any free TCP port, multicast groups 239.255.20.1 and .2 on {@code lo} at the
     * given UDP ports, the given books and sessions, 10,000 orders/s per session, 256 KiB per
     * session's outbound buffer, 64 sessions, a heartbeat after 1 s of silence and a session
     * silent for 5 s ended.
     */
    public static VenueConfig loopback(int marketDataPort, int executionsPort, List<BookConfig> books,
                                       Map<Long, String> credentials) {
        return new VenueConfig(new InetSocketAddress("127.0.0.1", 0),
                new InetSocketAddress("239.255.20.1", marketDataPort), new InetSocketAddress("239.255.20.2", executionsPort),
                "lo", books, credentials, 10_000, 10_000, 256 * 1024, 64, DEFAULT_HEARTBEAT_MILLIS, DEFAULT_IDLE_TIMEOUT_MILLIS,
                VenueProtocol.MAX_PACKET_SIZE);
    }

    public static final int DEFAULT_HEARTBEAT_MILLIS = 1_000;
    public static final int DEFAULT_IDLE_TIMEOUT_MILLIS = 5_000;

    public VenueConfig withThrottle(int perSecond, int flood) {
        return new VenueConfig(orderEntry, marketData, executions, multicastInterface, books, credentials, perSecond, flood,
                outboundBufferBytes, maxSessions, heartbeatMillis, idleTimeoutMillis, packetBytes);
    }

    public VenueConfig withOutboundBuffer(int bytes) {
        return new VenueConfig(orderEntry, marketData, executions, multicastInterface, books, credentials, ordersPerSecond,
                floodRejects, bytes, maxSessions, heartbeatMillis, idleTimeoutMillis, packetBytes);
    }

    public VenueConfig withHeartbeat(int heartbeat, int idleTimeout) {
        return new VenueConfig(orderEntry, marketData, executions, multicastInterface, books, credentials, ordersPerSecond,
                floodRejects, outboundBufferBytes, maxSessions, heartbeat, idleTimeout, packetBytes);
    }

    public VenueConfig withPacketBytes(int bytes) {
        return new VenueConfig(orderEntry, marketData, executions, multicastInterface, books, credentials, ordersPerSecond,
                floodRejects, outboundBufferBytes, maxSessions, heartbeatMillis, idleTimeoutMillis, bytes);
    }
}
