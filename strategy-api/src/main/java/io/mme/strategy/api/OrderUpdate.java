package io.mme.strategy.api;

/** What happened to one of our orders, as {@link Strategy#onOrderUpdate} reports it (fills go to {@link Strategy#onFill}). */
public enum OrderUpdate {
    /** the venue acknowledged a new order: it rests */
    ACKNOWLEDGED,
    /** the venue confirmed a replace: the order rests at its new price and size */
    REPLACED,
    /** the venue refused a new order (the reason comes with the update) */
    REJECTED,
    /** the venue refused a cancel or replace: the order stands as it was */
    CANCEL_REJECTED,
    /** the order left the book at the strategy's request (the engine cancelled a quote no longer wanted) */
    CANCELLED,
    /**
     * The order left the book without the strategy asking: the venue expired or cancelled it, or
     * risk or a kill switch had it cancelled
     */
    EXPIRED
}
