package io.mme.audit;

import io.mme.core.ring.OrderCommandType;
import io.mme.core.ring.Side;
import io.mme.core.ring.TimeInForce;
import net.openhft.chronicle.bytes.Bytes;

/**
 * One order command as {@link OrderJournalEngine} wrote it. Immutable; for the audit writers.
 *
 * @param causeSequence the inbound event that decided it; with {@code ordinal}, the idempotency key
 * @param recovered     decided again during a recovery: it may never have reached the venue
 */
public record OrderRecord(long causeSequence, int ordinal, OrderCommandType type, long timestampNanos, int venueId,
                          int instrumentId, long ownerId, long clientOrderId, long targetClientOrderId, Side side,
                          long priceTicks, long quantityLots, TimeInForce timeInForce, boolean postOnly, boolean market,
                          boolean recovered) {

    static OrderRecord read(Bytes<?> in) {
        if (in.readByte() != OrderJournalEngine.VERSION) {
            throw new JournalException("order record of another version");
        }
        long cause = in.readLong();
        int ordinal = in.readInt();
        OrderCommandType type = OrderCommandType.values()[in.readByte()];
        long ts = in.readLong();
        int venue = in.readInt();
        int instrument = in.readInt();
        long owner = in.readLong();
        long id = in.readLong();
        long target = in.readLong();
        byte side = in.readByte();
        long price = in.readLong();
        long qty = in.readLong();
        byte tif = in.readByte();
        return new OrderRecord(cause, ordinal, type, ts, venue, instrument, owner, id, target,
                side < 0 ? null : Side.values()[side], price, qty, tif < 0 ? null : TimeInForce.values()[tif],
                in.readBoolean(), in.readBoolean(), in.readBoolean());
    }
}
