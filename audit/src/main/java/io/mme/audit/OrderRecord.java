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
        long start = in.readPosition();
        byte version = in.readByte();
        if (version != OrderJournalEngine.VERSION) {
            throw new JournalException("order record version " + version + ", expected " + OrderJournalEngine.VERSION
                    + (version == 1 ? " (version 1 was written before records carried a check: this build cannot read it)" : ""));
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
        boolean postOnly = in.readBoolean();
        boolean market = in.readBoolean();
        boolean recovered = in.readBoolean();
        JournalFormat.verify(in, start, "order record of event " + cause + " (ordinal " + ordinal + ")");
        return new OrderRecord(cause, ordinal, type, ts, venue, instrument, owner, id, target,
                side < 0 ? null : Side.values()[side], price, qty, tif < 0 ? null : TimeInForce.values()[tif],
                postOnly, market, recovered);
    }
}
