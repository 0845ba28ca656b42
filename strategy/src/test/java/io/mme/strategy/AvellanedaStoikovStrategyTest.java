package io.mme.strategy;

import io.mme.core.ring.ExecType;
import io.mme.core.ring.QuoteIntent;
import io.mme.core.ring.Side;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.mme.strategy.Fixture.COINBASE;
import static io.mme.strategy.Fixture.KRAKEN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class AvellanedaStoikovStrategyTest {
    private static final long FV = 50_000_000_000_000L;

    private static AvellanedaStoikovStrategy strategy() {
        // gamma 0.01/USD, k 0.5/USD, A 140/s, sigma 5 USD/sqrt(s), half-life 60 s, tau 60 s, size 0.001
        return new AvellanedaStoikovStrategy(AvellanedaStoikovStrategy.Parameters.defaults());
    }

    private static QuoteTargets quote(AvellanedaStoikovStrategy strategy, long inventory) {
        strategy.start(TestMarket.of(FV, inventory, 1, COINBASE, KRAKEN));
        QuoteTargets out = new QuoteTargets(2, 1);
        out.clear();
        strategy.quote(out);
        return out;
    }

    @Test
    void quotesTheModelsBidAndAskAroundTheFairValueOnEveryVenue() {
        AvellanedaStoikovStrategy s = strategy();
        QuoteTargets flat = quote(s, 0);
        double spread = 0.01 * 25 * 60 + 2 / 0.01 * Math.log(1 + 0.01 / 0.5);
        assertThat(flat.priceNanos(0, io.mme.strategy.api.Side.BUY, 0)).isCloseTo(FV - spread / 2 * 1e9, within(1e3));
        assertThat(flat.priceNanos(1, io.mme.strategy.api.Side.SELL, 0)).isCloseTo(FV + spread / 2 * 1e9, within(1e3));
        assertThat(flat.sizeNanos(1, io.mme.strategy.api.Side.BUY, 0)).isEqualTo(1_000_000);
    }

    @Test
    void inventoryInQuoteSizeUnitsShiftsTheReservationPriceAgainstIt() {
        AvellanedaStoikovStrategy s = strategy();
        QuoteTargets flat = quote(s, 0);
        QuoteTargets longTwo = quote(s, 2_000_000);
        // q = 2 units: r moves down by 2 * 0.01 * 25 * 60 = 30 USD
        assertThat(flat.priceNanos(0, io.mme.strategy.api.Side.BUY, 0) - longTwo.priceNanos(0, io.mme.strategy.api.Side.BUY, 0)).isCloseTo(30e9, within(1e3));
        assertThat(flat.priceNanos(0, io.mme.strategy.api.Side.SELL, 0) - longTwo.priceNanos(0, io.mme.strategy.api.Side.SELL, 0)).isCloseTo(30e9, within(1e3));
    }

    @Test
    void sigmaFollowsTheFairValueInEventTime() {
        AvellanedaStoikovStrategy s = strategy();
        assertThat(s.sigma()).isEqualTo(5);
        s.onFairValue(Fixture.T0, FV);
        s.onFairValue(Fixture.T0 + 60 * Fixture.SECOND, FV + 60_000_000_000L);
        // one sample of 60 USD over 60 s (sigma sqrt(60)) with half the weight: var = (25 + 60) / 2
        assertThat(s.sigma()).isCloseTo(Math.sqrt((25 + 60) / 2.0), within(1e-9));
        assertThat(s.setParameter(AvellanedaStoikovStrategy.SIGMA_INITIAL_NANOS, 2_000_000_000L)).isNull();
        assertThat(s.sigma()).isEqualTo(2);
    }

    @Test
    void hostedByTheEngineALongPositionFromFillsSkewsTheQuotesDown() {
        Fixture f = new Fixture(Fixture.config(), strategy());
        List<QuoteIntent> first = f.book(COINBASE, 4_900_000, 5_100_000, FV);
        assertThat(first).hasSize(2);
        long bid = first.get(0).priceTicks();
        f.acceptAll(first);
        List<QuoteIntent> afterFill = f.fill(ExecType.FILLED, COINBASE, f.engine.slotOrderId(0, Side.BUY, 0), Side.BUY, bid, 10, 0);
        assertThat(f.engine.inventoryNanos()).isEqualTo(1_000_000);
        // q = 1: 15 USD lower = 1500 ticks
        assertThat(afterFill).filteredOn(q -> q.side() == Side.BUY).singleElement()
                .extracting(QuoteIntent::priceTicks).isEqualTo(bid - 1500);
    }

    @Test
    void refusesOutOfRangeGamma() {
        AvellanedaStoikovStrategy s = strategy();
        assertThat(s.setParameter(AvellanedaStoikovStrategy.GAMMA_MICRO, 0)).contains("gamma.micro=0", "keeping 10000");
        assertThat(s.model().gamma()).isEqualTo(0.01);
    }
}
