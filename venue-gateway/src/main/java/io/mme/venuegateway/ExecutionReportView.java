package io.mme.venuegateway;

import io.mme.core.ring.Side;
import org.agrona.DirectBuffer;

import static io.mme.venuegateway.VenueProtocol.*;

/**
 * A flyweight over one EXECUTION_REPORT in a buffer (TCP or UDP): reads fields in place, allocates
 * nothing. Valid until the buffer it wraps is reused; owned by the thread that wrapped it.
 */
public final class ExecutionReportView {
    private DirectBuffer buffer;
    private int offset;

    ExecutionReportView wrap(DirectBuffer buffer, int offset) {
        this.buffer = buffer;
        this.offset = offset;
        return this;
    }

    /** one of the {@code EXEC_*} codes of {@link VenueProtocol} */
    public byte execType() {
        return buffer.getByte(offset + REPORT_EXEC_TYPE);
    }

    /** BUY, SELL, or null when the venue did not know the order's side */
    public Side side() {
        byte s = buffer.getByte(offset + REPORT_SIDE);
        return s == 0 ? Side.BUY : s == 1 ? Side.SELL : null;
    }

    public boolean maker() {
        return (buffer.getByte(offset + REPORT_FLAGS) & FLAG_MAKER) != 0;
    }

    public int instrument() {
        return buffer.getInt(offset + REPORT_INSTRUMENT);
    }

    public long clientOrderId() {
        return buffer.getLong(offset + REPORT_CLIENT_ORDER_ID);
    }

    public long venueOrderId() {
        return buffer.getLong(offset + REPORT_VENUE_ORDER_ID);
    }

    public long price() {
        return buffer.getLong(offset + REPORT_PRICE);
    }

    public long lastQuantity() {
        return buffer.getLong(offset + REPORT_LAST_QUANTITY);
    }

    public long lastPrice() {
        return buffer.getLong(offset + REPORT_LAST_PRICE);
    }

    public long leaves() {
        return buffer.getLong(offset + REPORT_LEAVES);
    }

    public long tradeId() {
        return buffer.getLong(offset + REPORT_TRADE_ID);
    }

    public long venueTimestamp() {
        return buffer.getLong(offset + REPORT_TIMESTAMP);
    }

    /** a RejectReason, CancelReason or GatewayReason code; 0 when none */
    public int reason() {
        return buffer.getInt(offset + REPORT_REASON);
    }

    public long sessionId() {
        return buffer.getLong(offset + REPORT_SESSION_ID);
    }

    @Override
    public String toString() {
        return "ExecutionReport[type=" + execType() + " clOrdId=" + clientOrderId() + " venueId=" + venueOrderId()
                + " side=" + side() + " price=" + price() + " lastQty=" + lastQuantity() + " lastPx=" + lastPrice()
                + " leaves=" + leaves() + " reason=" + reason() + " session=" + sessionId() + "]";
    }
}
