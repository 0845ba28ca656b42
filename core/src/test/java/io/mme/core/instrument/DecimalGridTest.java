package io.mme.core.instrument;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DecimalGridTest {
    private final DecimalGrid cents = DecimalGrid.of("BINANCE BTCUSDT price", "0.01");
    private final DecimalGrid halves = DecimalGrid.of("KRAKEN XBT/USD price", "0.5");

    @Test
    void plainDecimalsBecomeExactTicks() {
        assertThat(cents.toSteps("12345.67")).isEqualTo(1_234_567);
        assertThat(cents.toSteps("0.01")).isEqualTo(1);
        assertThat(cents.toSteps("7")).isEqualTo(700);
        assertThat(cents.toSteps("100.5000000")).isEqualTo(10_050);
        assertThat(cents.toSteps("-3.10")).isEqualTo(-310);
        assertThat(halves.toSteps("100.5")).isEqualTo(201);
    }

    @Test
    void parsesASliceOfALargerTextWithoutCopying() {
        String message = "{\"p\":\"64000.25\",\"q\":\"1\"}";
        int start = message.indexOf("64000");
        assertThat(cents.toSteps(message, start, start + 8)).isEqualTo(6_400_025);
    }

    @Test
    void stepTextIsNormalised() {
        DecimalGrid grid = DecimalGrid.of("lot", "0.0010000");
        assertThat(grid.step()).isEqualTo("0.001");
        assertThat(grid.scale()).isEqualTo(3);
        assertThat(grid.stepUnits()).isEqualTo(1);
        DecimalGrid tens = DecimalGrid.of("price", "010");
        assertThat(tens.step()).isEqualTo("10");
        assertThat(tens.toSteps("120")).isEqualTo(12);
    }

    @Test
    void offGridValueIsRejectedNamingValueAndInstrument() {
        assertThatThrownBy(() -> cents.toSteps("12.345"))
                .isInstanceOf(FixedPointException.class)
                .hasMessageContaining("'12.345'")
                .hasMessageContaining("BINANCE BTCUSDT price")
                .hasMessageContaining("0.01")
                .extracting(e -> ((FixedPointException) e).reason())
                .isEqualTo(FixedPointException.Reason.OFF_GRID);
        assertThatThrownBy(() -> halves.toSteps("100.25"))
                .isInstanceOf(FixedPointException.class)
                .hasMessageContaining("not a multiple of 0.5");
    }

    @Test
    void junkIsRejectedNamingValueAndInstrument() {
        for (String junk : new String[]{"", "abc", "1.2.3", ".5", "5.", "1e5", "+1", "--1", " 1", "1,5", "-"}) {
            assertThatThrownBy(() -> cents.toSteps(junk))
                    .as("'%s'", junk)
                    .isInstanceOf(FixedPointException.class)
                    .hasMessageContaining("'" + junk + "'")
                    .hasMessageContaining("BINANCE BTCUSDT price")
                    .extracting(e -> ((FixedPointException) e).reason())
                    .isEqualTo(FixedPointException.Reason.MALFORMED);
        }
    }

    @Test
    void overflowIsRejectedNamingValue() {
        assertThatThrownBy(() -> cents.toSteps("92233720368547758.08"))
                .isInstanceOf(FixedPointException.class)
                .hasMessageContaining("overflows")
                .extracting(e -> ((FixedPointException) e).reason())
                .isEqualTo(FixedPointException.Reason.OVERFLOW);
        assertThat(cents.toSteps("92233720368547758.07")).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void formatsWithTheGridScaleOrMoreDecimals() {
        assertThat(cents.format(1_234_567)).isEqualTo("12345.67");
        assertThat(cents.format(5)).isEqualTo("0.05");
        assertThat(cents.format(-5)).isEqualTo("-0.05");
        assertThat(cents.format(-105)).isEqualTo("-1.05");
        assertThat(cents.format(0)).isEqualTo("0.00");
        assertThat(halves.format(201)).isEqualTo("100.5");
        assertThat(cents.appendDecimal(150, 8, new StringBuilder()).toString()).isEqualTo("1.50000000");
        assertThat(DecimalGrid.of("x", "5").format(3)).isEqualTo("15");
        assertThat(cents.format(Long.MIN_VALUE)).isEqualTo("-92233720368547758.08");
    }

    @Test
    void formattingAnOverflowingCountFails() {
        DecimalGrid fives = DecimalGrid.of("KRAKEN price", "0.05");
        assertThatThrownBy(() -> fives.format(Long.MAX_VALUE))
                .isInstanceOf(FixedPointException.class)
                .hasMessageContaining("KRAKEN price");
    }

    @Test
    void badStepsAreRefused() {
        for (String step : new String[]{"0", "0.000", "-0.01", "abc", "1e-8", "0.0000000000000000001"}) {
            assertThatThrownBy(() -> DecimalGrid.of("tick of X", step))
                    .as(step)
                    .isInstanceOf(FixedPointException.class)
                    .hasMessageContaining("tick of X");
        }
    }
}
