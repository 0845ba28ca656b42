package io.mme.venuegateway;

/**
 * One session's order throttle: a rate of orders per second with a burst of as many (the generic
 * cell rate algorithm: one "theoretical arrival time" instead of a bucket that is refilled), and
 * the flood rule: more than {@code floodRejects} throttle rejects within one second end the session.
 * Owned by the venue's I/O thread; time is passed in (nanos).
 */
final class OrderThrottle {
    private static final long SECOND = 1_000_000_000L;
    private final long intervalNanos;
    private final long toleranceNanos;
    private final int floodRejects;
    private long theoreticalArrival = Long.MIN_VALUE;
    private long rejectWindowStart;
    private int rejectsInWindow;

    OrderThrottle(int perSecond, int floodRejects) {
        this.intervalNanos = Math.max(1, SECOND / perSecond);
        this.toleranceNanos = intervalNanos * (perSecond - 1L);
        this.floodRejects = floodRejects;
    }

    /** whether one more order at {@code now} is within the rate (and counts it when it is) */
    boolean tryAcquire(long now) {
        long tat = theoreticalArrival == Long.MIN_VALUE || theoreticalArrival < now ? now : theoreticalArrival;
        if (tat - now > toleranceNanos) {
            return false;
        }
        theoreticalArrival = tat + intervalNanos;
        return true;
    }

    /** counts a throttle reject at {@code now}; true when the session is flooding and must end */
    boolean rejectedIsFlood(long now) {
        if (rejectsInWindow == 0 || now - rejectWindowStart > SECOND) {
            rejectWindowStart = now;
            rejectsInWindow = 0;
        }
        return ++rejectsInWindow > floodRejects;
    }
}
