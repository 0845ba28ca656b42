package io.mme.marketdata;

import io.mme.core.ring.Side;

/**
 * Where a venue decoder sends what one message says, normalised: the market data engine's
 * publisher in production, books directly in tests. Prices are ticks and quantities lots of the
 * instrument. Called on the decoding thread, in message order.
 */
public interface FeedSink {
    /** the instrument's book is to be rebuilt: a snapshot follows */
    void clear(int instrumentId, long venueSequence);

    /** a level set to an absolute quantity (0 removes it) */
    void level(int instrumentId, Side side, long priceTicks, long quantityLots, long venueSequence);

    /** the message's changes to this instrument's book are complete: integrity checks may run */
    void endOfMessage(int instrumentId, long venueSequence);

    /**
     * The feed can no longer vouch for this instrument's book (a gap, a failed checksum, a buffer
     * overflow); it stays invalid until a new snapshot has been applied and ended.
     */
    void invalid(int instrumentId, String reason);

    /** the venue's best bid and offer, with the book update it reflects (0 when the venue gives none) */
    void bestBidOffer(int instrumentId, long bidTicks, long bidLots, long askTicks, long askLots, long venueSequence);

    /** a public trade; {@code aggressor} is the taker's side */
    void trade(int instrumentId, Side aggressor, long priceTicks, long quantityLots, long tradeId, long venueTimestampNanos);
}
