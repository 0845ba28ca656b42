package io.mme.risk;

import io.mme.core.state.CheckedStateReader;
import io.mme.core.state.CheckedStateWriter;

import java.util.Arrays;

/**
 * The taker (IOC) quantity each instrument sent in the last minute of event time, for
 * {@link LimitKind#MAX_TAKER_QUANTITY_PER_MINUTE}: per instrument 60 buckets of one second each
 * (lots sent in that second), so the window slides by whole seconds and the sum is exact. A
 * taker order counts its whole quantity when risk approves it, filled or not (what may be taken,
 * not what was). Event time that goes backwards adds to the newest bucket. Owned by the risk
 * engine's thread; not thread-safe; allocation-free after construction.
 */
final class TakerWindow {
    static final int BUCKETS = 60;
    private static final long SECOND = 1_000_000_000L;

    private final long[][] lots;
    /** per instrument: the second of event time its newest bucket stands for; Long.MIN_VALUE: none yet */
    private final long[] newestSecond;

    TakerWindow(int instruments) {
        lots = new long[instruments][BUCKETS];
        newestSecond = new long[instruments];
        Arrays.fill(newestSecond, Long.MIN_VALUE);
    }

    /** lots taken on {@code instrument} in the minute up to {@code nowNanos} (that second included) */
    long lastMinute(int instrument, long nowNanos) {
        advance(instrument, nowNanos);
        long sum = 0;
        for (long l : lots[instrument]) {
            sum += l;
        }
        return sum;
    }

    /** counts an approved taker order of {@code quantityLots} at {@code nowNanos} */
    void add(int instrument, long nowNanos, long quantityLots) {
        advance(instrument, nowNanos);
        lots[instrument][Math.floorMod(newestSecond[instrument], BUCKETS)] += quantityLots;
    }

    private void advance(int instrument, long nowNanos) {
        long second = Math.floorDiv(nowNanos, SECOND);
        long newest = newestSecond[instrument];
        if (newest != Long.MIN_VALUE && second <= newest) {
            return;
        }
        long[] row = lots[instrument];
        if (newest == Long.MIN_VALUE || second - newest >= BUCKETS) {
            Arrays.fill(row, 0);
        } else {
            for (long s = newest + 1; s <= second; s++) {
                row[Math.floorMod(s, BUCKETS)] = 0;
            }
        }
        newestSecond[instrument] = second;
    }

    void digestState(io.mme.core.digest.StateDigest digest) {
        for (int i = 0; i < lots.length; i++) {
            digest.putLong(newestSecond[i]);
            for (long l : lots[i]) {
                digest.putLong(l);
            }
        }
    }

    void writeState(CheckedStateWriter out) {
        out.putLongs(newestSecond);
        for (long[] row : lots) {
            out.putLongs(row);
        }
    }

    void readState(CheckedStateReader in) {
        in.getLongs(newestSecond, "taker window seconds");
        for (long[] row : lots) {
            in.getLongs(row, "taker window lots");
        }
    }
}
