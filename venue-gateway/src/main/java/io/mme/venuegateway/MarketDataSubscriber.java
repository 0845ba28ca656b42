package io.mme.venuegateway;

import io.mme.core.ring.Side;
import org.agrona.collections.Int2ObjectHashMap;
import org.agrona.collections.Long2LongHashMap;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.ArrayDeque;

import static io.mme.venuegateway.VenueProtocol.*;

/**
 * The example subscriber of the venue's UDP market data: keeps each instrument's L2 book (price →
 * quantity per side) from LEVEL messages, checks that every packet continues the stream's sequence,
 * and on a gap recovers: it keeps the packets that arrive, asks the venue over its TCP session for a
 * snapshot of every instrument, rebuilds the books from it (taken at market data sequence S), then
 * applies the kept messages after S. A second gap in the kept packets asks for another snapshot.
 *
 * <p>Thread: one thread calls {@link #poll()} and reads the books and counters (the benchmark reads
 * the counters from another thread after joining it).
 */
public final class MarketDataSubscriber implements AutoCloseable, VenueClient.Listener {
    private final DatagramChannel channel;
    private final VenueClient recovery;
    private final ByteBuffer packet = ByteBuffer.allocateDirect(LARGEST_PACKET_SIZE + 29).order(ORDER);
    private final UnsafeBuffer view = new UnsafeBuffer(packet);
    private final Int2ObjectHashMap<Long2LongHashMap[]> books = new Int2ObjectHashMap<>();
    /** packets kept while recovering (a copy each: recovery is the rare path) */
    private final ArrayDeque<byte[]> kept = new ArrayDeque<>();
    private long expected = 1;
    private boolean recovering;
    private boolean snapshotRequested;
    private long packets;
    private long messages;
    private long trades;
    private long gaps;
    private long lostMessages;
    private long recoveries;

    /**
     * @param stream   the market data destination of the venue's configuration (group and port)
     * @param iface    the interface to join the group on ("lo"); ignored for a unicast address
     * @param recovery a logged-in order entry session for the snapshots (its poll is driven from here)
     */
    public MarketDataSubscriber(InetSocketAddress stream, String iface, VenueClient recovery) {
        this.recovery = recovery;
        try {
            channel = DatagramChannel.open(StandardProtocolFamily.INET);
            channel.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            channel.setOption(StandardSocketOptions.SO_RCVBUF, 8 * 1024 * 1024);
            if (stream.getAddress().isMulticastAddress()) {
                channel.bind(new InetSocketAddress(stream.getPort()));
                channel.join(stream.getAddress(), NetworkInterface.getByName(iface));
            } else {
                channel.bind(stream);
            }
            channel.configureBlocking(false);
        } catch (IOException e) {
            throw new UncheckedIOException("subscriber: cannot join " + stream + " on " + iface, e);
        }
    }

    /**
     * Receives every packet waiting and the recovery session's answers (and keeps that session alive:
     * call it at least every second or so); returns packets received.
     */
    public int poll() {
        int n = 0;
        try {
            while (true) {
                packet.clear();
                if (channel.receive(packet) == null) {
                    break;
                }
                n++;
                onPacket(packet.position());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("subscriber: receive failed", e);
        }
        if (recovering && !snapshotRequested) {
            snapshotRequested = recovery.requestSnapshot(0);
        }
        recovery.flush(); // also the session's heartbeat when it has been quiet
        recovery.poll(this);
        return n;
    }

    private void onPacket(int length) {
        packets++;
        if (length < PACKET_HEADER_SIZE || view.getByte(PACKET_STREAM) != STREAM_MARKET_DATA) {
            return;
        }
        long first = view.getLong(PACKET_FIRST_SEQUENCE);
        if (recovering) {
            byte[] copy = new byte[length];
            view.getBytes(0, copy);
            kept.add(copy);
            return;
        }
        if (first > expected) {
            gaps++;
            lostMessages += first - expected;
            recovering = true;
            snapshotRequested = false;
            byte[] copy = new byte[length];
            view.getBytes(0, copy);
            kept.add(copy);
            return;
        }
        apply(view, first);
    }

    /** applies the messages of a packet whose sequence is not past {@link #expected} */
    private void apply(UnsafeBuffer p, long first) {
        int count = p.getShort(PACKET_COUNT) & 0xFFFF;
        int at = PACKET_HEADER_SIZE;
        long seq = first;
        for (int i = 0; i < count; i++, seq++) {
            byte type = p.getByte(at);
            int size = packetMessageSize(type);
            if (size == 0) {
                throw new IllegalStateException("subscriber: unknown message type " + (type & 0xFF) + " at sequence " + seq);
            }
            if (seq >= expected) {
                if (seq != expected) {
                    throw new IllegalStateException("subscriber: sequence " + seq + " applied while " + expected + " was expected");
                }
                onMessage(p, at, type);
                expected = seq + 1;
            }
            at += size;
        }
    }

    private void onMessage(UnsafeBuffer p, int at, byte type) {
        messages++;
        if (type == LEVEL) {
            Long2LongHashMap side = book(p.getInt(at + LEVEL_INSTRUMENT))[p.getByte(at + LEVEL_SIDE)];
            long price = p.getLong(at + LEVEL_PRICE);
            long qty = p.getLong(at + LEVEL_QUANTITY);
            if (qty == 0) {
                side.remove(price);
            } else {
                side.put(price, qty);
            }
        } else if (type == TRADE) {
            trades++;
        }
    }

    private Long2LongHashMap[] book(int instrument) {
        Long2LongHashMap[] b = books.get(instrument);
        if (b == null) {
            b = new Long2LongHashMap[] {new Long2LongHashMap(0), new Long2LongHashMap(0)};
            books.put(instrument, b);
        }
        return b;
    }

    // ---------------------------------------------------------------- the snapshot (recovery session)

    @Override
    public void onSnapshotBegin(int instrument, long sequence, int bids, int asks) {
        Long2LongHashMap[] b = book(instrument);
        b[0].clear();
        b[1].clear();
    }

    @Override
    public void onSnapshotLevel(int instrument, Side side, long price, long quantity, int orders) {
        book(instrument)[side.ordinal()].put(price, quantity);
    }

    @Override
    public void onSnapshotEnd(int instrument, long sequence, boolean last) {
        if (!last) {
            return;
        }
        recoveries++;
        expected = sequence + 1;
        recovering = false;
        while (!kept.isEmpty()) {
            byte[] copy = kept.poll();
            UnsafeBuffer p = new UnsafeBuffer(copy);
            long first = p.getLong(PACKET_FIRST_SEQUENCE);
            int count = p.getShort(PACKET_COUNT) & 0xFFFF;
            if (first + count <= expected) {
                continue; // wholly inside the snapshot
            }
            if (first > expected) {
                gaps++;
                lostMessages += first - expected;
                recovering = true;
                snapshotRequested = false;
                kept.addFirst(copy);
                return; // another gap: keep the rest and ask again
            }
            apply(p, first);
        }
    }

    // ---------------------------------------------------------------- what it knows

    /** the quantity at a price of an instrument's book, 0 when there is none */
    public long quantityAt(int instrument, Side side, long price) {
        Long2LongHashMap[] b = books.get(instrument);
        return b == null ? 0 : b[side.ordinal()].get(price);
    }

    /** levels of a side */
    public int levels(int instrument, Side side) {
        Long2LongHashMap[] b = books.get(instrument);
        return b == null ? 0 : b[side.ordinal()].size();
    }

    /** the next sequence it waits for (the last applied + 1) */
    public long expectedSequence() {
        return expected;
    }

    public boolean recovering() {
        return recovering;
    }

    public long packets() {
        return packets;
    }

    public long messages() {
        return messages;
    }

    public long trades() {
        return trades;
    }

    public long gaps() {
        return gaps;
    }

    /** messages never received (the sum of the gaps' sizes; the snapshots make up for them) */
    public long lostMessages() {
        return lostMessages;
    }

    public long recoveries() {
        return recoveries;
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException e) {
            // closing
        }
    }
}
