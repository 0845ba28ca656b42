package io.mme.marketdata;

/**
 * How the market data engine asks a feed to rebuild a book it no longer trusts (crossed, stale).
 * Implemented by the venue sessions; called on the market data engine's thread, so an
 * implementation must hand the request to its own thread without blocking (a flag, a queue).
 */
@FunctionalInterface
public interface ResyncRequests {
    void request(int instrumentId, String reason);

    ResyncRequests NONE = (instrumentId, reason) -> { };
}
