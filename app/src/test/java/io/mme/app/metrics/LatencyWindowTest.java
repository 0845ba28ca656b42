package io.mme.app.metrics;

import io.mme.analytics.LatencyEngine;
import io.mme.core.instrument.Venue;
import io.mme.core.ring.InboundEvent;
import io.mme.core.ring.InboundEventType;
import io.mme.core.ring.QuoteAction;
import io.mme.core.ring.Side;
import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class LatencyWindowTest {
    private static void quote(LatencyEngine engine, long tickToQuoteNanos) {
        InboundEvent e = new InboundEvent();
        e.begin(0, InboundEventType.MARKET_DATA, 0);
        e.receivedNanos(0);
        for (int s = 0; s < InboundEvent.STAGES; s++) {
            e.stageDone(s, s == InboundEvent.STAGES - 1 ? tickToQuoteNanos : 1);
        }
        e.addIntent().set(QuoteAction.PLACE, Venue.BINANCE.id(), 0, Side.BUY, 0, 10, 1, 0).approve();
        engine.onEvent(e, 0, true);
    }

    @Test
    void theWindowHoldsTheLastSecondsOnlyWhoeverElseSamples() {
        LatencyEngine latency = new LatencyEngine();
        Object lock = new Object();
        LatencyWindow window = new LatencyWindow(latency, lock);
        quote(latency, 800_000);
        window.tick();
        assertThat(window.last().count()).isEqualTo(1);
        assertThat(window.last().max()).isBetween(799_000L, 801_000L);
        // another reader samples in between (a scrape): the window still sees what was recorded
        quote(latency, 2_000);
        synchronized (lock) {
            latency.sample();
        }
        window.tick();
        assertThat(window.last().count()).isEqualTo(2);
        // after SECONDS more ticks without quotes, the first two have left the window
        for (int i = 0; i < LatencyWindow.SECONDS - 1; i++) {
            window.tick();
        }
        assertThat(window.last().count()).isEqualTo(1); // the 2 µs one, recorded one tick later
        window.tick();
        assertThat(window.last().count()).isZero();
        quote(latency, 5_000);
        window.tick();
        assertThat(window.last().count()).isEqualTo(1);
        assertThat(window.last().p50()).isBetween(4_990L, 5_010L);
    }

    @Test
    void theHistogramCountsEachQuoteOfTheWindowInItsMicrosecondBucketOnce() {
        LatencyEngine latency = new LatencyEngine();
        LatencyWindow window = new LatencyWindow(latency, new Object());
        quote(latency, 1_500);      // (1, 2] µs
        quote(latency, 1_900);      // (1, 2] µs
        quote(latency, 30_000);     // (20, 50] µs
        quote(latency, 900_000);    // (500, 1000] µs
        quote(latency, 250_000_000); // above 100 ms
        window.tick();
        long[] counts = window.lastHistogram().counts();
        long[] upper = window.lastHistogram().upperMicros();
        assertThat(counts).hasSize(upper.length + 1);
        assertThat(counts[java.util.Arrays.binarySearch(upper, 2)]).isEqualTo(2);
        assertThat(counts[java.util.Arrays.binarySearch(upper, 50)]).isEqualTo(1);
        assertThat(counts[java.util.Arrays.binarySearch(upper, 1_000)]).isEqualTo(1);
        assertThat(counts[upper.length]).isEqualTo(1);
        assertThat(java.util.Arrays.stream(counts).sum()).isEqualTo(window.last().count());
    }

    @Test
    void itsThreadKeepsTheWindowCurrentWithoutAnyoneAsking() throws Exception {
        LatencyEngine latency = new LatencyEngine();
        try (LatencyWindow window = new LatencyWindow(latency, new Object()).start()) {
            quote(latency, 40_000);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (window.last().count() == 0 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(window.last().count()).isEqualTo(1);
        }
    }
}
