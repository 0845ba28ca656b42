package io.mme.core.venue;

import java.util.function.LongSupplier;

/**
 * The venue's clock as seen from ours: the offset (venue minus local) measured from a server-time
 * request, applied to every timestamp a signature carries. Thread-safe (volatile fields, one writer
 * at a time by convention: the gateway's clock sync).
 */
public final class ServerClock {
    private final LongSupplier localMillis;
    private volatile long offsetMillis;
    private volatile long roundTripMillis = -1;

    public ServerClock() {
        this(System::currentTimeMillis);
    }

    public ServerClock(LongSupplier localMillis) {
        this.localMillis = localMillis;
    }

    /**
     * Takes one measurement: the venue said {@code serverMillis} for a request sent at local
     * {@code sentMillis} and answered at {@code receivedMillis}; the server's reading is placed at the
     * midpoint.
     */
    public void measured(long serverMillis, long sentMillis, long receivedMillis) {
        long rtt = Math.max(0, receivedMillis - sentMillis);
        offsetMillis = serverMillis - (sentMillis + rtt / 2);
        roundTripMillis = rtt;
    }

    /** our best estimate of the venue's time now, in epoch ms */
    public long venueMillis() {
        return localMillis.getAsLong() + offsetMillis;
    }

    public long localMillis() {
        return localMillis.getAsLong();
    }

    public long offsetMillis() {
        return offsetMillis;
    }

    /** the last measurement's round trip; -1 before the first */
    public long roundTripMillis() {
        return roundTripMillis;
    }

    /**
     * A clear description when the measured skew (plus half the round trip) does not fit in
     * {@code windowMillis}, or null when it does. Signed requests would be refused; they must not be
     * retried blindly.
     */
    public String skewProblem(long windowMillis, String venue) {
        long uncertainty = Math.max(0, roundTripMillis) / 2;
        if (Math.abs(offsetMillis) + uncertainty > windowMillis) {
            return venue + " clock differs from ours by " + offsetMillis + " ms (round trip " + roundTripMillis
                    + " ms), more than the " + windowMillis + " ms the venue accepts: fix the host's time (NTP)";
        }
        return null;
    }
}
