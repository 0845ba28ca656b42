package io.mme.core.runtime;

import java.time.Duration;

/**
 * Publishes a TIMER event into the inbound ring at a fixed period, so that engines have a clock
 * that is part of the sequenced input: quote ages, stale-feed checks and throttles read the
 * timestamp of these events, and a replay sees the same ticks. Owns one daemon thread.
 */
public final class TimerSource extends PeriodicPublisher {
    public TimerSource(InboundPublisher publisher, Duration period) {
        super("mme-timer", period, publisher::publishTimer);
    }

    @Override
    public TimerSource start() {
        super.start();
        return this;
    }
}
