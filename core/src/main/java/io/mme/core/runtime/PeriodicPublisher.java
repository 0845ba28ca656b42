package io.mme.core.runtime;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

/**
 * Runs one publishing action at a fixed period on a daemon thread of its own: the timer's TIMER
 * events, the app's periodic control commands. What it publishes goes into the inbound ring like any
 * input, so a replay sees the same events at the same places. It stops when closed, or when the
 * publisher refuses (the pipeline is shutting down).
 */
public class PeriodicPublisher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PeriodicPublisher.class);

    private final Thread thread;
    private volatile boolean running = true;

    /**
     * @param name    the thread's name
     * @param period  how often
     * @param publish one publish; an IllegalStateException from it (a closed publisher) ends the thread
     */
    public PeriodicPublisher(String name, Duration period, Runnable publish) {
        if (period.isNegative() || period.isZero()) {
            throw new IllegalArgumentException(name + " period " + period + " must be positive");
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
                    publish.run();
                } catch (IllegalStateException closed) {
                    if (running) {
                        LOG.info("{} stops: {}", name, closed.getMessage());
                    }
                    return;
                }
            }
        }, name);
        thread.setDaemon(true);
    }

    public PeriodicPublisher start() {
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
