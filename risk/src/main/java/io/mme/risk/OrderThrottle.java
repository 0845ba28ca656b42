package io.mme.risk;

import io.mme.core.state.CheckedStateReader;
import io.mme.core.state.CheckedStateWriter;
import io.mme.core.instrument.Venue;

/**
 * One token bucket per venue in event time: {@link LimitKind#ORDER_BURST} tokens at most, refilled
 * at {@link LimitKind#ORDER_RATE} per minute of event time; a PLACE or REPLACE takes one. Levels are
 * kept in units of 1/60e9 token so that a refill of {@code elapsedNanos × ratePerMinute} is exact.
 * A bucket starts full at its venue's first order. Event time that goes backwards (events from
 * different publishers) refills nothing. Owned by the risk engine's thread; not thread-safe.
 */
final class OrderThrottle {
    /** units per token: the nanoseconds of a minute */
    static final long UNITS_PER_TOKEN = 60_000_000_000L;

    private final long[] level = new long[Venue.values().length];
    private final long[] lastNanos = new long[Venue.values().length];
    private final boolean[] started = new boolean[Venue.values().length];

    /** takes one token of venue {@code venueId} at event time {@code nowNanos} if one is there */
    boolean tryAcquire(int venueId, long nowNanos, long ratePerMinute, long burst) {
        long capacity = burst * UNITS_PER_TOKEN;
        if (!started[venueId]) {
            started[venueId] = true;
            level[venueId] = capacity;
            lastNanos[venueId] = nowNanos;
        } else if (nowNanos > lastNanos[venueId]) {
            long elapsed = nowNanos - lastNanos[venueId];
            lastNanos[venueId] = nowNanos;
            long room = capacity - level[venueId];
            // elapsed × rate overflows for long idle times: compare by division first
            if (room <= 0 || (ratePerMinute > 0 && elapsed >= (room + ratePerMinute - 1) / ratePerMinute)) {
                level[venueId] = capacity;
            } else {
                level[venueId] += elapsed * ratePerMinute;
            }
        }
        // a lowered burst takes effect at once
        level[venueId] = Math.min(level[venueId], capacity);
        if (level[venueId] < UNITS_PER_TOKEN) {
            return false;
        }
        level[venueId] -= UNITS_PER_TOKEN;
        return true;
    }

    /** the bucket's level in 1/60e9 tokens (digest and tests) */
    long level(int venueId) {
        return level[venueId];
    }

    long lastNanos(int venueId) {
        return lastNanos[venueId];
    }

    /** per venue: started, level, last refill time */
    void writeState(CheckedStateWriter out) {
        for (int v = 0; v < level.length; v++) {
            out.putBoolean(started[v]).putLong(level[v]).putLong(lastNanos[v]);
        }
    }

    void readState(CheckedStateReader in) {
        for (int v = 0; v < level.length; v++) {
            started[v] = in.getBoolean("throttle started of venue " + v);
            level[v] = in.getLong();
            lastNanos[v] = in.getLong();
        }
    }
}
