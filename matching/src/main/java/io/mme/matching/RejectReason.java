package io.mme.matching;

/** Why the book refused a command; the book is unchanged after any of these. */
public enum RejectReason {
    /** cancel or replace of an order that is not in the book (or belongs to another owner) */
    UNKNOWN_ORDER(1),
    /** a new order reuses the id of an order still in the book */
    DUPLICATE_ORDER_ID(2),
    /** zero or negative quantity */
    INVALID_QUANTITY(3),
    /** a price that is not a multiple of the book's price increment */
    PRICE_OFF_GRID(4),
    /** a price outside the book's configured band */
    PRICE_OUTSIDE_BAND(5),
    /** no free slot in the order arena for an order that could rest */
    BOOK_FULL(6),
    /** a post-only order (or its replace) would have taken liquidity */
    POST_ONLY_WOULD_CROSS(7),
    /** a combination the book does not accept (post-only market order, market order with FOK price...) */
    INVALID_ORDER(8);

    private final int code;

    RejectReason(int code) {
        this.code = code;
    }

    /** the code carried in {@link io.mme.core.ring.ExecutionReport#reasonCode()} */
    public int code() {
        return code;
    }

    public static RejectReason ofCode(int code) {
        for (RejectReason r : values()) {
            if (r.code == code) {
                return r;
            }
        }
        throw new IllegalArgumentException("no reject reason with code " + code);
    }
}
