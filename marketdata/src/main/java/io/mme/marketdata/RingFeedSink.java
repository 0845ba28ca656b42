package io.mme.marketdata;

import io.mme.core.instrument.InstrumentRegistry;
import io.mme.core.ring.MarketDataKind;
import io.mme.core.ring.Side;
import io.mme.core.runtime.EpochClock;
import io.mme.core.runtime.InboundPublisher;
import io.mme.core.runtime.MarketDataPublisher;

/**
 * A {@link FeedSink} that publishes into the inbound ring: the normalised form every venue's
 * feed takes on its way to the market data engine. The receive timestamp is the edge clock's.
 *
 * <p>Thread: the feed's decoding thread (one sink per feed; the ring's edge publisher is
 * multi-producer, so several feeds may share it).
 */
public final class RingFeedSink implements FeedSink {
    private final MarketDataPublisher publisher;
    private final int[] venueOf;
    private final EpochClock clock;

    public RingFeedSink(InboundPublisher inbound, InstrumentRegistry registry, EpochClock clock) {
        this.publisher = new MarketDataPublisher(inbound);
        this.clock = clock;
        this.venueOf = new int[registry.size()];
        for (int i = 0; i < venueOf.length; i++) {
            venueOf[i] = registry.get(i).venue().id();
        }
    }

    @Override
    public void clear(int instrumentId, long venueSequence) {
        long now = clock.epochNanos();
        publisher.add(MarketDataKind.CLEAR, venueOf[instrumentId], instrumentId, null, 0, 0, 0, venueSequence, now, now);
    }

    @Override
    public void level(int instrumentId, Side side, long priceTicks, long quantityLots, long venueSequence) {
        long now = clock.epochNanos();
        publisher.add(MarketDataKind.LEVEL, venueOf[instrumentId], instrumentId, side, priceTicks, quantityLots, 0, venueSequence, now, now);
    }

    @Override
    public void endOfMessage(int instrumentId, long venueSequence) {
        publisher.endOfMessage();
    }

    @Override
    public void invalid(int instrumentId, String reason) {
        long now = clock.epochNanos();
        publisher.bookInvalid(venueOf[instrumentId], instrumentId, 0, now);
        publisher.endOfMessage();
    }

    @Override
    public void bestBidOffer(int instrumentId, long bidTicks, long bidLots, long askTicks, long askLots, long venueSequence) {
        long now = clock.epochNanos();
        publisher.add(MarketDataKind.BEST_BID_OFFER, venueOf[instrumentId], instrumentId, Side.BUY, bidTicks, bidLots, 0, venueSequence, now, now);
        publisher.endOfMessage();
    }

    @Override
    public void trade(int instrumentId, Side aggressor, long priceTicks, long quantityLots, long tradeId, long venueTimestampNanos) {
        publisher.add(MarketDataKind.TRADE, venueOf[instrumentId], instrumentId, aggressor, priceTicks, quantityLots, tradeId,
                tradeId, venueTimestampNanos, clock.epochNanos());
        publisher.endOfMessage();
    }
}
