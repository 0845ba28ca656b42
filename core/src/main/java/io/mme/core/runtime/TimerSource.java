package io.mme.core.runtime;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

/**
 * Publishes a TIMER event into the inbound ring at a fixed period, so that engines have a clock
 * that is part of the sequenced input: quote ages, stale-feed checks and throttles read the
 * timestamp of these events, and a replay sees the same ticks. Owns one daemon thread.
 */
public final class TimerSource implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TimerSource.class);

    private final Thread thread;
    private volatile boolean running = true;

    public TimerSource(InboundPublisher publisher, Duration period) {
        if (period.isNegative() || period.isZero()) {
            throw new IllegalArgumentException("timer period " + period + " must be positive");
        }
        long periodNanos = period.toNanos();
        thread = new Thread(() -> {
            long next = System.nanoTime() + periodNanos;
            while (running) {
                long wait = next - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(wait);
                    continue;
                }
                next += periodNanos;
                try {
                    publisher.publishTimer();
                } catch (IllegalStateException closed) {
                    if (running) {
                        LOG.info("timer source stops: {}", closed.getMessage());
                    }
                    return;
                }
            }
        }, "mme-timer");
        thread.setDaemon(true);
    }

    public TimerSource start() {
        thread.start();
        return this;
    }

    @Override
    public void close() {
        running = false;
        LockSupport.unpark(thread);
        try {
            thread.join(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
