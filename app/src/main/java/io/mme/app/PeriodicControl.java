package io.mme.app;

import io.mme.core.ring.InboundEvent;
import io.mme.core.runtime.InboundPublisher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

/**
 * Publishes one control command into the inbound ring at a fixed period (the state snapshot
 * command): a daemon thread, like the timer source. What it publishes is journaled like any input,
 * so a replay sees the same commands at the same places.
 */
final class PeriodicControl implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PeriodicControl.class);

    private final Thread thread;
    private volatile boolean running = true;

    PeriodicControl(InboundPublisher publisher, Duration period, String command, String principal, String reason) {
        long periodNanos = period.toNanos();
        String[] what = {command, principal, reason};
        InboundPublisher.Writer<String[]> writer = (InboundEvent event, String[] w) -> event.control().set(w[0], 0, w[1], w[2]).target(-1, -1);
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
                    publisher.publish(io.mme.core.ring.InboundEventType.CONTROL, writer, what);
                } catch (IllegalStateException closed) {
                    if (running) {
                        LOG.info("periodic {} stops: {}", command, closed.getMessage());
                    }
                    return;
                }
            }
        }, "mme-" + command);
        thread.setDaemon(true);
    }

    PeriodicControl start() {
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
