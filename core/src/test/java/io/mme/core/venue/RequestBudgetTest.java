package io.mme.core.venue;

import org.junit.jupiter.api.Test;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

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
    void aWaitingRequestGoesOutWhenTheBackOffEndsAndFailsWhenTheGatewayCloses() {
        RequestBudget b = new RequestBudget("binance", 1).window("WEIGHT", 1000, 60_000);
        RequestBudget.Charge cancel = b.charge().add("WEIGHT", 1);
        long[] now = {10_000};
        ManualScheduler scheduler = new ManualScheduler();
        try {
            b.backOff(now[0] + 300, "429");
            CompletableFuture<Void> sent = b.acquireWhenFits(cancel, () -> now[0], scheduler, () -> false);
            // nothing spent while the back-off runs: the budget asked to be woken when it ends
            assertThat(sent).isNotDone();
            assertThat(scheduler.delaysMillis).containsExactly(300L);
            assertThat(b.used("WEIGHT", now[0])).isZero();

            // woken early (the clock has not reached the deadline): it waits again for the rest
            now[0] += 100;
            scheduler.runNext();
            assertThat(sent).isNotDone();
            assertThat(scheduler.delaysMillis).containsExactly(300L, 200L);

            now[0] += 200;
            scheduler.runNext();
            assertThat(sent).isCompleted();
            assertThat(b.used("WEIGHT", now[0])).isEqualTo(1);

            boolean[] closed = {false};
            b.backOff(now[0] + 60_000, "418");
            CompletableFuture<Void> waiting = b.acquireWhenFits(cancel, () -> now[0], scheduler, () -> closed[0]);
            assertThat(waiting).isNotDone();
            closed[0] = true;
            scheduler.runNext();
            assertThat(waiting).isCompletedExceptionally();
            assertThat(b.acquireWhenFits(b.charge().add("WEIGHT", 5_000), () -> 0L, scheduler, () -> false))
                    .isCompletedExceptionally();
            assertThat(scheduler.pending).isEmpty();
        } finally {
            scheduler.shutdownNow();
        }
    }

    @Test
    void aWaitingRequestFailsWhenTheSchedulerRefusesToWaitForIt() {
        RequestBudget b = new RequestBudget("binance", 1).window("WEIGHT", 1000, 60_000);
        ManualScheduler scheduler = new ManualScheduler();
        scheduler.shutdownNow();
        b.backOff(1_300, "429");
        assertThat(b.acquireWhenFits(b.charge().add("WEIGHT", 1), () -> 1_000L, scheduler, () -> false))
                .isCompletedExceptionally();
    }

    /**
     * A scheduler that runs nothing by itself: it keeps what it was asked to run and after how long,
     * and the test runs it when it has moved its clock. Only the one method the budget calls is
     * taken over; a shut-down one refuses, as a real one does.
     */
    private static final class ManualScheduler extends ScheduledThreadPoolExecutor {
        final List<Long> delaysMillis = new ArrayList<>();
        final Deque<Runnable> pending = new ArrayDeque<>();

        ManualScheduler() {
            super(0);
        }

        @Override
        public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
            if (isShutdown()) {
                throw new RejectedExecutionException("shut down");
            }
            delaysMillis.add(unit.toMillis(delay));
            pending.add(command);
            return null;
        }

        void runNext() {
            assertThat(pending).as("a scheduled wake-up").isNotEmpty();
            pending.poll().run();
        }
    }
}
