package io.mme.matching;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SharedMidPathTest {
    private static final long SECOND = 1_000_000_000L;

    @Test
    void marketsOnOnePathMoveTogetherInPriceWhateverTheirTick() {
        SharedMidPath path = new SharedMidPath(5, 0);
        // 64,000.00 on a 0.01 tick and 64,000.0 on a 0.1 tick, both 0.20 of volatility per √s
        SimulatedMarket fine = new SimulatedMarket(new SimulatedMarket.Params(0, 1, 6_400_000, 20, 300, 150, 30, 20, 10, 0, 8), 0, path);
        SimulatedMarket coarse = new SimulatedMarket(new SimulatedMarket.Params(1, 2, 640_000, 2, 100, 50, 10, 2, 10, 0, 8), 0, path);
        OrderBook a = new OrderBook(BookConfig.of(0, 0).withCapacity(1 << 16), new RecordingListener());
        OrderBook b = new OrderBook(BookConfig.of(1, 1).withCapacity(1 << 16), new RecordingListener());
        double largestGap = 0;
        double largestMove = 0;
        for (long t = SECOND; t <= 120 * SECOND; t += SECOND) {
            // the venue lets each market catch up in turn: the second asks the path for earlier times
            while (fine.nextArrivalNanos() <= t) {
                fine.fireNext(a);
            }
            while (coarse.nextArrivalNanos() <= t) {
                coarse.fireNext(b);
            }
            double fineUsd = fine.midTicks() * 0.01;
            double coarseUsd = coarse.midTicks() * 0.1;
            largestGap = Math.max(largestGap, Math.abs(fineUsd - coarseUsd));
            largestMove = Math.max(largestMove, Math.abs(fineUsd - 64_000));
        }
        // they follow one path: apart by no more than the coarse tick and the last 10 ms steps
        assertThat(largestGap).isLessThan(0.5);
        // and it does move
        assertThat(largestMove).isGreaterThan(0.2);
    }

    @Test
    void theSameSeedGivesTheSamePathAndEarlierTimesReadBack() {
        SharedMidPath one = new SharedMidPath(9, 0);
        SharedMidPath two = new SharedMidPath(9, 0);
        double late = one.at(30 * SECOND);
        double early = one.at(3 * SECOND);
        assertThat(two.at(3 * SECOND)).isEqualTo(early);
        assertThat(two.at(30 * SECOND)).isEqualTo(late);
        assertThat(new SharedMidPath(10, 0).at(30 * SECOND)).isNotEqualTo(late);
        assertThat(one.at(0)).isZero();
    }
}
