package io.mme.core.venue;

import io.mme.core.instrument.Venue;

import java.util.List;

/**
 * What one reconciliation of a venue found.
 *
 * @param trigger           why it ran: "start" or "reconnect"
 * @param ourOrders         our orders open on the venue (listed to the engine by ORDER_STATUS)
 * @param foreignCancelled  venue order ids of orders not ours that were cancelled (policy cancel)
 * @param foreignLeft       venue order ids of orders not ours left alone (policy leave or adopt)
 * @param balances          the balances fetched
 * @param differences       human-readable lines: what differed from our records (empty: nothing)
 */
public record Reconciliation(Venue venue, String trigger, int ourOrders, List<String> foreignCancelled,
                             List<String> foreignLeft, List<VenueBalance> balances, List<String> differences) {
    public Reconciliation {
        foreignCancelled = List.copyOf(foreignCancelled);
        foreignLeft = List.copyOf(foreignLeft);
        balances = List.copyOf(balances);
        differences = List.copyOf(differences);
    }

    /** one line for the log and the audit trail */
    public String summary() {
        return venue.configName() + " reconciliation (" + trigger + "): " + ourOrders + " of our orders open on the venue, "
                + foreignCancelled.size() + " foreign cancelled, " + foreignLeft.size() + " foreign left, "
                + balances.size() + " balances" + (differences.isEmpty() ? ", no differences" : ", differences: " + String.join("; ", differences));
    }
}
