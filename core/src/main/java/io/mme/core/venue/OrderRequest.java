package io.mme.core.venue;

import io.mme.core.instrument.Instrument;
import io.mme.core.ring.OrderCommand;
import io.mme.core.ring.OrderCommandType;
import io.mme.core.ring.Side;
import io.mme.core.ring.TimeInForce;

/**
 * An order command copied off the outbound ring for a gateway, which keeps it beyond the slot's
 * lifetime. Immutable.
 *
 * @param clientOrderId       the engine's id of the order (NEW, REPLACE: the order itself)
 * @param targetClientOrderId the order a CANCEL, REPLACE or STATUS is about
 */
public record OrderRequest(OrderCommandType type, long causeSequence, Instrument instrument, long clientOrderId,
                           long targetClientOrderId, Side side, long priceTicks, long quantityLots,
                           TimeInForce timeInForce, boolean postOnly, boolean market) {

    /** a copy of the slot's fields */
    public static OrderRequest of(OrderCommand c, Instrument instrument) {
        if (instrument.id() != c.instrumentId()) {
            throw new IllegalArgumentException("instrument " + instrument + " is not the command's " + c.instrumentId());
        }
        return new OrderRequest(c.type(), c.causeSequence(), instrument, c.clientOrderId(), c.targetClientOrderId(),
                c.side(), c.priceTicks(), c.quantityLots(), c.timeInForce(), c.postOnly(), c.market());
    }

    /** the order the request concerns: its own id for NEW, the target for the others */
    public long orderId() {
        return type == OrderCommandType.NEW ? clientOrderId : targetClientOrderId;
    }
}
