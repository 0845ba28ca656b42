package io.mme.strategy;

import io.mme.strategy.api.Side;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class InventorySkewStrategyTest {
    private static final long FV = 50_000_000_000_000L;
    private static final double TICK = 10_000_000;

    private static QuoteTargets quote(InventorySkewStrategy strategy, long inventory) {
        strategy.start(TestMarket.of(FV, inventory, 3, Fixture.COINBASE));
        QuoteTargets out = new QuoteTargets(1, 3);
        out.clear();
        strategy.quote(out);
        return out;
    }

    @Test
    void aLongInventoryLowersBothQuotesAndAShortOneRaisesThem() {
        InventorySkewStrategy strategy = new InventorySkewStrategy(new InventorySkewStrategy.Parameters(4, 1_000_000, 1, 2, 500, 0));
        QuoteTargets flat = quote(strategy, 0);
        QuoteTargets longTwo = quote(strategy, 2_000_000);
        QuoteTargets shortTwo = quote(strategy, -2_000_000);
        assertThat(flat.priceNanos(0, Side.BUY, 0)).isCloseTo(FV - 2 * TICK, within(1e-3));
        assertThat(flat.priceNanos(0, Side.SELL, 0)).isCloseTo(FV + 2 * TICK, within(1e-3));
        // 0.5 tick per unit, 2 units: one tick
        assertThat(longTwo.priceNanos(0, Side.BUY, 0)).isCloseTo(FV - 3 * TICK, within(1e-3));
        assertThat(longTwo.priceNanos(0, Side.SELL, 0)).isCloseTo(FV + TICK, within(1e-3));
        assertThat(shortTwo.priceNanos(0, Side.BUY, 0)).isCloseTo(FV - TICK, within(1e-3));
        assertThat(shortTwo.priceNanos(0, Side.SELL, 0)).isCloseTo(FV + 3 * TICK, within(1e-3));
    }

    @Test
    void theSkewPullsTowardTheInventoryTarget() {
        InventorySkewStrategy strategy = new InventorySkewStrategy(new InventorySkewStrategy.Parameters(4, 1_000_000, 1, 2, 1_000, 3_000_000));
        assertThat(quote(strategy, 3_000_000).priceNanos(0, Side.BUY, 0)).isCloseTo(FV - 2 * TICK, within(1e-3));
        assertThat(quote(strategy, 0).priceNanos(0, Side.BUY, 0)).isCloseTo(FV + TICK, within(1e-3));
    }

    @Test
    void levelsAreSpacedOutwardAndOnlyTheConfiguredOnesAreWanted() {
        InventorySkewStrategy strategy = new InventorySkewStrategy(new InventorySkewStrategy.Parameters(4, 1_000_000, 2, 3, 0, 0));
        QuoteTargets out = quote(strategy, 0);
        assertThat(out.priceNanos(0, Side.BUY, 1)).isCloseTo(FV - 5 * TICK, within(1e-3));
        assertThat(out.priceNanos(0, Side.SELL, 1)).isCloseTo(FV + 5 * TICK, within(1e-3));
        assertThat(out.sizeNanos(0, Side.SELL, 1)).isEqualTo(1_000_000);
        assertThat(out.sizeNanos(0, Side.SELL, 2)).isZero();
        assertThat(out.priceNanos(0, Side.SELL, 2)).isNaN();
    }

    @Test
    void outOfRangeValuesAreRefusedWithTheRangeAndTheOldValueKept() {
        InventorySkewStrategy strategy = new InventorySkewStrategy(InventorySkewStrategy.Parameters.defaults());
        assertThat(strategy.setParameter(InventorySkewStrategy.SPREAD_TICKS, 0)).contains("between 1 and", "keeping 4");
        assertThat(strategy.parameter(InventorySkewStrategy.SPREAD_TICKS)).isEqualTo(4);
        assertThat(strategy.setParameter(InventorySkewStrategy.INVENTORY_TARGET_NANOS, -5_000_000)).isNull();
        assertThat(strategy.parameter(InventorySkewStrategy.INVENTORY_TARGET_NANOS)).isEqualTo(-5_000_000);
    }
}
