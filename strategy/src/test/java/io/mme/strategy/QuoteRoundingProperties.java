package io.mme.strategy;

import io.mme.core.instrument.Instrument;
import io.mme.core.ring.QuoteAction;
import io.mme.core.ring.QuoteIntent;
import io.mme.core.ring.Side;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.LongRange;

import java.util.List;

import static io.mme.strategy.Fixture.COINBASE;
import static io.mme.strategy.Fixture.KRAKEN;
import static org.assertj.core.api.Assertions.assertThat;

class QuoteRoundingProperties {
    @Property(tries = 500)
    void quotesNeverRoundInsideTheIntendedSpreadNorAboveTheIntendedSize(
            @ForAll @LongRange(min = 10_000_000_000L, max = 200_000_000_000_000L) long fairValue,
            @ForAll @DoubleRange(min = 0, max = 5e9) double bidOffset,
            @ForAll @DoubleRange(min = 0, max = 5e9) double askOffset,
            @ForAll @LongRange(min = 1, max = 100_000_000L) long size) {
        ScriptedStrategy strategy = new ScriptedStrategy(bidOffset, askOffset, size);
        Fixture f = new Fixture(Fixture.config(), strategy);
        // books far away so that the touch guard never moves a quote
        f.book(KRAKEN, 1, Long.MAX_VALUE / 4, Long.MIN_VALUE);
        f.book(COINBASE, 1, Long.MAX_VALUE / 4, Long.MIN_VALUE);
        List<QuoteIntent> intents = f.fairValue(fairValue);

        for (int id : new int[]{COINBASE, KRAKEN}) {
            Instrument instrument = Fixture.registry().get(id);
            long lots = size / instrument.nanosPerLot();
            List<QuoteIntent> mine = intents.stream().filter(q -> q.instrumentId() == id).toList();
            if (lots < instrument.minQuantityLots()) {
                assertThat(mine).isEmpty();
                continue;
            }
            double tick = instrument.nanosPerTick();
            for (QuoteIntent q : mine) {
                assertThat(q.action()).isEqualTo(QuoteAction.PLACE);
                assertThat(q.quantityLots()).isEqualTo(lots);
                assertThat(instrument.quantityNanos(q.quantityLots())).isLessThanOrEqualTo(size);
                double price = instrument.priceNanos(q.priceTicks());
                if (q.side() == Side.BUY) {
                    double intended = fairValue - bidOffset;
                    assertThat(price).isLessThanOrEqualTo(intended).isGreaterThan(intended - tick - 1);
                } else {
                    double intended = fairValue + askOffset;
                    assertThat(price).isGreaterThanOrEqualTo(intended).isLessThan(intended + tick + 1);
                }
            }
            assertThat(mine).hasSize(2);
        }
    }

    @Property(tries = 1000)
    void theEnginesCachedRoundingIsTheInstrumentsOwn(
            @ForAll @LongRange(min = -1_000_000_000_000L, max = 1_000_000_000_000_000L) long priceNanos) {
        for (Instrument instrument : Fixture.registry().all()) {
            assertThat(StrategyUnit.ticksAtOrBelow(priceNanos, instrument.nanosPerTick())).isEqualTo(instrument.ticksAtOrBelow(priceNanos));
            assertThat(StrategyUnit.ticksAtOrAbove(priceNanos, instrument.nanosPerTick())).isEqualTo(instrument.ticksAtOrAbove(priceNanos));
        }
    }
}
