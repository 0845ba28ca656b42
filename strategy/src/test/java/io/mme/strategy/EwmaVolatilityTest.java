package io.mme.strategy;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class EwmaVolatilityTest {
    @Test
    void theInitialSigmaHoldsUntilTheFirstTimeStep() {
        EwmaVolatility v = new EwmaVolatility(4, 60);
        v.update(1_000, 100);
        v.update(1_000, 150);
        assertThat(v.sigma()).isEqualTo(4);
        assertThat(v.samples()).isZero();
    }

    @Test
    void convergesToTheVolatilityPerSecondOfARandomWalkInEventTime() {
        EwmaVolatility v = new EwmaVolatility(50, 30);
        SplittableRandom random = new SplittableRandom(3);
        double sigma = 3;
        double dt = 0.1;
        double price = 1_000;
        long t = 0;
        for (int i = 0; i < 20_000; i++) {
            t += 100_000_000L;
            price += random.nextBoolean() ? sigma * Math.sqrt(dt) : -sigma * Math.sqrt(dt);
            v.update(t, price);
        }
        assertThat(v.sigma()).isCloseTo(3, within(0.3));
    }

    @Test
    void aLongerGapWeighsMore() {
        EwmaVolatility shortGap = new EwmaVolatility(1, 10);
        shortGap.update(0, 100);
        shortGap.update(1_000_000_000L, 110);
        EwmaVolatility longGap = new EwmaVolatility(1, 10);
        longGap.update(0, 100);
        longGap.update(100_000_000_000L, 100 + 10 * Math.sqrt(100));
        // both samples say sigma = 10; the long gap moves the estimate almost all the way
        assertThat(longGap.sigma()).isCloseTo(10, within(0.01));
        assertThat(shortGap.sigma()).isBetween(1.0, 5.0);
    }
}
