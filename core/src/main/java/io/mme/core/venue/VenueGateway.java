package io.mme.core.venue;

import io.mme.core.instrument.Instrument;
import io.mme.core.instrument.Venue;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A venue's order entry and private stream, as the engine uses it.
 *
 * <p>Contract:
 * <ul>
 *   <li>{@link #submit} is called by one thread only (the gateway's outbound consumer) and never
 *       blocks: the gateway queues the request and answers later through {@link GatewayReports};</li>
 *   <li>every request is answered by at least one report: NEW by ACCEPTED or REJECTED (or nothing
 *       when the outcome is unknown: the engine's acknowledgement timeout then asks STATUS), CANCEL by
 *       CANCELLED or CANCEL_REJECTED, REPLACE by REPLACED or CANCEL_REJECTED, STATUS by ORDER_STATUS;</li>
 *   <li>a NEW is sent at most once. A timeout or 5xx leaves the outcome unknown and is never followed
 *       by a blind resend; only a venue whose create is idempotent by client order id (Coinbase) may
 *       repeat the very same request;</li>
 *   <li>fills come from the private stream (or a status query) and are reported once per venue
 *       trade, whatever the stream repeats or reorders;</li>
 *   <li>the {@link RequestBudget} is consulted before every request; a NEW that does not fit is
 *       rejected with {@link GatewayRejectCode#THROTTLED} (never queued into a ban), cancels wait for
 *       room and are sent as soon as the budget allows.</li>
 * </ul>
 * The query methods ({@link #openOrders}, {@link #balances}, {@link #fees}, {@link #cancelAll}) may
 * be called from any thread; they go through the same budget.
 */
public interface VenueGateway extends AutoCloseable {
    Venue venue();

    /** paper, testnet or live */
    VenueMode mode();

    /**
     * Measures the server clock, connects the private stream and reconciles (the venue's open orders
     * and balances, see {@link GatewayReports#report} and {@link GatewayReports#recheckOpenOrders});
     * returns at once, the work runs on the gateway's threads. After every reconnect of the private
     * stream the gateway reconciles again.
     */
    void start(GatewayReports reports);

    /** queues one order command; never blocks (the outbound consumer's thread) */
    void submit(OrderRequest request);

    /** the venue's open orders on the gateway's instruments, ours and others' */
    CompletableFuture<List<VenueOrder>> openOrders();

    /** the account's balances */
    CompletableFuture<List<VenueBalance>> balances();

    /** the account's maker and taker rates for one instrument */
    CompletableFuture<VenueFees> fees(Instrument instrument);

    /**
     * Cancels every open order on the gateway's instruments (the venue's cancel-all where it has
     * one, else one cancel per open order); completes with the number cancelled.
     */
    CompletableFuture<Integer> cancelAll();

    /** what operations should see: connected, backing off, used budget, clock offset */
    GatewayStatus status();

    /** stops the threads and closes the connections; open orders stay on the venue */
    @Override
    void close();
}
