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
    void bucketsCountEachValueOnceUnderItsUpperBoundAndSumThem() {
        LatencyEngine engine = new LatencyEngine();
        long[] ticks = {500, 2_000, 2_000, 70_000, 5_000_000};
        for (int i = 0; i < ticks.length; i++) {
            InboundEvent e = stamped(InboundEventType.MARKET_DATA, 0, 1, 2, 3, 4, ticks[i]);
            e.addIntent().set(QuoteAction.PLACE, Venue.COINBASE.id(), 0, Side.BUY, 0, 10, 1, 0).approve();
            engine.onEvent(e, i, true);
        }
        engine.sample();
        long[] bounds = {1_000, 10_000, 100_000};
        long[] counts = new long[bounds.length + 1];
        long sum = engine.tickToQuoteBuckets(Venue.COINBASE, bounds, counts);
        assertThat(counts).containsExactly(1, 2, 1, 1); // the last: above every bound (+Inf)
        assertThat(sum).isBetween(5_074_500L - 5_100L, 5_074_500L + 5_100L); // within HdrHistogram's 3 digits
        assertThat(engine.tickToQuoteCount(Venue.COINBASE)).isEqualTo(5);
        assertThat(engine.tickToQuoteBuckets(Venue.BINANCE, bounds, counts)).isZero();
        assertThat(counts).containsOnly(0L);
    }

    @Test
    void theSummaryBetweenTwoCumulativeCopiesIsWhatWasRecordedInBetween() {
        LatencyEngine engine = new LatencyEngine();
        InboundEvent slow = stamped(InboundEventType.MARKET_DATA, 0, 1, 2, 3, 4, 900_000);
        slow.addIntent().set(QuoteAction.PLACE, Venue.KRAKEN.id(), 0, Side.BUY, 0, 10, 1, 0).approve();
        InboundEvent fast = stamped(InboundEventType.MARKET_DATA, 0, 1, 2, 3, 4, 3_000);
        fast.addIntent().set(QuoteAction.PLACE, Venue.KRAKEN.id(), 0, Side.BUY, 0, 10, 1, 0).approve();
        var before = LatencyEngine.newHistogram();
        var now = LatencyEngine.newHistogram();
        var scratch = LatencyEngine.newHistogram();
        engine.onEvent(slow, 0, true);
        engine.sample();
        engine.copyTickToQuote(Venue.KRAKEN, before);
        engine.onEvent(fast, 1, true);
        engine.onEvent(fast, 2, true);
        engine.sample();
        engine.copyTickToQuote(Venue.KRAKEN, now);
        LatencySummary between = LatencySummary.between(now, before, scratch);
        assertThat(between.count()).isEqualTo(2);
        assertThat(between.max()).isBetween(2_990L, 3_010L);
        assertThat(LatencySummary.between(now, null, scratch).count()).isEqualTo(3);
    }

    @Test
    void aSummaryDescribesItselfInMicroseconds() {
        assertThat(new LatencySummary(3, 1_500, 8_000, 25_000, 30_000).describe())
                .isEqualTo("p50 1.5 µs  p99 8.0 µs  p99.9 25 µs  (n=3)");
        assertThat(new LatencySummary(0, 0, 0, 0, 0).describe()).isEqualTo("no samples");
    }
}
