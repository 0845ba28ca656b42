package io.mme.core.ring;

/**
 * One slot of the outbound ring: an order command from the execution engine to the venue gateway
 * or the paper venue. Preallocated and overwritten in place. The execution engine is the single
 * producer; outbound consumers only read.
 */
public final class OrderCommand {
    private long sequence = -1;
    private OrderCommandType type;
    private long timestampNanos;
    /** the inbound sequence of the decision that produced this command: the audit link */
    private long causeSequence;
    private int venueId;
    private int instrumentId;
    private long ownerId;
    private long clientOrderId;
    private long targetClientOrderId;
    private Side side;
    private long priceTicks;
    private long quantityLots;
    private TimeInForce timeInForce;
    private boolean postOnly;
    private boolean market;
    /** the monotonic receive time of the inbound event that caused the command, for latency only */
    private long causeReceivedNanos;
    /** the monotonic time the command was published, stamped by the outbound publisher */
    private long publishedNanos;
    /**
     * set by the outbound publisher while a restarted engine re-runs the journal's tail: the command
     * was decided before the crash and may or may not have reached the venue, so no gateway sends
     * it (the engine reconciles by status queries instead); the order journal records it if it had
     * not yet
     */
    private boolean recovered;

    /** starts a lap of this slot; called by the outbound publisher only, after claiming it */
    public void begin(long sequence, OrderCommandType type) {
        this.sequence = sequence;
        this.type = type;
        this.causeReceivedNanos = 0;
        this.publishedNanos = 0;
        this.recovered = false;
    }

    /** marks a command re-decided during recovery; the outbound publisher (the runtime) only */
    public void recovered(boolean recovered) {
        this.recovered = recovered;
    }

    /** true for a command re-decided while recovering: gateways must not send it */
    public boolean recovered() {
        return recovered;
    }

    /**
     * Writes the order fields; called by the producer's writer between claim and publish.
     *
     * @param timestampNanos the time of the inbound event that caused the command (engine time)
     */
    public OrderCommand set(long timestampNanos, long causeSequence,
                            int venueId, int instrumentId, long ownerId, long clientOrderId,
                            long targetClientOrderId, Side side, long priceTicks, long quantityLots,
                            TimeInForce timeInForce, boolean postOnly) {
        this.timestampNanos = timestampNanos;
        this.causeSequence = causeSequence;
        this.venueId = venueId;
        this.instrumentId = instrumentId;
        this.ownerId = ownerId;
        this.clientOrderId = clientOrderId;
        this.targetClientOrderId = targetClientOrderId;
        this.side = side;
        this.priceTicks = priceTicks;
        this.quantityLots = quantityLots;
        this.timeInForce = timeInForce;
        this.postOnly = postOnly;
        this.market = false;
        return this;
    }

    /** makes a NEW a market order: it takes what the book offers at any price and never rests */
    public OrderCommand market(boolean market) {
        this.market = market;
        return this;
    }

    /**
     * Carries the cause's receive time ({@link InboundEvent#receivedNanos()}) for latency
     * measurement; never read by a decision.
     */
    public OrderCommand causeReceivedNanos(long nanos) {
        this.causeReceivedNanos = nanos;
        return this;
    }

    /** stamped by the outbound publisher (the runtime) after the writer ran */
    public void publishedNanos(long nanos) {
        this.publishedNanos = nanos;
    }

    public long causeReceivedNanos() {
        return causeReceivedNanos;
    }

    public long publishedNanos() {
        return publishedNanos;
    }

    public long sequence() {
        return sequence;
    }

    public OrderCommandType type() {
        return type;
    }

    public long timestampNanos() {
        return timestampNanos;
    }

    public long causeSequence() {
        return causeSequence;
    }

    public int venueId() {
        return venueId;
    }

    public int instrumentId() {
        return instrumentId;
    }

    public long ownerId() {
        return ownerId;
    }

    public long clientOrderId() {
        return clientOrderId;
    }

    public long targetClientOrderId() {
        return targetClientOrderId;
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

    public TimeInForce timeInForce() {
        return timeInForce;
    }

    public boolean postOnly() {
        return postOnly;
    }

    public boolean market() {
        return market;
    }
}
