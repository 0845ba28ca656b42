package io.mme.core.instrument;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

import java.math.BigInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FixedMathTest {
    @Property
    void mulDivEqualsTheExactQuotientRoundedTowardZero(@ForAll @LongRange(min = -4_000_000_000_000_000_000L, max = 4_000_000_000_000_000_000L) long a,
                                                        @ForAll @LongRange(min = -4_000_000_000L, max = 4_000_000_000L) long b,
                                                        @ForAll @LongRange(min = 1, max = 2_000_000_000L) long c) {
        BigInteger exact = BigInteger.valueOf(a).multiply(BigInteger.valueOf(b)).divide(BigInteger.valueOf(c));
        if (exact.bitLength() <= 63) {
            assertThat(FixedMath.mulDiv(a, b, c)).isEqualTo(exact.longValueExact());
        } else {
            assertThatThrownBy(() -> FixedMath.mulDiv(a, b, c)).isInstanceOf(ArithmeticException.class);
        }
    }

    @Property
    void mulDivIsExactForLargeDivisorsToo(@ForAll @LongRange(min = 0, max = 4_000_000_000_000_000_000L) long a,
                                          @ForAll @LongRange(min = 0, max = 4_000_000_000_000_000_000L) long b,
                                          @ForAll @LongRange(min = 1, max = Long.MAX_VALUE) long c) {
        BigInteger exact = BigInteger.valueOf(a).multiply(BigInteger.valueOf(b)).divide(BigInteger.valueOf(c));
        if (exact.bitLength() <= 63) {
            assertThat(FixedMath.mulDiv(a, b, c)).isEqualTo(exact.longValueExact());
        } else {
            assertThatThrownBy(() -> FixedMath.mulDiv(a, b, c)).isInstanceOf(ArithmeticException.class);
        }
    }

    @Test
    void theAverageCostOfManyBaseUnitsDoesNotOverflow() {
        // 50 units bought for 15.015 quote: 0.3003 per unit (a position of many base units, as in an altcoin)
        assertThat(FixedMath.mulDiv(15_015_000_000L, 1_000_000_000L, 50_000_000_000L)).isEqualTo(300_300_000L);
    }

    @Test
    void aNotionalTooLargeForALongIsRefusedNotWrapped() {
        assertThatThrownBy(() -> FixedMath.mulDiv(Long.MAX_VALUE / 2, 4_000_000_000L, 1_000_000_000L)).isInstanceOf(ArithmeticException.class);
    }

    @Test
    void instrumentUnitsConvertToNanosAndRoundBidsDownAndAsksUp() {
        Instrument btc = InstrumentRegistry.builder()
                .add(new InstrumentSpec(Venue.KRAKEN, "XBT/USD", "XBT", "USD", "0.1", "0.00000001", null, null, null, null))
                .build().get(0);
        assertThat(btc.nanosPerTick()).isEqualTo(100_000_000L);
        assertThat(btc.nanosPerLot()).isEqualTo(10L);
        // 64000.1 USD x 0.5 BTC = 32000.05 USD
        assertThat(btc.notionalNanos(640_001, 50_000_000)).isEqualTo(32_000_050_000_000L);
        assertThat(btc.ticksAtOrBelow(64_000_150_000_000L)).isEqualTo(640_001);
        assertThat(btc.ticksAtOrAbove(64_000_150_000_000L)).isEqualTo(640_002);
        assertThat(btc.ticksAtOrAbove(64_000_100_000_000L)).isEqualTo(640_001);
    }
}
