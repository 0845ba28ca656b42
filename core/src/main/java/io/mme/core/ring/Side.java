package io.mme.core.ring;

/** Side of an order, a quote or a book level. */
public enum Side {
    BUY,
    SELL;

    public Side opposite() {
        return this == BUY ? SELL : BUY;
    }
}
