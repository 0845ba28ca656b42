package io.mme.core.ring;

/**
 * The venue-neutral form of one market data item. A part of {@link InboundEvent}: preallocated,
 * overwritten in place by the publisher, read by the engines that follow. Prices are ticks and
 * quantities lots of the instrument; no floating point.
 */
public final class MarketDataUpdate {
    private MarketDataKind kind;
    private int venueId;
    private int instrumentId;
    private Side side;
    private long priceTicks;
    private long quantityLots;
    /** second price/quantity pair: the ask of a best bid/offer */
    private long otherPriceTicks;
    private long otherQuantityLots;
    /** for the L3 kinds: the venue's order id */
    private long orderId;
    private long venueSequence;
    private long venueTimestampNanos;
    private long receiveTimestampNanos;
    /** last item decoded from one venue message: integrity checks run at this boundary */
    private boolean endOfMessage;
    private boolean bookValid;

    /** fills every field; a writer never leaves stale values of the previous lap */
    public MarketDataUpdate set(MarketDataKind kind, int venueId, int instrumentId, Side side,
                                long priceTicks, long quantityLots, long venueSequence,
                                long venueTimestampNanos, long receiveTimestampNanos, boolean endOfMessage) {
        this.kind = kind;
        this.venueId = venueId;
        this.instrumentId = instrumentId;
        this.side = side;
        this.priceTicks = priceTicks;
        this.quantityLots = quantityLots;
        this.otherPriceTicks = 0;
        this.otherQuantityLots = 0;
        this.orderId = 0;
        this.venueSequence = venueSequence;
        this.venueTimestampNanos = venueTimestampNanos;
        this.receiveTimestampNanos = receiveTimestampNanos;
        this.endOfMessage = endOfMessage;
        this.bookValid = true;
        return this;
    }

    /** for {@link MarketDataKind#BEST_BID_OFFER}: the ask side after {@link #set} wrote the bid */
    public MarketDataUpdate otherSide(long priceTicks, long quantityLots) {
        this.otherPriceTicks = priceTicks;
        this.otherQuantityLots = quantityLots;
        return this;
    }

    /** for the L3 kinds ({@link MarketDataKind#ORDER_ADDED} and the like) */
    public MarketDataUpdate orderId(long orderId) {
        this.orderId = orderId;
        return this;
    }

    /** for {@link MarketDataKind#BOOK_STATE} */
    public MarketDataUpdate bookValid(boolean valid) {
        this.bookValid = valid;
        return this;
    }

    /** copies every field of {@code other} into this part */
    public void copyFrom(MarketDataUpdate other) {
        set(other.kind, other.venueId, other.instrumentId, other.side, other.priceTicks, other.quantityLots,
                other.venueSequence, other.venueTimestampNanos, other.receiveTimestampNanos, other.endOfMessage);
        otherSide(other.otherPriceTicks, other.otherQuantityLots);
        bookValid(other.bookValid);
        orderId(other.orderId);
    }

    public MarketDataKind kind() {
        return kind;
    }

    public int venueId() {
        return venueId;
    }

    public int instrumentId() {
        return instrumentId;
    }

    public Side side() {
        return side;
    }

    public long priceTicks() {
        return priceTicks;
    }

    public long quantityLots() {
        return quantityLots;
    }

    public long otherPriceTicks() {
        return otherPriceTicks;
    }

    public long otherQuantityLots() {
        return otherQuantityLots;
    }

    public long orderId() {
        return orderId;
    }

    public long venueSequence() {
        return venueSequence;
    }

    public long venueTimestampNanos() {
        return venueTimestampNanos;
    }

    public long receiveTimestampNanos() {
        return receiveTimestampNanos;
    }

    public boolean endOfMessage() {
        return endOfMessage;
    }

    public boolean bookValid() {
        return bookValid;
    }
}
