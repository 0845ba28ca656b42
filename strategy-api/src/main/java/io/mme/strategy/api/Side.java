package io.mme.strategy.api;

/** Side of an order, a quote, a book level or a trade's aggressor. */
public enum Side {
    BUY,
    SELL;

    /** the other side */
    public Side opposite() {
        return this == BUY ? SELL : BUY;
    }
}
