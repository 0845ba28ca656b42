package io.mme.app.venues;

import io.mme.core.instrument.Venue;
import io.mme.core.ring.ControlCommands;
import io.mme.core.ring.ExecutionReport;
import io.mme.core.ring.InboundEvent;
import io.mme.core.ring.InboundEventType;
import io.mme.core.runtime.InboundPublisher;
import io.mme.core.venue.GatewayReports;
import io.mme.core.venue.Reconciliation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A gateway's reports into the inbound ring, through the edge publisher (the gateways' threads are
 * edges: they may wait for room, never an engine thread). Execution reports get our account's owner
 * id; a re-check of a venue's open orders becomes a {@code orders.reconcile} control event naming
 * the venue; a reconciliation's outcome is logged and journaled as a {@code venue.reconciliation}
 * control event whose reason is the summary, so that the audit trail keeps what differed.
 *
 * <p>Thread-safe: the publisher is, and the rest is atomic.
 */
public final class RingGatewayReports implements GatewayReports {
    /** the control command that journals a reconciliation's outcome */
    public static final String RECONCILIATION = "venue.reconciliation";
    private static final Logger LOG = LoggerFactory.getLogger(RingGatewayReports.class);
    private static final int MAX_REASON = 2_000;

    private final InboundPublisher inbound;
    private final long ownerId;
    private final AtomicLong reports = new AtomicLong();
    private final CopyOnWriteArrayList<Reconciliation> reconciliations = new CopyOnWriteArrayList<>();

    private static final InboundPublisher.Writer<ExecutionReport> WRITE_REPORT = (event, r) ->
            event.executionReport().copyFrom(r);
    private static final InboundPublisher.Writer<Object[]> WRITE_CONTROL = (InboundEvent event, Object[] a) ->
            event.control().set((String) a[0], 0, (String) a[1], (String) a[2]).target((Integer) a[3], -1);

    public RingGatewayReports(InboundPublisher inbound, long ownerId) {
        this.inbound = inbound;
        this.ownerId = ownerId;
    }

    @Override
    public void report(ExecutionReport report) {
        report.owner(ownerId);
        try {
            inbound.publish(InboundEventType.EXECUTION_REPORT, WRITE_REPORT, report);
            reports.incrementAndGet();
        } catch (IllegalStateException closed) {
            // the engine is shutting down: the report cannot be journaled any more; the next start's
            // reconciliation asks the venue again, so it is named here rather than lost unseen
            LOG.warn("venue {}: {} of order {} ({} lots, leaves {}) arrived after the engine stopped taking input; "
                            + "the next start's reconciliation picks it up", report.venueId(), report.execType(), report.clientOrderId(),
                    report.lastQuantityLots(), report.leavesQuantityLots());
        }
    }

    @Override
    public void recheckOpenOrders(Venue venue) {
        inbound.publish(InboundEventType.CONTROL, WRITE_CONTROL,
                new Object[]{ControlCommands.RECONCILE, venue.configName(), venue.configName() + " reconnected", venue.id()});
    }

    @Override
    public void reconciled(Reconciliation result) {
        String summary = result.summary();
        if (result.differences().isEmpty()) {
            LOG.info(summary);
        } else {
            LOG.warn(summary);
        }
        reconciliations.add(result);
        String reason = summary.length() > MAX_REASON ? summary.substring(0, MAX_REASON) + "..." : summary;
        inbound.publish(InboundEventType.CONTROL, WRITE_CONTROL,
                new Object[]{RECONCILIATION, result.venue().configName(), reason, result.venue().id()});
    }

    /**
     * Relays a venue's order to stop sending into the ring as a {@code venue.backoff} control event,
     * so that risk refuses that venue's new orders until then in event time (journaled, replayable).
     */
    public void backingOff(Venue venue, long untilEpochMillis) {
        try {
            inbound.publish(InboundEventType.CONTROL, WRITE_BACKOFF, new long[]{venue.id(), untilEpochMillis});
        } catch (IllegalStateException closed) {
            LOG.debug("{} back-off until {} not relayed: the engine stopped taking input", venue.configName(), untilEpochMillis);
        }
    }

    private static final InboundPublisher.Writer<long[]> WRITE_BACKOFF = (InboundEvent event, long[] a) ->
            event.control().set(ControlCommands.VENUE_BACKOFF, 0, Venue.ofId((int) a[0]).configName(), "the venue told us to stop sending")
                    .target((int) a[0], -1).argument(null, a[1]);

    /** reports published; any thread */
    public long reports() {
        return reports.get();
    }

    /** every reconciliation so far, oldest first; any thread */
    public java.util.List<Reconciliation> reconciliations() {
        return java.util.List.copyOf(reconciliations);
    }
}
