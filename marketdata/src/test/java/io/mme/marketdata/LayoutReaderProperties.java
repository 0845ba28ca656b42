package io.mme.marketdata;

import io.mme.core.instrument.DecimalGrid;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link LayoutReader}'s values against the general path's: a decimal it reads is what
 * {@link DecimalGrid#toSteps(char[], int, int)} gives for the string's text (and it gives up, -1,
 * on whatever that refuses), a whole number it reads is what {@link JsonScanner#asLong()} gives,
 * and a time {@link Rfc3339#epochNanosOrMin} reads is what {@link Rfc3339#epochNanos(CharSequence, int, int)}
 * gives.
 */
class LayoutReaderProperties {
    private static final DecimalGrid[] GRIDS = {
            DecimalGrid.of("price", "0.00000001"), DecimalGrid.of("price", "0.01"), DecimalGrid.of("price", "0.05"),
            DecimalGrid.of("lot", "1"), DecimalGrid.of("lot", "5"), DecimalGrid.of("lot", "0.001")};

    @Property(tries = 3000)
    void aDecimalReadIsWhatToStepsGivesAndOneToStepsRefusesIsNotRead(@ForAll("values") String value, @ForAll("grids") int grid) {
        String message = "[" + value + ",\"x\"]";
        char[] chars = message.toCharArray();
        LayoutReader reader = new LayoutReader().reset(chars, 1, chars.length);
        long steps = reader.steps(GRIDS[grid]);
        JsonScanner json = new JsonScanner().reset(message);
        json.next();
        String oracle;
        try {
            oracle = json.next() == JsonScanner.Token.STRING && !json.escaped()
                    ? String.valueOf(GRIDS[grid].toSteps(json.chars(), json.start(), json.end())) : "not a string";
        } catch (RuntimeException e) {
            oracle = "threw";
        }
        if (steps >= 0) {
            assertThat(String.valueOf(steps)).as(message).isEqualTo(oracle);
            assertThat(reader.pos()).as("after the closing quote of " + message).isEqualTo(json.end() + 1);
        } else {
            assertThat(reader.pos()).as("nothing read of " + message).isEqualTo(1);
        }
    }

    @Property(tries = 2000)
    void aWholeNumberReadIsWhatAsLongGives(@ForAll("numbers") String number) {
        String message = "[" + number + ",1]";
        char[] chars = message.toCharArray();
        LayoutReader reader = new LayoutReader().reset(chars, 1, chars.length);
        long value = reader.digits();
        if (value >= 0) {
            JsonScanner json = new JsonScanner().reset(message);
            json.next();
            json.next();
            assertThat(json.token()).as(message).isEqualTo(JsonScanner.Token.NUMBER);
            assertThat(value).as(message).isEqualTo(json.asLong());
            assertThat(reader.pos()).as(message).isEqualTo(json.end());
        } else {
            assertThat(reader.pos()).as("nothing read of " + message).isEqualTo(1);
        }
    }

    @Property(tries = 2000)
    void aTimeReadIsWhatEpochNanosGives(@ForAll("times") String time) {
        char[] chars = time.toCharArray();
        long nanos = Rfc3339.epochNanosOrMin(chars, 0, chars.length);
        if (nanos != Long.MIN_VALUE) {
            assertThat(nanos).as(time).isEqualTo(Rfc3339.epochNanos(time, 0, time.length()));
        }
    }

    @Test
    void literalsAreReadWholeOrNotAtAll() {
        char[] chars = "{\"e\":\"depthUpdate\",\"E\":12}".toCharArray();
        LayoutReader reader = new LayoutReader().reset(chars, 0, chars.length);
        assertThat(reader.skip("{\"e\":\"depthUpdatX")).isFalse();
        assertThat(reader.pos()).isZero();
        assertThat(reader.skip("{\"e\":\"depthUpdate\",\"E\":")).isTrue();
        assertThat(reader.digits()).isEqualTo(12);
        assertThat(reader.skip('}')).isTrue();
        assertThat(reader.atEnd()).isTrue();
        assertThat(reader.skip("}")).isFalse();
    }

    @Provide
    Arbitrary<Integer> grids() {
        return Arbitraries.integers().between(0, GRIDS.length - 1);
    }

    @Provide
    Arbitrary<String> values() {
        Arbitrary<String> decimals = Arbitraries.strings().withChars("0123456789").ofMinLength(0).ofMaxLength(21)
                .flatMap(i -> Arbitraries.strings().withChars("0123456789").ofMinLength(0).ofMaxLength(12)
                        .map(f -> "\"" + i + (f.isEmpty() && i.length() % 2 == 0 ? "" : "." + f) + "\""));
        Arbitrary<String> odd = Arbitraries.strings().withChars("0123456789.-+e\\\"x ").ofMinLength(0).ofMaxLength(14)
                .map(t -> "\"" + t + "\"");
        Arbitrary<String> notStrings = Arbitraries.of("12.5", "true", "null", "[", "{", "-3", "\"1", "\"");
        return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(6, decimals), net.jqwik.api.Tuple.of(3, odd), net.jqwik.api.Tuple.of(1, notStrings));
    }

    @Provide
    Arbitrary<String> numbers() {
        Arbitrary<String> digits = Arbitraries.strings().withChars("0123456789").ofMinLength(0).ofMaxLength(21);
        Arbitrary<String> odd = Arbitraries.strings().withChars("0123456789.-+eE").ofMinLength(1).ofMaxLength(22);
        return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(3, digits), net.jqwik.api.Tuple.of(1, odd));
    }

    @Provide
    Arbitrary<String> times() {
        Arbitrary<String> usual = Arbitraries.strings().withChars("0123456789").ofLength(14)
                .flatMap(d -> Arbitraries.strings().withChars("0123456789").ofMinLength(0).ofMaxLength(11)
                        .map(f -> d.substring(0, 4) + "-" + d.substring(4, 6) + "-" + d.substring(6, 8) + "T" + d.substring(8, 10) + ":"
                                + d.substring(10, 12) + ":" + d.substring(12, 14) + (f.isEmpty() ? "" : "." + f) + "Z"));
        Arbitrary<String> plausible = Arbitraries.integers().between(0, 1_000_000).map(n -> String.format(
                "20%02d-%02d-%02dT%02d:%02d:%02d.%06dZ", n % 100, 1 + n % 12, 1 + n % 28, n % 24, n % 60, n % 61, n));
        return Arbitraries.oneOf(usual, plausible);
    }
}
