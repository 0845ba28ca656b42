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
    BOOK_STATE
}
