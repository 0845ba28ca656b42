package io.mme.core.venue;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RequestBudgetTest {
    @Test
    void aWindowSpendsOnlyItsSafeShareAndRefillsAsItsSlotsSlideOut() {
        RequestBudget b = new RequestBudget("test", 0.8).window("W", 10, 1_000);
        RequestBudget.Charge one = b.charge().add("W", 1);
        long t = 5_000;
        int sent = 0;
        for (int i = 0; i < 50; i++) {
            if (b.tryAcquire(one, t + i)) {
                sent++;
            }
        }
        assertThat(sent).isEqualTo(8);
        assertThat(b.refused()).isEqualTo(42);
        // the window slides in 50 ms slots; the slot spent in [5000, 5050) leaves it at 6050
        assertThat(b.millisUntilFits(one, t + 100)).isEqualTo(950);
        assertThat(b.tryAcquire(one, 6_049)).isFalse();
        assertThat(b.tryAcquire(one, 6_050)).isTrue();
    }

    @Test
    void noSecondEverSeesMoreThanTheSafeShareEvenAcrossAnEpochBoundary() {
        RequestBudget b = new RequestBudget("coinbase", 0.8).window("PRIVATE", 30, 1_000);
        RequestBudget.Charge one = b.charge().add("PRIVATE", 1);
        java.util.List<Long> sentAt = new java.util.ArrayList<>();
        // a storm that tries every millisecond around the boundary at 10_000
        for (long now = 9_500; now < 11_500; now++) {
            while (b.tryAcquire(one, now)) {
                sentAt.add(now);
            }
        }
        for (long from = 9_000; from < 11_500; from++) {
            long f = from;
            assertThat(sentAt.stream().filter(x -> x >= f && x < f + 1_000).count()).as("sent in [%d, %d)", from, from + 1_000)
                    .isLessThanOrEqualTo(24);
        }
        assertThat(sentAt).hasSizeGreaterThanOrEqualTo(24);
    }

    @Test
    void aChargeSpendsAllItsLimitsOrNone() {
        RequestBudget b = new RequestBudget("test", 1).window("WEIGHT", 100, 60_000).window("ORDERS", 2, 10_000);
        RequestBudget.Charge order = b.charge().add("WEIGHT", 1).add("ORDERS", 1);
        assertThat(b.tryAcquire(order, 0)).isTrue();
        assertThat(b.tryAcquire(order, 0)).isTrue();
        assertThat(b.tryAcquire(order, 0)).isFalse();
        assertThat(b.used("WEIGHT", 0)).isEqualTo(2);
    }

    @Test
    void aDecayingCounterDrainsAtItsRate() {
        RequestBudget b = new RequestBudget("kraken", 1).decaying("C", 15, 0.5);
        RequestBudget.Charge cancel = b.charge().add("C", 8);
        assertThat(b.tryAcquire(cancel, 1_000)).isTrue();
        assertThat(b.tryAcquire(cancel, 1_000)).isFalse();
        // 8 + 8 - 15 = 1 unit too many: 2 s at 0.5 per second
        assertThat(b.millisUntilFits(cancel, 1_000)).isEqualTo(2_000);
        assertThat(b.tryAcquire(cancel, 3_000)).isTrue();
    }

    @Test
    void theVenuesReportedUsageWinsWhenItIsHigher() {
        RequestBudget b = new RequestBudget("binance", 1).window("WEIGHT", 100, 60_000);
        RequestBudget.Charge one = b.charge().add("WEIGHT", 1);
        b.observe("WEIGHT", 99, 10);
        assertThat(b.tryAcquire(one, 20)).isTrue();
        assertThat(b.tryAcquire(one, 30)).isFalse();
        b.observe("WEIGHT", 5, 40);
        assertThat(b.used("WEIGHT", 40)).isEqualTo(100);
    }

    @Test
    void aBackOffStopsEverythingUntilItsDeadlineAndIsNeverShortened() {
        RequestBudget b = new RequestBudget("binance", 1).window("WEIGHT", 1000, 60_000);
        RequestBudget.Charge one = b.charge().add("WEIGHT", 1);
        b.backOff(RequestBudget.retryAfterDeadline("2", 10_000, 1_000), "429");
        b.backOff(11_000, "a shorter one");
        assertThat(b.backingOffUntil()).isEqualTo(12_000);
        assertThat(b.backOffReason()).isEqualTo("429");
        assertThat(b.tryAcquire(one, 11_999)).isFalse();
        assertThat(b.millisUntilFits(one, 11_000)).isEqualTo(1_000);
        assertThat(b.tryAcquire(one, 12_000)).isTrue();
        assertThat(RequestBudget.retryAfterDeadline("soon", 0, 750)).isEqualTo(750);
    }

    @Test
    void aWaitingRequestGoesOutWhenTheBackOffEndsAndFailsWhenTheGatewayCloses() throws Exception {
        RequestBudget b = new RequestBudget("binance", 1).window("WEIGHT", 1000, 60_000);
        RequestBudget.Charge cancel = b.charge().add("WEIGHT", 1);
        java.util.concurrent.ScheduledExecutorService scheduler = java.util.concurrent.Executors.newSingleThreadScheduledExecutor();
        try {
            long start = System.currentTimeMillis();
            b.backOff(start + 300, "429");
            java.util.concurrent.CompletableFuture<Void> sent = b.acquireWhenFits(cancel, System::currentTimeMillis, scheduler, () -> false);
            assertThat(sent).isNotDone();
            sent.get(5, java.util.concurrent.TimeUnit.SECONDS);
            assertThat(System.currentTimeMillis()).isGreaterThanOrEqualTo(start + 300);
            assertThat(b.used("WEIGHT", System.currentTimeMillis())).isEqualTo(1);

            boolean[] closed = {false};
            b.backOff(System.currentTimeMillis() + 60_000, "418");
            closed[0] = true;
            assertThat(b.acquireWhenFits(cancel, System::currentTimeMillis, scheduler, () -> closed[0]))
                    .isCompletedExceptionally();
            assertThat(b.acquireWhenFits(b.charge().add("WEIGHT", 5_000), () -> 0L, scheduler, () -> false))
                    .isCompletedExceptionally();
        } finally {
            scheduler.shutdownNow();
        }
    }
}
