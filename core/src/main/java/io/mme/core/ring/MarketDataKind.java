package io.mme.core.ring;

/** Which kind of market data a {@link MarketDataUpdate} carries. */
public enum MarketDataKind {
    /** an L2 level set to a quantity (0 removes it) */
    LEVEL,
    /** the book is cleared: a snapshot follows */
    CLEAR,
    /** a public trade */
    TRADE,
    /** the venue's best bid and offer */
    BEST_BID_OFFER,
    /** the integrity state of the book changed (valid / invalid) */
    BOOK_STATE,
    /** L3: an identified order started resting; quantity is its size */
    ORDER_ADDED,
    /** L3: a resting order's quantity went down without a trade; quantity is what remains */
    ORDER_REDUCED,
    /** L3: a resting order traded; quantity is what remains (0: gone) */
    ORDER_EXECUTED,
    /** L3: a resting order left the book without trading */
    ORDER_DELETED
}
