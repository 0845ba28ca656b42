package io.mme.backtest;

import io.mme.core.ring.Side;
import io.mme.marketdata.FeedSink;

/**
 * Where the venue decoder's output goes in a backtest: first to the simulated exchange's recorded
 * market (the exchange sees the message before the engine does, as it produced it), then, once the
 * warm-up before {@code --from} is over, to the engine's own {@link io.mme.marketdata.RingFeedSink},
 * exactly as a live feed's. Thread: the backtest's thread.
 */
final class TeeFeedSink implements FeedSink {
    private final SimulatedExchange exchange;
    private final FeedSink engine;
    private boolean live;
    /** the last instrument whose depth reached the sink, -1 none; the driver reads it to warn about missing snapshots */
    private int lastInvalid = -1;
    private String lastInvalidReason;

    TeeFeedSink(SimulatedExchange exchange, FeedSink engine) {
        this.exchange = exchange;
        this.engine = engine;
    }

    /** from now on the engine hears the feed too */
    void live(boolean live) {
        this.live = live;
    }

    boolean live() {
        return live;
    }

    @Override
    public void clear(int instrumentId, long venueSequence) {
        exchange.marketClear(instrumentId);
        if (live) {
            engine.clear(instrumentId, venueSequence);
        }
    }

    @Override
    public void level(int instrumentId, Side side, long priceTicks, long quantityLots, long venueSequence) {
        exchange.marketLevel(instrumentId, side, priceTicks, quantityLots);
        if (live) {
            engine.level(instrumentId, side, priceTicks, quantityLots, venueSequence);
        }
    }

    @Override
    public void endOfMessage(int instrumentId, long venueSequence) {
        exchange.marketEnd(instrumentId);
        if (live) {
            engine.endOfMessage(instrumentId, venueSequence);
        }
    }

    @Override
    public void invalid(int instrumentId, String reason) {
        lastInvalid = instrumentId;
        lastInvalidReason = reason;
        if (live) {
            engine.invalid(instrumentId, reason);
        }
    }

    @Override
    public void bestBidOffer(int instrumentId, long bidTicks, long bidLots, long askTicks, long askLots, long venueSequence) {
        // a journaled best bid and offer carries the bid only (the ask is 0): the exchange keeps its ask
        exchange.marketBestBidOffer(instrumentId, bidTicks, askTicks > 0 ? askTicks : exchange.bestAsk(instrumentId));
        if (live) {
            engine.bestBidOffer(instrumentId, bidTicks, bidLots, askTicks, askLots, venueSequence);
        }
    }

    @Override
    public void trade(int instrumentId, Side aggressor, long priceTicks, long quantityLots, long tradeId, long venueTimestampNanos) {
        exchange.marketTrade(instrumentId, aggressor, priceTicks, quantityLots);
        if (live) {
            engine.trade(instrumentId, aggressor, priceTicks, quantityLots, tradeId, venueTimestampNanos);
        }
    }

    /** the instrument the feed last declared invalid (and forgets it), or -1 */
    int takeInvalid() {
        int id = lastInvalid;
        lastInvalid = -1;
        return id;
    }

    String lastInvalidReason() {
        return lastInvalidReason;
    }
}
