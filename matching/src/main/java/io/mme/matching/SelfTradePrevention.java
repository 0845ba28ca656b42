package io.mme.matching;

/**
 * What happens when an incoming order would trade with a resting order of the same owner.
 * The mode is the incoming order's.
 */
public enum SelfTradePrevention {
    /** self trades are allowed */
    NONE,
    /** the resting order is cancelled and matching goes on */
    CANCEL_RESTING,
    /** the rest of the incoming order is cancelled */
    CANCEL_INCOMING,
    /** both are cancelled */
    CANCEL_BOTH,
    /**
     * the smaller of the two is cancelled and the larger is decremented by the smaller's quantity,
     * with no trade; equal quantities cancel both
     */
    DECREMENT_AND_CANCEL
}
