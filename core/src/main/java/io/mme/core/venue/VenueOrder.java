package io.mme.core.venue;

import io.mme.core.ring.Side;

/**
 * An open order as the venue lists it.
 *
 * @param clientOrderId the venue's client order id text (ours decode with {@link ClientIdCodec})
 * @param venueOrderId  the venue's own order id text
 * @param instrumentId  our instrument id; -1 for a symbol the engine does not trade
 */
public record VenueOrder(String clientOrderId, String venueOrderId, int instrumentId, Side side, long priceTicks,
                         long quantityLots, long filledLots) {
    public long leavesLots() {
        return Math.max(0, quantityLots - filledLots);
    }
}
