package io.mme.app;

import io.mme.core.ring.InboundEvent;
import io.mme.core.ring.InboundEventType;
import io.mme.core.runtime.InboundPublisher;
import io.mme.core.runtime.PeriodicPublisher;

import java.time.Duration;

/**
 * Publishes one control command into the inbound ring at a fixed period (the state snapshot
 * command), journaled like any input, so a replay sees the same commands at the same places.
 */
final class PeriodicControl extends PeriodicPublisher {
    private static final InboundPublisher.Writer<String[]> WRITE = (InboundEvent event, String[] w) ->
            event.control().set(w[0], 0, w[1], w[2]).target(-1, -1);

    PeriodicControl(InboundPublisher publisher, Duration period, String command, String principal, String reason) {
        super("mme-" + command, period, periodic(publisher, new String[]{command, principal, reason}));
    }

    private static Runnable periodic(InboundPublisher publisher, String[] what) {
        return () -> publisher.publish(InboundEventType.CONTROL, WRITE, what);
    }
}
