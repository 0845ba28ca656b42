package io.mme.connectors.hyperliquid;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The tick from szDecimals and the five-significant-figure rule on top of it (the venue's examples). */
class HyperliquidTicksTest {
    @Test
    void theTickIsTheDecimalBoundOfSzDecimals() {
        assertThat(HyperliquidTicks.tickSize(5, true)).isEqualTo("0.1");   // BTC
        assertThat(HyperliquidTicks.tickSize(4, true)).isEqualTo("0.01");  // ETH
        assertThat(HyperliquidTicks.tickSize(0, true)).isEqualTo("0.000001");
        assertThat(HyperliquidTicks.tickSize(6, true)).isEqualTo("1");
        assertThat(HyperliquidTicks.tickSize(2, false)).isEqualTo("0.000001");
        assertThat(HyperliquidTicks.lotSize(5)).isEqualTo("0.00001");
        assertThat(HyperliquidTicks.lotSize(0)).isEqualTo("1");
    }

    @Test
    void fiveSignificantFiguresOrAnInteger() {
        // szDecimals 4: two decimals. 1234.5 is valid, 1234.56 is not
        assertThat(HyperliquidTicks.valid(123450, 2)).isTrue();
        assertThat(HyperliquidTicks.valid(123456, 2)).isFalse();
        // szDecimals 0: six decimals. 0.001234 valid
        assertThat(HyperliquidTicks.valid(1234, 6)).isTrue();
        // an integer is always valid: 123456 with BTC's one decimal
        assertThat(HyperliquidTicks.valid(1234560, 1)).isTrue();
        assertThat(HyperliquidTicks.valid(1234561, 1)).isFalse();
        // BTC at 105,055: whole dollars only; at 9,999.5 tenths again
        assertThat(HyperliquidTicks.significantStepTicks(1050550, 1)).isEqualTo(10);
        assertThat(HyperliquidTicks.significantStepTicks(99995, 1)).isEqualTo(1);
    }

    @Test
    void roundingGoesDownForBidsAndUpForAsks() {
        assertThat(HyperliquidTicks.round(123456, 2, false)).isEqualTo(123450);
        assertThat(HyperliquidTicks.round(123456, 2, true)).isEqualTo(123460);
        assertThat(HyperliquidTicks.round(123450, 2, true)).isEqualTo(123450);
        assertThat(HyperliquidTicks.round(999995, 1, true)).isEqualTo(1000000);
        assertThat(HyperliquidTicks.valid(HyperliquidTicks.round(999995, 1, true), 1)).isTrue();
    }
}
