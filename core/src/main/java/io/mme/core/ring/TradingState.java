package io.mme.core.ring;

/**
 * Whether the engine may trade, per instrument, per venue and globally; the most restrictive of the
 * three applies. Owned by the risk engine; other engines learn of changes from the CONTROL events
 * that make them.
 */
public enum TradingState {
    /** every order the limits allow */
    ACTIVE,
    /** only orders that bring the position closer to zero; cancels always */
    REDUCING,
    /** no new orders and no replaces; cancels always */
    HALTED;

    /** the more restrictive of the two */
    public TradingState strictest(TradingState other) {
        return other.ordinal() > ordinal() ? other : this;
    }
}
