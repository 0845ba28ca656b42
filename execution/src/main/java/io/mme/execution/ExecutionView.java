package io.mme.execution;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The console's view of the execution engine: its counters per venue, published by the engine's
 * thread on TIMER events (release stores, nothing allocated) and readable from any thread (acquire
 * loads). Values of one publish are not read as one snapshot: each is the latest published.
 *
 * <p>Rows are venue ids {@code 0..venueCount()-1}; row {@code venueCount()} gathers intents and
 * reports that name a venue id outside that range.
 */
public final class ExecutionView {
    private final int venueCount;
    private final AtomicLongArray values;

    ExecutionView(int venueCount) {
        this.venueCount = venueCount;
        this.values = new AtomicLongArray((venueCount + 1) * ExecutionCounter.ALL.length);
    }

    public int venueCount() {
        return venueCount;
    }

    /** the last published value of {@code counter} for {@code row} (a venue id, or venueCount() for "other") */
    public long get(int row, ExecutionCounter counter) {
        if (row < 0 || row > venueCount) {
            throw new IndexOutOfBoundsException("row " + row + " of 0.." + venueCount);
        }
        return values.getAcquire(row * ExecutionCounter.ALL.length + counter.ordinal());
    }

    /** the sum over every row */
    public long total(ExecutionCounter counter) {
        long sum = 0;
        for (int row = 0; row <= venueCount; row++) {
            sum += get(row, counter);
        }
        return sum;
    }

    /** engine thread only */
    void publish(long[] counters) {
        for (int i = 0; i < counters.length; i++) {
            values.setRelease(i, counters[i]);
        }
    }
}
