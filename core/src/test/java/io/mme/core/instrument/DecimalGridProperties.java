package io.mme.core.instrument;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

import java.math.BigDecimal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Round trips of decimal text and ticks, checked against BigDecimal as the oracle (tests only). */
class DecimalGridProperties {

    record Case(DecimalGrid grid, long steps) {
    }

    @Provide
    Arbitrary<DecimalGrid> grids() {
        Arbitrary<Integer> scale = Arbitraries.integers().between(0, 12);
        Arbitrary<Integer> units = Arbitraries.of(1, 2, 5, 10, 25, 50, 100, 1000);
        return Combinators.combine(scale, units).as((s, u) ->
                DecimalGrid.of("prop", BigDecimal.valueOf(u).movePointLeft(s).toPlainString()));
    }

    @Property(tries = 2000)
    void stepsSurviveFormatThenParse(@ForAll("grids") DecimalGrid grid,
                                     @ForAll @LongRange(min = -1_000_000_000_000L, max = 1_000_000_000_000L) long steps) {
        String text = grid.format(steps);
        assertThat(grid.toSteps(text)).isEqualTo(steps);
        BigDecimal expected = new BigDecimal(grid.step()).multiply(BigDecimal.valueOf(steps));
        assertThat(new BigDecimal(text)).isEqualByComparingTo(expected);
    }

    @Property(tries = 2000)
    void randomDecimalTextParsesExactlyOrIsOffGrid(@ForAll("grids") DecimalGrid grid,
                                                   @ForAll @LongRange(min = 0, max = 999_999_999_999L) long mantissa,
                                                   @ForAll @IntRange(min = 0, max = 14) int decimals,
                                                   @ForAll @IntRange(min = 0, max = 3) int trailingZeros,
                                                   @ForAll boolean negative) {
        BigDecimal value = BigDecimal.valueOf(negative ? -mantissa : mantissa, decimals);
        String text = value.toPlainString() + (trailingZeros > 0 && decimals > 0 ? "0".repeat(trailingZeros) : "");
        BigDecimal[] division = value.divideAndRemainder(new BigDecimal(grid.step()));
        // the grid works in units of 10^-scale; a value whose units overflow a long is refused
        BigDecimal units = value.movePointRight(grid.scale());
        boolean fits = units.compareTo(BigDecimal.valueOf(Long.MIN_VALUE)) >= 0
                && units.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) <= 0;
        if (division[1].signum() == 0 && !fits) {
            assertThatThrownBy(() -> grid.toSteps(text))
                    .isInstanceOf(FixedPointException.class)
                    .extracting(e -> ((FixedPointException) e).reason())
                    .isEqualTo(FixedPointException.Reason.OVERFLOW);
        } else if (division[1].signum() == 0) {
            long steps = grid.toSteps(text);
            assertThat(steps).isEqualTo(division[0].longValueExact());
            assertThat(new BigDecimal(grid.format(steps))).isEqualByComparingTo(value);
        } else {
            assertThatThrownBy(() -> grid.toSteps(text))
                    .isInstanceOf(FixedPointException.class)
                    .hasMessageContaining(text)
                    .extracting(e -> ((FixedPointException) e).reason())
                    .isEqualTo(FixedPointException.Reason.OFF_GRID);
        }
    }

    @Property(tries = 500)
    void anyLongOfStepsRoundTripsOnAUnitGrid(@ForAll long steps, @ForAll @IntRange(min = 0, max = 18) int scale) {
        DecimalGrid grid = DecimalGrid.of("prop", BigDecimal.ONE.movePointLeft(scale).toPlainString());
        assertThat(grid.toSteps(grid.format(steps))).isEqualTo(steps);
    }

    /** text close to decimals: digits, points, signs, stray characters, long runs of digits, zeros past the grid */
    @Provide
    Arbitrary<String> decimalLikeText() {
        Arbitrary<String> chunk = Arbitraries.oneOf(
                Arbitraries.strings().withChars("0123456789").ofMinLength(1).ofMaxLength(22),
                Arbitraries.of(".", "-", "0", "00000", "x", " ", "e5", "+"));
        return chunk.list().ofMinSize(0).ofMaxSize(5).map(parts -> String.join("", parts));
    }

    @Property(tries = 5000)
    void theCharacterArrayPathAgreesWithTheCheckedPathOnAnyText(@ForAll("grids") DecimalGrid grid, @ForAll("decimalLikeText") String value,
                                                                @ForAll @IntRange(min = 0, max = 3) int padding) {
        // the value sits inside a larger buffer, as in a scanner's copy of a message
        String text = "[\"".repeat(padding) + value + "\"]";
        char[] chars = text.toCharArray();
        int start = 2 * padding;
        int end = start + value.length();
        Object expected;
        try {
            expected = grid.toSteps(text, start, end);
        } catch (FixedPointException e) {
            expected = e.reason() + ": " + e.getMessage();
        }
        Object actual;
        try {
            actual = grid.toSteps(chars, start, end);
        } catch (FixedPointException e) {
            actual = e.reason() + ": " + e.getMessage();
        }
        assertThat(actual).as("'%s' on %s", value, grid).isEqualTo(expected);
    }
}
