package io.mme.strategy;

import io.mme.core.instrument.Instrument;
import io.mme.strategy.api.Side;

import java.util.Arrays;

/** A {@link StrategyMarket} over Fixture instruments for testing a strategy's quotes without an engine. */
final class TestMarket {
    private TestMarket() {
    }

    /** a view of those instruments at {@code fairValue}, holding {@code positionNanos} on the first (a whole number of its lots) */
    static StrategyMarket of(long fairValue, long positionNanos, int levels, int... instrumentIds) {
        Instrument[] instruments = new Instrument[instrumentIds.length];
        for (int i = 0; i < instrumentIds.length; i++) {
            instruments[i] = Fixture.registry().get(instrumentIds[i]);
        }
        int slots = instruments.length * 2 * levels;
        SlotState[] states = new SlotState[slots];
        Arrays.fill(states, SlotState.EMPTY);
        StrategyMarket market = new StrategyMarket("test", instruments, new long[instruments.length], new long[instruments.length],
                levels, states, new long[slots], new long[slots]);
        market.time(Fixture.T0);
        market.fairValue(fairValue);
        long lots = positionNanos / instruments[0].nanosPerLot();
        if (lots != 0) {
            market.fill(0, lots > 0 ? Side.BUY : Side.SELL, fairValue / instruments[0].nanosPerTick(), Math.abs(lots));
        }
        return market;
    }
}
