package io.mme.venuegateway;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The throttle in event time: no clock, no sleeps. */
class OrderThrottleTest {
    private static final long MS = 1_000_000L;

    @Test
    void aBurstOfTheRateIsAllowedThenOneOrderPerIntervalAsTimePasses() {
        OrderThrottle throttle = new OrderThrottle(10, 100); // 10/s: one per 100 ms, a burst of 10
        long t = 5_000 * MS;
        for (int i = 0; i < 10; i++) {
            assertThat(throttle.tryAcquire(t)).as("order %d of the burst", i).isTrue();
        }
        assertThat(throttle.tryAcquire(t)).as("the 11th at once").isFalse();
        assertThat(throttle.tryAcquire(t + 99 * MS)).as("before one interval").isFalse();
        assertThat(throttle.tryAcquire(t + 100 * MS)).as("after one interval").isTrue();
        assertThat(throttle.tryAcquire(t + 100 * MS)).isFalse();
        assertThat(throttle.tryAcquire(t + 2_000 * MS)).as("a quiet period refills the burst").isTrue();
    }

    @Test
    void moreRejectsThanTheFloodLimitWithinOneSecondIsAFloodButSpreadOutIsNot() {
        OrderThrottle throttle = new OrderThrottle(10, 3);
        long t = 0;
        assertThat(throttle.rejectedIsFlood(t)).isFalse();
        assertThat(throttle.rejectedIsFlood(t + 10 * MS)).isFalse();
        assertThat(throttle.rejectedIsFlood(t + 20 * MS)).isFalse();
        assertThat(throttle.rejectedIsFlood(t + 30 * MS)).as("the 4th within a second").isTrue();
        OrderThrottle spread = new OrderThrottle(10, 3);
        for (int i = 0; i < 10; i++) {
            assertThat(spread.rejectedIsFlood(i * 600 * MS)).as("reject %d, 600 ms apart", i).isFalse();
        }
    }
}
