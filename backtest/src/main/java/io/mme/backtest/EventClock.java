package io.mme.backtest;

import io.mme.core.runtime.EpochClock;

/**
 * Event time: the clock every publisher of a backtest stamps events with, set by the driver to the
 * time of the event it is about to run (a recorded message's local receive time, a simulated
 * answer's arrival, a timer's tick). Never goes backwards. Thread: the backtest's thread.
 */
public final class EventClock implements EpochClock {
    private long now;

    public EventClock(long start) {
        this.now = start;
    }

    @Override
    public long epochNanos() {
        return now;
    }

    /** moves time to {@code t}; an earlier {@code t} leaves it where it is (events at one instant keep their order) */
    void advanceTo(long t) {
        if (t > now) {
            now = t;
        }
    }
}
