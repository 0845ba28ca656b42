package io.mme.venuegateway;

/**
 * Why the venue's gateway refused a message (an EXECUTION_REPORT rejected with this code) or ended
 * a session (SESSION_END with this code). The codes start at 200, apart from the book's
 * {@link io.mme.matching.RejectReason} (1-8) and {@link io.mme.matching.CancelReason} (101-106), so
 * one reason field carries all three.
 */
public enum GatewayReason {
    // rejects: the session goes on
    THROTTLED(201, false),
    UNKNOWN_INSTRUMENT(202, false),
    BAD_SIDE(203, false),
    BAD_TIME_IN_FORCE(204, false),
    BAD_FLAGS(205, false),
    BAD_PRICE(206, false),
    BAD_QUANTITY(207, false),
    BAD_CLIENT_ORDER_ID(208, false),
    DUPLICATE_CLIENT_ORDER_ID(209, false),
    UNKNOWN_CLIENT_ORDER_ID(210, false),
    BAD_REPLAY_RANGE(211, false),
    // session ends
    UNKNOWN_MESSAGE_TYPE(250, true),
    SHORT_FRAME(251, true),
    NOT_LOGGED_IN(252, true),
    BAD_CREDENTIALS(253, true),
    BAD_VERSION(254, true),
    SESSION_ALREADY_ACTIVE(255, true),
    FLOOD(256, true),
    SLOW_CONSUMER(257, true),
    TOO_MANY_SESSIONS(258, true),
    LOGOUT(259, true),
    VENUE_CLOSING(260, true),
    IDLE_TIMEOUT(261, true);

    private final int code;
    private final boolean endsSession;

    GatewayReason(int code, boolean endsSession) {
        this.code = code;
        this.endsSession = endsSession;
    }

    public int code() {
        return code;
    }

    /** whether the venue closes the session for it */
    public boolean endsSession() {
        return endsSession;
    }

    /** the reason with this code, or null */
    public static GatewayReason ofCode(int code) {
        for (GatewayReason r : values()) {
            if (r.code == code) {
                return r;
            }
        }
        return null;
    }
}
