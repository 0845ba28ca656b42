package io.mme.core.ring;

/**
 * One quote a strategy wants, written by the strategy engine into the slot of the event that
 * caused it, marked by the risk engine, turned into an order by the execution engine (the LMAX
 * pattern: one slot carries the whole decision, DESIGN.md). Ownership follows the chain: strategy
 * writes the order fields, risk writes only the verdict, execution only reads.
 *
 * <p>A quote (GTC, post-only, in a quote slot at {@code level}) is the usual intent; a <em>taker</em>
 * intent ({@link #taker}) is a PLACE with {@link TimeInForce#IOC}: it takes what the venue's book
 * offers up to its limit price and the rest is cancelled; it has no quote slot (level
 * {@value #TAKER_LEVEL}).
 */
public final class QuoteIntent {
    private QuoteAction action;
    private int venueId;
    private int instrumentId;
    private Side side;
    private int level;
    private long priceTicks;
    private long quantityLots;
    /** the live order this intent replaces or cancels; 0 for a new one */
    private long targetClientOrderId;
    private TimeInForce timeInForce = TimeInForce.GTC;
    private RiskVerdict verdict = RiskVerdict.PENDING;
    private int rejectCode;

    /** the level of a taker intent: it has no quote slot */
    public static final int TAKER_LEVEL = -1;

    /** written by the strategy engine; resets the verdict */
    public QuoteIntent set(QuoteAction action, int venueId, int instrumentId, Side side, int level,
                           long priceTicks, long quantityLots, long targetClientOrderId) {
        this.action = action;
        this.venueId = venueId;
        this.instrumentId = instrumentId;
        this.side = side;
        this.level = level;
        this.priceTicks = priceTicks;
        this.quantityLots = quantityLots;
        this.targetClientOrderId = targetClientOrderId;
        this.timeInForce = TimeInForce.GTC;
        this.verdict = RiskVerdict.PENDING;
        this.rejectCode = 0;
        return this;
    }

    /**
     * A taker order (written by the strategy engine): an IOC PLACE at a limit price that may cross
     * the venue's book; resets the verdict.
     */
    public QuoteIntent taker(int venueId, int instrumentId, Side side, long limitPriceTicks, long quantityLots) {
        set(QuoteAction.PLACE, venueId, instrumentId, side, TAKER_LEVEL, limitPriceTicks, quantityLots, 0);
        this.timeInForce = TimeInForce.IOC;
        return this;
    }

    /** GTC for a quote, IOC for a taker order */
    public TimeInForce timeInForce() {
        return timeInForce;
    }

    /** true for a taker (IOC) order */
    public boolean isTaker() {
        return timeInForce != TimeInForce.GTC;
    }

    /** written by the risk engine only */
    public void approve() {
        this.verdict = RiskVerdict.APPROVED;
        this.rejectCode = 0;
    }

    /** written by the risk engine only */
    public void reject(int rejectCode) {
        this.verdict = RiskVerdict.REJECTED;
        this.rejectCode = rejectCode;
    }

    public QuoteAction action() {
        return action;
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

    public int level() {
        return level;
    }

    public long priceTicks() {
        return priceTicks;
    }

    public long quantityLots() {
        return quantityLots;
    }

    public long targetClientOrderId() {
        return targetClientOrderId;
    }

    public RiskVerdict verdict() {
        return verdict;
    }

    public int rejectCode() {
        return rejectCode;
    }
}
