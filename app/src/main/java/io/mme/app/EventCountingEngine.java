package io.mme.app;

import io.mme.core.ring.InboundEvent;
import io.mme.core.ring.InboundEventType;
import io.mme.core.ring.MarketDataKind;
import io.mme.core.runtime.Engine;

/**
 * Stands at a pipeline stage whose module is not built yet and counts the events it sees by type,
 * so that the demo shows the rings and threads working end to end. Counters are written by the
 * engine thread only and read by the CLI thread (volatile, single writer).
 */
final class EventCountingEngine implements Engine<InboundEvent> {
    private final long[] counts = new long[InboundEventType.values().length];
    private volatile long total;
    private volatile long trades;

    @Override
    public void onEvent(InboundEvent event, long sequence, boolean endOfBatch) {
        counts[event.type().ordinal()]++;
        total = total + 1;
        if (event.type() == InboundEventType.MARKET_DATA && event.marketData().kind() == MarketDataKind.TRADE) {
            trades = trades + 1;
        }
    }

    long total() {
        return total;
    }

    /** public trades seen in the market data */
    long trades() {
        return trades;
    }
}
