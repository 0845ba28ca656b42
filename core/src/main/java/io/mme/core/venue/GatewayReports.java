package io.mme.core.venue;

import io.mme.core.instrument.Venue;
import io.mme.core.ring.ExecutionReport;

/**
 * Where a gateway puts what the venue said: into the inbound ring, where it is journaled before any
 * engine sees it. Every method may be called from any of the gateway's threads and may wait for
 * room in the ring (the gateway's threads are edges, never engine threads).
 */
public interface GatewayReports {
    /**
     * Publishes one execution report; the report is copied, so the caller may reuse it. The
     * {@code clientOrderId} is the engine's id (decoded with the gateway's {@link ClientIdCodec});
     * the owner is filled in by the implementation.
     *
     * <p>Reconciliation lists each of our orders open on the venue as an ORDER_STATUS report with
     * reason {@link GatewayRejectCode#RECONCILED}: the execution engine resolves the ones it holds and
     * applies the unknown-order policy to the ones it does not.
     */
    void report(ExecutionReport report);

    /**
     * Asks the execution engine to put every open order of {@code venue} in doubt and query its
     * status (after a reconnect or at start, when reports may have been missed).
     */
    void recheckOpenOrders(Venue venue);

    /** the outcome of a reconciliation, for the audit trail and the log */
    void reconciled(Reconciliation result);
}
