package io.mme.execution;

import io.mme.core.digest.StateDigest;
import io.mme.core.ring.OrderCommand;
import io.mme.core.ring.OrderCommandType;
import io.mme.core.ring.Side;
import io.mme.core.ring.TimeInForce;

/**
 * The fields of the next order command, filled by the engine and copied into the claimed outbound
 * slot by a non-capturing writer, so that publishing allocates nothing. One reused instance, owned
 * by the execution engine's thread.
 */
final class CommandDraft {
    OrderCommandType type;
    long timestampNanos;
    long causeSequence;
    int venueId;
    int instrumentId;
    long ownerId;
    long clientOrderId;
    long targetClientOrderId;
    Side side;
    long priceTicks;
    long quantityLots;
    boolean postOnly;
    TimeInForce timeInForce = TimeInForce.GTC;
    long causeReceivedNanos;

    CommandDraft set(OrderCommandType type, long timestampNanos, long causeSequence, long causeReceivedNanos,
                     int venueId, int instrumentId, long ownerId, long clientOrderId, long targetClientOrderId,
                     Side side, long priceTicks, long quantityLots, boolean postOnly) {
        this.type = type;
        this.timestampNanos = timestampNanos;
        this.causeSequence = causeSequence;
        this.causeReceivedNanos = causeReceivedNanos;
        this.venueId = venueId;
        this.instrumentId = instrumentId;
        this.ownerId = ownerId;
        this.clientOrderId = clientOrderId;
        this.targetClientOrderId = targetClientOrderId;
        this.side = side;
        this.priceTicks = priceTicks;
        this.quantityLots = quantityLots;
        this.postOnly = postOnly;
        this.timeInForce = TimeInForce.GTC;
        return this;
    }

    /** after {@link #set}: an IOC (taker) order, never post-only */
    CommandDraft immediateOrCancel() {
        this.timeInForce = TimeInForce.IOC;
        this.postOnly = false;
        return this;
    }

    void writeTo(OrderCommand command) {
        command.set(timestampNanos, causeSequence, venueId, instrumentId, ownerId, clientOrderId, targetClientOrderId,
                        side, priceTicks, quantityLots, timeInForce, postOnly)
                .causeReceivedNanos(causeReceivedNanos);
    }

    /** folds the command's decision fields into a running hash */
    long mixInto(long hash) {
        long h = StateDigest.mix(hash, type.ordinal());
        h = StateDigest.mix(h, venueId);
        h = StateDigest.mix(h, instrumentId);
        h = StateDigest.mix(h, clientOrderId);
        h = StateDigest.mix(h, targetClientOrderId);
        h = StateDigest.mix(h, side == null ? -1 : side.ordinal());
        h = StateDigest.mix(h, priceTicks);
        h = StateDigest.mix(h, quantityLots);
        if (timeInForce != TimeInForce.GTC) {
            // GTC commands hash as before this field existed
            h = StateDigest.mix(h, 100 + timeInForce.ordinal());
        }
        return StateDigest.mix(h, causeSequence);
    }
}
