package io.mme.strategy;

/** What the strategy engine knows of the order in one quote slot, from our execution reports. */
public enum SlotState {
    /** no order */
    EMPTY,
    /** a PLACE went out; waiting for ACCEPTED or REJECTED */
    PENDING_NEW,
    /** the order rests at the known price and leaves quantity */
    LIVE,
    /** a REPLACE went out; the old price and quantity stand until REPLACED or CANCEL_REJECTED */
    PENDING_REPLACE,
    /** a CANCEL went out; waiting for CANCELLED (or CANCEL_REJECTED) */
    PENDING_CANCEL
}
