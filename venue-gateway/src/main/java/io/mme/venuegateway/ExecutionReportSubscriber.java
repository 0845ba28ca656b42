package io.mme.venuegateway;

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
 * The example subscriber of the venue's UDP execution report stream (a drop copy of every report of
 * every session): hands each report to a {@link Handler} exactly once and in sequence order. On a gap
 * it keeps the packets that arrive, asks the venue over its TCP session for the missing sequences
 * (REPLAY_REQUEST; at most {@link VenueProtocol#REPLAY_MAX_REPORTS} per answer, so a long gap takes
 * several), hands over the replayed reports, then the kept ones. Reports the venue no longer keeps
 * are counted as lost for good ({@link #unrecoverable()}) and skipped.
 *
 * <p>Thread: one thread calls {@link #poll()} (which also drives and keeps alive the recovery
 * session) and reads the counters; the handler runs on it.
 */
public final class ExecutionReportSubscriber implements AutoCloseable, VenueClient.Listener {
    /** one execution stream message, in sequence; the view is valid during the call only */
    public interface Handler {
        void onReport(long sequence, ExecutionReportView report);
    }

    private final DatagramChannel channel;
    private final VenueClient recovery;
    private final Handler handler;
    private final ByteBuffer packet = ByteBuffer.allocateDirect(LARGEST_PACKET_SIZE + 29).order(ORDER);
    private final UnsafeBuffer view = new UnsafeBuffer(packet);
    private final ExecutionReportView report = new ExecutionReportView();
    /** packets kept while recovering (a copy each: recovery is the rare path) */
    private final ArrayDeque<byte[]> kept = new ArrayDeque<>();
    private long expected = 1;
    private boolean recovering;
    private boolean replayRequested;
    private int replayLeft;
    /** the last sequence of the gap being asked for */
    private long askedUpTo;
    private long packets;
    /** the most reports one packet of the stream carried */
    private int largestPacketReports;
    private long reports;
    private long gaps;
    private long lostMessages;
    private long replayed;
    private long unrecoverable;
    private long recoveries;
    private long refusals;

    /**
     * @param stream   the execution stream destination of the venue's configuration (group and port)
     * @param iface    the interface to join the group on ("lo"); ignored for a unicast address
     * @param recovery a logged-in order entry session for the replays (its poll is driven from here)
     * @param handler  gets every report once, in sequence
     */
    public ExecutionReportSubscriber(InetSocketAddress stream, String iface, VenueClient recovery, Handler handler) {
        this.recovery = recovery;
        this.handler = handler;
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
        if (recovering && !replayRequested && !kept.isEmpty()) {
            long upTo = new UnsafeBuffer(kept.peekFirst()).getLong(PACKET_FIRST_SEQUENCE) - 1;
            replayRequested = recovery.requestReplay(expected, upTo);
            askedUpTo = upTo;
        }
        recovery.flush(); // also the session's heartbeat when it has been quiet
        recovery.poll(this);
        return n;
    }

    private void onPacket(int length) {
        packets++;
        if (length < PACKET_HEADER_SIZE || view.getByte(PACKET_STREAM) != STREAM_EXECUTIONS) {
            return;
        }
        largestPacketReports = Math.max(largestPacketReports, view.getShort(PACKET_COUNT) & 0xFFFF);
        long first = view.getLong(PACKET_FIRST_SEQUENCE);
        if (!recovering && first > expected) {
            gaps++;
            lostMessages += first - expected;
            recovering = true;
            replayRequested = false;
        }
        if (recovering) {
            byte[] copy = new byte[length];
            view.getBytes(0, copy);
            kept.add(copy);
            return;
        }
        apply(view, first);
    }

    /** hands over the messages of a packet whose first sequence is not past {@link #expected} */
    private void apply(UnsafeBuffer p, long first) {
        int count = p.getShort(PACKET_COUNT) & 0xFFFF;
        int at = PACKET_HEADER_SIZE;
        for (long seq = first; seq < first + count; seq++, at += REPORT_SIZE) {
            if (p.getByte(at) != EXECUTION_REPORT) {
                throw new IllegalStateException("subscriber: message type " + (p.getByte(at) & 0xFF) + " on the execution stream");
            }
            if (seq == expected) {
                deliver(seq, p, at);
            }
        }
    }

    private void deliver(long seq, UnsafeBuffer b, int at) {
        reports++;
        expected = seq + 1;
        handler.onReport(seq, report.wrap(b, at));
    }

    // ---------------------------------------------------------------- the replay (recovery session)

    @Override
    public void onExecutionReport(ExecutionReportView r) {
        if (replayRequested && r.execType() == EXEC_REJECTED && r.clientOrderId() == 0) {
            replayRequested = false; // the request was refused (throttled): the next poll asks again
            refusals++;
        }
    }

    @Override
    public void onReplayBegin(long first, int count) {
        if (first > expected) {
            unrecoverable += first - expected; // older than the venue keeps
            expected = first;
        }
        replayLeft = count;
        if (count == 0) {
            replayDone();
        }
    }

    @Override
    public void onReplayedReport(long sequence, ExecutionReportView r) {
        if (sequence == expected) {
            replayed++;
            reports++;
            expected = sequence + 1;
            handler.onReport(sequence, r);
        }
        if (--replayLeft == 0) {
            replayDone();
        }
    }

    /** one replay answer is in: hand over the kept packets, or ask for the rest of the gap */
    private void replayDone() {
        replayRequested = false;
        while (!kept.isEmpty()) {
            UnsafeBuffer p = new UnsafeBuffer(kept.peekFirst());
            long first = p.getLong(PACKET_FIRST_SEQUENCE);
            int count = p.getShort(PACKET_COUNT) & 0xFFFF;
            if (first > expected) {
                if (expected > askedUpTo) { // not the rest of the gap asked for: another one among the kept packets
                    gaps++;
                    lostMessages += first - expected;
                }
                return; // the next poll asks for expected..first - 1
            }
            kept.poll();
            if (first + count > expected) {
                apply(p, first);
            }
        }
        recovering = false;
        recoveries++;
    }

    // ---------------------------------------------------------------- what it knows

    /** the next sequence it waits for (the last handed over + 1) */
    public long expectedSequence() {
        return expected;
    }

    public boolean recovering() {
        return recovering;
    }

    public long packets() {
        return packets;
    }

    /** the most reports one packet carried so far */
    public int largestPacketReports() {
        return largestPacketReports;
    }

    /** reports handed over, live and replayed */
    public long reports() {
        return reports;
    }

    public long gaps() {
        return gaps;
    }

    /** messages that did not arrive over UDP (the sum of the gaps' sizes; replays make up for them) */
    public long lostMessages() {
        return lostMessages;
    }

    /** reports handed over from a replay */
    public long replayed() {
        return replayed;
    }

    /** reports the venue no longer kept when asked: never handed over */
    public long unrecoverable() {
        return unrecoverable;
    }

    /** replay requests the venue refused (THROTTLED), each asked again */
    public long refusals() {
        return refusals;
    }

    /** gaps closed (every kept packet handed over) */
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
