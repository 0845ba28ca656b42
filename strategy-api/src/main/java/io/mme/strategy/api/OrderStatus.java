package io.mme.strategy.api;

/** What the engine knows of our order in one quote slot, from the venue's execution reports. */
public enum OrderStatus {
    /** no order in the slot */
    NONE,
    /** sent, not yet acknowledged */
    PENDING_NEW,
    /** resting at the known price and leaves quantity */
    LIVE,
    /** a replace is in flight; the old price and quantity stand until it is confirmed */
    PENDING_REPLACE,
    /** a cancel is in flight */
    PENDING_CANCEL
}
