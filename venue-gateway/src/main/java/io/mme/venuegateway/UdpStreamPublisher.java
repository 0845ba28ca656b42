package io.mme.venuegateway;

import org.agrona.DirectBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.function.LongPredicate;

import static io.mme.venuegateway.VenueProtocol.*;

/**
 * One UDP stream (market data or execution reports): packs sequenced messages into packets of at
 * most the configured packet size (by default {@link VenueProtocol#MAX_PACKET_SIZE}) bytes and sends them, non-blocking, to a multicast group
 * (on the configured interface) or a unicast address. A packet the socket cannot take at once is
 * dropped: subscribers see the gap and recover, the venue never waits on the network. Owned by the
 * venue's I/O thread.
 */
final class UdpStreamPublisher implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(UdpStreamPublisher.class);
    private final byte stream;
    private final DatagramChannel channel;
    private final InetSocketAddress destination;
    private final ByteBuffer packet;
    private final int maxPacket;
    /** fault injection for tests: a packet whose first sequence it accepts is not sent */
    private final LongPredicate dropPacket;
    private final VenueCounters counters;
    private int count;
    private long droppedAtSend;

    UdpStreamPublisher(byte stream, InetSocketAddress destination, String multicastInterface, int maxPacket,
                       LongPredicate dropPacket, VenueCounters counters) {
        this.stream = stream;
        this.maxPacket = maxPacket;
        this.packet = ByteBuffer.allocateDirect(maxPacket).order(ORDER);
        this.destination = destination;
        this.dropPacket = dropPacket;
        this.counters = counters;
        try {
            channel = DatagramChannel.open(StandardProtocolFamily.INET);
            channel.configureBlocking(false);
            channel.setOption(StandardSocketOptions.SO_SNDBUF, 4 * 1024 * 1024);
            if (destination.getAddress().isMulticastAddress()) {
                NetworkInterface nif = NetworkInterface.getByName(multicastInterface);
                if (nif == null) {
                    throw new IllegalArgumentException("venue: multicast interface '" + multicastInterface + "' does not exist");
                }
                channel.setOption(StandardSocketOptions.IP_MULTICAST_IF, nif);
                channel.setOption(StandardSocketOptions.IP_MULTICAST_LOOP, true);
                channel.setOption(StandardSocketOptions.IP_MULTICAST_TTL, 0);
            }
            channel.connect(destination); // write() then needs no address conversion per packet
        } catch (IOException e) {
            throw new UncheckedIOException("venue: cannot open the UDP stream to " + destination, e);
        }
        reset();
    }

    /** adds one message with its sequence (consecutive to the last one added), sending a full packet first */
    void add(long sequence, DirectBuffer source, int offset, int length) {
        if (packet.position() + length > maxPacket) {
            flush();
        }
        if (count == 0) {
            packet.putLong(PACKET_FIRST_SEQUENCE, sequence);
        }
        int at = packet.position();
        source.getBytes(offset, packet, at, length);
        packet.position(at + length);
        count++;
    }

    /** sends the packet being filled, if any */
    void flush() {
        if (count == 0) {
            return;
        }
        packet.putShort(PACKET_COUNT, (short) count);
        packet.flip();
        if (!dropPacket.test(packet.getLong(PACKET_FIRST_SEQUENCE))) {
            try {
                if (channel.write(packet) == 0) {
                    droppedAtSend++;
                } else {
                    counters.packetSent(stream);
                }
            } catch (IOException e) {
                // e.g. a unicast destination nobody listens on (ICMP port unreachable): dropped like a full socket
                if (droppedAtSend++ == 0) {
                    log.warn("venue: UDP stream {} to {}: {} (later failures are counted only)", stream, destination, e.toString());
                }
            }
        }
        reset();
    }

    long droppedAtSend() {
        return droppedAtSend;
    }

    private void reset() {
        packet.clear();
        for (int i = 0; i < PACKET_HEADER_SIZE; i += 8) {
            packet.putLong(i, 0);
        }
        packet.put(PACKET_STREAM, stream);
        packet.position(PACKET_HEADER_SIZE);
        count = 0;
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException e) {
            log.debug("venue: closing UDP stream {}: {}", stream, e.toString());
        }
    }
}
