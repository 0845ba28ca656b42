package io.mme.execution;

import io.mme.core.instrument.Venue;
import io.mme.core.venue.UnknownOrderPolicy;

import java.util.Map;
import java.util.TreeMap;

/**
 * The execution engine's settings. Immutable; built at start-up.
 *
 * @param ownerId                 the account our orders carry (reports for other owners are not ours)
 * @param postOnly                whether NEW (and REPLACE) commands are post-only
 * @param ackTimeoutNanos         how long an acknowledgement may take (event time) before the order
 *                                goes UNKNOWN and its status is queried; also the wait between queries
 * @param maxStatusQueries        status queries per order in doubt before it is left UNKNOWN and reported
 * @param orderCapacity           open orders the table holds (preallocated)
 * @param recentTerminalCapacity  ended orders remembered, so that late fills and late reports for them
 *                                are told apart from reports for ids never seen
 * @param venueCount              venue ids are {@code 0..venueCount-1}
 * @param gateways                the routing table: venue id → the gateway that trades it (an outbound
 *                                consumer's name); a venue with no entry gets a synthetic reject
 * @param unknownOrders           what to do with an order of ours (our client-id tag) that reconciliation
 *                                finds open on a venue and the engine does not hold
 */
public record ExecutionConfig(long ownerId, boolean postOnly, long ackTimeoutNanos, int maxStatusQueries,
                              int orderCapacity, int recentTerminalCapacity, int venueCount,
                              Map<Integer, String> gateways, UnknownOrderPolicy unknownOrders) {
    /** the paper venue's outbound consumer name */
    public static final String PAPER = "paper";
    public static final long DEFAULT_OWNER = 1;
    public static final long DEFAULT_ACK_TIMEOUT_NANOS = 2_000_000_000L;
    public static final int DEFAULT_MAX_STATUS_QUERIES = 3;
    public static final int DEFAULT_ORDER_CAPACITY = 1 << 14;
    public static final int DEFAULT_RECENT_TERMINAL_CAPACITY = 1 << 14;

    public ExecutionConfig {
        if (ackTimeoutNanos <= 0) {
            throw new IllegalArgumentException("ackTimeoutNanos must be positive: " + ackTimeoutNanos);
        }
        if (maxStatusQueries < 1) {
            throw new IllegalArgumentException("maxStatusQueries must be at least 1: " + maxStatusQueries);
        }
        if (orderCapacity < 1 || recentTerminalCapacity < 1) {
            throw new IllegalArgumentException("orderCapacity and recentTerminalCapacity must be positive: "
                    + orderCapacity + ", " + recentTerminalCapacity);
        }
        if (venueCount < 1) {
            throw new IllegalArgumentException("venueCount must be positive: " + venueCount);
        }
        for (Map.Entry<Integer, String> route : gateways.entrySet()) {
            if (route.getKey() < 0 || route.getKey() >= venueCount) {
                throw new IllegalArgumentException("route for venue " + route.getKey() + " outside 0.." + (venueCount - 1));
            }
            if (route.getValue() == null || route.getValue().isBlank()) {
                throw new IllegalArgumentException("route for venue " + route.getKey() + " names no gateway");
            }
        }
        gateways = Map.copyOf(gateways);
        if (unknownOrders == null) {
            unknownOrders = UnknownOrderPolicy.CANCEL;
        }
    }

    /** every venue of {@link Venue} routed to the paper venue, with the defaults above */
    public static ExecutionConfig defaults() {
        Map<Integer, String> routes = new TreeMap<>();
        for (Venue v : Venue.values()) {
            routes.put(v.id(), PAPER);
        }
        return new ExecutionConfig(DEFAULT_OWNER, true, DEFAULT_ACK_TIMEOUT_NANOS, DEFAULT_MAX_STATUS_QUERIES,
                DEFAULT_ORDER_CAPACITY, DEFAULT_RECENT_TERMINAL_CAPACITY, Venue.values().length, routes,
                UnknownOrderPolicy.CANCEL);
    }

    public ExecutionConfig withGateways(Map<Integer, String> routes) {
        return new ExecutionConfig(ownerId, postOnly, ackTimeoutNanos, maxStatusQueries, orderCapacity,
                recentTerminalCapacity, venueCount, routes, unknownOrders);
    }

    public ExecutionConfig withAckTimeout(long nanos, int maxQueries) {
        return new ExecutionConfig(ownerId, postOnly, nanos, maxQueries, orderCapacity, recentTerminalCapacity,
                venueCount, gateways, unknownOrders);
    }

    public ExecutionConfig withCapacity(int orders, int recentTerminal) {
        return new ExecutionConfig(ownerId, postOnly, ackTimeoutNanos, maxStatusQueries, orders, recentTerminal,
                venueCount, gateways, unknownOrders);
    }

    public ExecutionConfig withUnknownOrders(UnknownOrderPolicy policy) {
        return new ExecutionConfig(ownerId, postOnly, ackTimeoutNanos, maxStatusQueries, orderCapacity,
                recentTerminalCapacity, venueCount, gateways, policy);
    }

    /** the gateway of {@code venueId}, or null when the venue is not routed */
    public String gatewayOf(int venueId) {
        return gateways.get(venueId);
    }
}
