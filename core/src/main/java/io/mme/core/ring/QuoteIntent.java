package io.mme.core.ring;

/**
 * One quote a strategy wants, written by the strategy engine into the slot of the event that
 * caused it, marked by the risk engine, turned into an order by the execution engine (the LMAX
 * pattern: one slot carries the whole decision, DESIGN.md). Ownership follows the chain: strategy
 * writes the order fields, risk writes only the verdict, execution only reads.
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
    private RiskVerdict verdict = RiskVerdict.PENDING;
    private int rejectCode;

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
        this.verdict = RiskVerdict.PENDING;
        this.rejectCode = 0;
        return this;
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
