package io.mme.core.venue;

/**
 * Reason codes gateways put in REJECTED / CANCEL_REJECTED / CANCELLED reports. They sit below
 * {@link io.mme.core.ring.RejectCodes#RISK_BASE}, in the venue range, at 500 and up.
 */
public enum GatewayRejectCode {
    /** the venue refused the order for a reason not listed below */
    VENUE_REJECTED(501),
    /** not sent: the request budget or a venue back-off left no room */
    THROTTLED(502),
    /** the venue said we are rate limited (429, Kraken "Rate limit exceeded", Coinbase 429) */
    RATE_LIMITED(503),
    /** the venue banned us for a while (Binance 418) */
    BANNED(504),
    /** the request's timestamp was outside the venue's window (Binance -1021) */
    CLOCK_SKEW(505),
    /** a post-only order would have taken liquidity */
    POST_ONLY_WOULD_TAKE(506),
    /** not enough balance */
    INSUFFICIENT_FUNDS(507),
    /** the key, signature or permission was refused */
    AUTHENTICATION(508),
    /** the venue does not know the order (cancel of an order already gone) */
    UNKNOWN_ORDER(509),
    /** price, quantity or notional outside the venue's filters */
    FILTER(510),
    /** the gateway is not connected or is closing */
    NOT_CONNECTED(511),
    /** the venue cancelled the order (expiry, self-trade prevention, its own reasons) */
    VENUE_CANCELLED(512),
    /** the order was cancelled by reconciliation: on the venue, unknown to the engine */
    RECONCILED(513);

    private final int code;

    GatewayRejectCode(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    /** the constant of a code, or null */
    public static GatewayRejectCode of(int code) {
        for (GatewayRejectCode c : values()) {
            if (c.code == code) {
                return c;
            }
        }
        return null;
    }
}
