package io.mme.venuegateway;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The venue's counters: messages in and out, heartbeats sent, reports replayed, rejects and session ends by {@link GatewayReason}.
 * Written by the I/O thread only (ordered writes); read by any thread (tests, the server's
 * summary line).
 */
public final class VenueCounters {
    private static final int MESSAGES_IN = 0;
    private static final int REPORTS_OUT = 1;
    private static final int SESSIONS_OPENED = 2;
    private static final int MD_PACKETS = 3;
    private static final int EXEC_PACKETS = 4;
    private static final int HEARTBEATS_OUT = 5;
    private static final int REPLAYED_REPORTS = 6;
    private static final int FIXED = 7;
    private final AtomicLongArray values = new AtomicLongArray(FIXED + GatewayReason.values().length);

    void messageIn() {
        bump(MESSAGES_IN);
    }

    void reportOut() {
        bump(REPORTS_OUT);
    }

    void sessionOpened() {
        bump(SESSIONS_OPENED);
    }

    void packetSent(byte stream) {
        bump(stream == VenueProtocol.STREAM_MARKET_DATA ? MD_PACKETS : EXEC_PACKETS);
    }

    void heartbeatOut() {
        bump(HEARTBEATS_OUT);
    }

    void replayed(int reports) {
        values.lazySet(REPLAYED_REPORTS, values.get(REPLAYED_REPORTS) + reports);
    }

    void reason(GatewayReason reason) {
        bump(FIXED + reason.ordinal());
    }

    private void bump(int i) {
        values.lazySet(i, values.get(i) + 1); // one writer: the I/O thread
    }

    public long messagesIn() {
        return values.get(MESSAGES_IN);
    }

    public long reportsOut() {
        return values.get(REPORTS_OUT);
    }

    public long sessionsOpened() {
        return values.get(SESSIONS_OPENED);
    }

    public long marketDataPackets() {
        return values.get(MD_PACKETS);
    }

    public long executionPackets() {
        return values.get(EXEC_PACKETS);
    }

    public long heartbeatsOut() {
        return values.get(HEARTBEATS_OUT);
    }

    /** execution reports sent again in answer to REPLAY_REQUEST */
    public long replayedReports() {
        return values.get(REPLAYED_REPORTS);
    }

    /** rejects (or session ends) for this reason so far */
    public long count(GatewayReason reason) {
        return values.get(FIXED + reason.ordinal());
    }

    /** one line: every non-zero counter */
    public String summary() {
        StringBuilder sb = new StringBuilder("messagesIn=").append(messagesIn())
                .append(" reportsOut=").append(reportsOut())
                .append(" sessions=").append(sessionsOpened())
                .append(" mdPackets=").append(marketDataPackets())
                .append(" execPackets=").append(executionPackets())
                .append(" heartbeatsOut=").append(heartbeatsOut())
                .append(" replayedReports=").append(replayedReports());
        for (GatewayReason r : GatewayReason.values()) {
            long n = count(r);
            if (n != 0) {
                sb.append(' ').append(r.name()).append('=').append(n);
            }
        }
        return sb.toString();
    }
}
