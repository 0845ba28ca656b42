package io.mme.matching;

/** Why an order (or part of it) left the book without trading. */
public enum CancelReason {
    /** the owner cancelled it */
    USER(101),
    /** the owner's mass cancel */
    MASS_CANCEL(102),
    /** what an IOC order could not fill at once */
    IOC_REMAINDER(103),
    /** what a market order could not fill at once */
    MARKET_REMAINDER(104),
    /** a FOK order that could not fill in full at once */
    FOK_UNFILLED(105),
    /** self-trade prevention */
    SELF_TRADE(106);

    private final int code;

    CancelReason(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    public static CancelReason ofCode(int code) {
        for (CancelReason r : values()) {
            if (r.code == code) {
                return r;
            }
        }
        throw new IllegalArgumentException("no cancel reason with code " + code);
    }
}
