package io.mme.analytics;

import io.mme.core.instrument.Venue;
import io.mme.core.ring.InboundEvent;
import io.mme.core.ring.InboundEventType;
import io.mme.core.ring.QuoteAction;
import io.mme.core.ring.Side;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class LatencyEngineTest {
    private static InboundEvent stamped(InboundEventType type, long received, long... stageDone) {
        InboundEvent e = new InboundEvent();
        e.begin(0, type, 0);
        e.receivedNanos(received);
        for (int s = 0; s < stageDone.length; s++) {
            e.stageDone(s, stageDone[s]);
        }
        return e;
    }

    @Test
    void tickToQuoteRunsFromReceiptToTheEndOfExecutionForApprovedQuotesOnly() {
        LatencyEngine engine = new LatencyEngine();
        InboundEvent approved = stamped(InboundEventType.MARKET_DATA, 1_000, 1_200, 1_500, 2_000, 2_600, 3_000);
        approved.addIntent().set(QuoteAction.PLACE, Venue.KRAKEN.id(), 0, Side.BUY, 0, 10, 1, 0).approve();
        InboundEvent rejected = stamped(InboundEventType.MARKET_DATA, 1_000, 1_050, 1_100, 1_200, 1_300, 90_000);
        rejected.addIntent().set(QuoteAction.PLACE, Venue.KRAKEN.id(), 0, Side.BUY, 0, 10, 1, 0).reject(1001);
        InboundEvent timer = stamped(InboundEventType.TIMER, 1_000, 1_050, 1_100, 1_200, 1_300, 50_000);
        timer.addIntent().set(QuoteAction.PLACE, Venue.KRAKEN.id(), 0, Side.BUY, 0, 10, 1, 0).approve();

        engine.onEvent(approved, 0, true);
        engine.onEvent(rejected, 1, true);
        engine.onEvent(timer, 2, true);
        engine.sample();

        LatencySummary all = engine.tickToQuote();
        assertThat(all.count()).isEqualTo(1);
        assertThat(all.p50()).isBetween(1_999L, 2_001L);
        assertThat(engine.tickToQuote(Venue.KRAKEN).count()).isEqualTo(1);
        assertThat(engine.tickToQuote(Venue.BINANCE).count()).isZero();
        // every event counts for the stages: the journal took 200, 50, 50; marketdata 300, 50, 50
        assertThat(engine.stage(0).count()).isEqualTo(3);
        assertThat(engine.stage(0).max()).isBetween(199L, 201L);
        assertThat(engine.stage(1).max()).isBetween(299L, 301L);
        assertThat(engine.stage(4).max()).isBetween(88_600L, 88_800L);
    }

    @Test
    void intervalsAreSeparateFromTheRunningTotal() {
        LatencyEngine engine = new LatencyEngine();
        InboundEvent e = stamped(InboundEventType.MARKET_DATA, 0, 5, 10, 20, 30, 40);
        e.addIntent().set(QuoteAction.PLACE, Venue.BINANCE.id(), 0, Side.SELL, 0, 10, 1, 0).approve();
        engine.onEvent(e, 0, true);
        engine.sample();
        engine.onEvent(e, 1, true);
        engine.onEvent(e, 2, true);
        engine.sample();
        assertThat(engine.tickToQuoteLastInterval().count()).isEqualTo(2);
        assertThat(engine.tickToQuote().count()).isEqualTo(3);
        engine.sample();
        assertThat(engine.tickToQuoteLastInterval(Venue.BINANCE).count()).isZero();
    }

    @Test
    void aSummaryDescribesItselfInMicroseconds() {
        assertThat(new LatencySummary(3, 1_500, 8_000, 25_000, 30_000).describe())
                .isEqualTo("p50 1.5 µs  p99 8.0 µs  p99.9 25 µs  (n=3)");
        assertThat(new LatencySummary(0, 0, 0, 0, 0).describe()).isEqualTo("no samples");
    }
}
