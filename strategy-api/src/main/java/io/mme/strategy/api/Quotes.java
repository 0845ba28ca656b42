package io.mme.strategy.api;

/**
 * The quotes a strategy wants, per instrument (index in {@link MarketView}), side and level: a price
 * in 10^-9 quote units (a double: the engine rounds it to the venue's tick in the safe direction,
 * bids down and asks up, and keeps it off the venue's touch) and a size in 10^-9 base units (rounded
 * down to the venue's lot; under the venue's minimum quantity or notional nothing is quoted).
 *
 * <p>Cleared by the engine before each {@link Strategy#quote} call: a slot left unset means "no
 * quote there", and a live quote in it is cancelled. The engine decides when a live quote is worth
 * replacing (anti-churn), so a strategy simply says what it wants every time. Only valid during
 * {@link Strategy#quote}; engine thread.
 */
public interface Quotes {
    /**
     * Wants a quote. A level at or beyond {@link #levels()}, an instrument out of range, a price
     * that is not a positive finite number or a size that is not positive is ignored.
     *
     * @param instrument the instrument's index in the strategy's view, 0..{@link MarketView#instruments()}-1
     * @param level      0 is the level nearest the touch
     * @param priceNanos 10^-9 quote units
     * @param sizeNanos  10^-9 base units
     */
    void set(int instrument, Side side, int level, double priceNanos, long sizeNanos);

    /** levels per side the engine has quote slots for (the configuration's maxLevels) */
    int levels();
}
