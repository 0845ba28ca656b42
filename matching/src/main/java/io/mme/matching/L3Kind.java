package io.mme.matching;

/** An order-level (L3) change of the book. The quantity of the event is the order's new remaining quantity. */
public enum L3Kind {
    /** an order starts resting (at the back of its level) */
    ADD,
    /** a resting order's quantity went down without a trade, keeping its place */
    REDUCE,
    /** a resting order traded; quantity 0 means it is gone */
    EXECUTE,
    /** a resting order left the book without trading */
    DELETE
}
