package io.mme.connectors.kraken;

import io.mme.core.venue.GatewayRejectCode;

/**
 * What one of Kraken's error strings ({@code EOrder:Insufficient funds}, {@code EAPI:Invalid nonce}
 * ...) means for the gateway: a refusal with the nearest reject code, a rate-limit order (back off,
 * the request was not executed), or an outcome we cannot know (the venue was busy or unavailable:
 * the request may or may not have been executed, so it is never resent blindly). Stateless.
 *
 * @param kind what to do
 * @param code the reject code for a refusal (and {@link GatewayRejectCode#RATE_LIMITED} for a rate limit)
 */
record KrakenError(Kind kind, GatewayRejectCode code) {
    enum Kind { REFUSED, RATE_LIMITED, OUTCOME_UNKNOWN }

    static KrakenError classify(String error) {
        String e = error == null ? "" : error;
        if (e.contains("Post only")) {
            return refused(GatewayRejectCode.POST_ONLY_WOULD_TAKE);
        }
        if (e.contains("Rate limit exceeded") || e.startsWith("EService:Throttled") || e.startsWith("EService: Throttled")) {
            return new KrakenError(Kind.RATE_LIMITED, GatewayRejectCode.RATE_LIMITED);
        }
        if (e.startsWith("EService:Unavailable") || e.startsWith("EService:Busy") || e.startsWith("EGeneral:Internal error")) {
            return new KrakenError(Kind.OUTCOME_UNKNOWN, GatewayRejectCode.VENUE_REJECTED);
        }
        if (e.startsWith("EOrder:Insufficient funds")) {
            return refused(GatewayRejectCode.INSUFFICIENT_FUNDS);
        }
        if (e.startsWith("EAPI:Invalid nonce") || e.startsWith("EAPI:Invalid key") || e.startsWith("EAPI:Invalid signature")
                || e.startsWith("EGeneral:Permission denied") || e.startsWith("EGeneral:Temporary lockout")) {
            return refused(GatewayRejectCode.AUTHENTICATION);
        }
        if (e.startsWith("EOrder:Unknown order")) {
            return refused(GatewayRejectCode.UNKNOWN_ORDER);
        }
        if (e.startsWith("EOrder:Order minimum not met") || e.startsWith("EOrder:Cost minimum not met")
                || e.startsWith("EOrder:Invalid price") || e.startsWith("EGeneral:Invalid arguments")) {
            return refused(GatewayRejectCode.FILTER);
        }
        return refused(GatewayRejectCode.VENUE_REJECTED);
    }

    private static KrakenError refused(GatewayRejectCode code) {
        return new KrakenError(Kind.REFUSED, code);
    }
}
