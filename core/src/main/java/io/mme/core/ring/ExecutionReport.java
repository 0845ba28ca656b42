package io.mme.core.ring;

/**
 * An execution report as the engine sees it, whichever venue sent it. A part of
 * {@link InboundEvent}: preallocated and overwritten in place.
 */
public final class ExecutionReport {
    private ExecType execType;
    private int venueId;
    private int instrumentId;
    private long clientOrderId;
    private long venueOrderId;
    private Side side;
    private long priceTicks;
    private long lastQuantityLots;
    private long lastPriceTicks;
    private long leavesQuantityLots;
    private long tradeId;
    private boolean maker;
    /** for REJECTED / CANCEL_REJECTED: why; for CANCELLED: why (the venue's or the book's code) */
    private int reasonCode;
    private long ownerId;
    private long venueTimestampNanos;

    /** fills the order-level fields and clears the fill fields */
    public ExecutionReport set(ExecType execType, int venueId, int instrumentId, long clientOrderId,
                               long venueOrderId, Side side, long priceTicks, long leavesQuantityLots,
                               long venueTimestampNanos) {
        this.execType = execType;
        this.venueId = venueId;
        this.instrumentId = instrumentId;
        this.clientOrderId = clientOrderId;
        this.venueOrderId = venueOrderId;
        this.side = side;
        this.priceTicks = priceTicks;
        this.leavesQuantityLots = leavesQuantityLots;
        this.venueTimestampNanos = venueTimestampNanos;
        this.lastQuantityLots = 0;
        this.lastPriceTicks = 0;
        this.tradeId = 0;
        this.maker = false;
        this.reasonCode = 0;
        this.ownerId = 0;
        return this;
    }

    /**
     * For fills: the trade that filled part or all of the order. For CANCELLED:
     * {@code lastQuantityLots} is the quantity cancelled (a cancel that leaves quantity is partial).
     */
    public ExecutionReport fill(long tradeId, long lastPriceTicks, long lastQuantityLots, boolean maker) {
        this.tradeId = tradeId;
        this.lastPriceTicks = lastPriceTicks;
        this.lastQuantityLots = lastQuantityLots;
        this.maker = maker;
        return this;
    }

    /** for CANCELLED: how much was cancelled (kept in the last-quantity field) */
    public ExecutionReport cancelledQuantity(long lots) {
        this.lastQuantityLots = lots;
        return this;
    }

    /** for ORDER_STATUS: the venue's cumulative filled quantity of the order (kept in the last-quantity field) */
    public ExecutionReport cumulativeQuantity(long lots) {
        this.lastQuantityLots = lots;
        return this;
    }

    /** for rejects and cancels: the venue's or the engine's reason code */
    public ExecutionReport reason(int reasonCode) {
        this.reasonCode = reasonCode;
        return this;
    }

    /** the account that owns the order (the paper venue's owner id; 0 when the venue does not say) */
    public ExecutionReport owner(long ownerId) {
        this.ownerId = ownerId;
        return this;
    }

    /** copies every field of {@code other} into this part */
    public void copyFrom(ExecutionReport other) {
        set(other.execType, other.venueId, other.instrumentId, other.clientOrderId, other.venueOrderId,
                other.side, other.priceTicks, other.leavesQuantityLots, other.venueTimestampNanos);
        fill(other.tradeId, other.lastPriceTicks, other.lastQuantityLots, other.maker);
        reason(other.reasonCode);
        owner(other.ownerId);
    }

    public ExecType execType() {
        return execType;
    }

    public int venueId() {
        return venueId;
    }

    public int instrumentId() {
        return instrumentId;
    }

    public long clientOrderId() {
        return clientOrderId;
    }

    public long venueOrderId() {
        return venueOrderId;
    }

    public Side side() {
        return side;
    }

    public long priceTicks() {
        return priceTicks;
    }

    public long lastQuantityLots() {
        return lastQuantityLots;
    }

    public long lastPriceTicks() {
        return lastPriceTicks;
    }

    public long leavesQuantityLots() {
        return leavesQuantityLots;
    }

    public long tradeId() {
        return tradeId;
    }

    public boolean maker() {
        return maker;
    }

    public int reasonCode() {
        return reasonCode;
    }

    public long ownerId() {
        return ownerId;
    }

    public long venueTimestampNanos() {
        return venueTimestampNanos;
    }
}
