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
 * {@link JsonScanner#nextSteps} against its oracle, {@link JsonScanner#next()} followed by
 * {@link DecimalGrid#toSteps(char[], int, int)}: the same token, positions, answer or exception
 * for values a feed sends and for anything near them.
 */
class JsonScannerStepsProperties {
    private static final DecimalGrid[] GRIDS = {
            DecimalGrid.of("price", "0.00000001"), DecimalGrid.of("price", "0.01"), DecimalGrid.of("price", "0.05"),
            DecimalGrid.of("lot", "1"), DecimalGrid.of("lot", "5"), DecimalGrid.of("lot", "0.001")};

    @Property(tries = 3000)
    void nextStepsGivesWhatNextAndToStepsGive(@ForAll("values") String value, @ForAll("grids") int grid,
                                              @ForAll("afters") String after) {
        String message = "[" + value + after + "\"x\"]";
        JsonScanner fused = new JsonScanner().reset(message);
        JsonScanner plain = new JsonScanner().reset(message);
        fused.next();
        plain.next();
        String fusedAnswer = answer(() -> fused.nextSteps(GRIDS[grid]), fused);
        String plainAnswer = answer(() -> plain.next() == JsonScanner.Token.STRING
                ? GRIDS[grid].toSteps(plain.chars(), plain.start(), plain.end()) : 0L, plain);
        assertThat(fusedAnswer).as("%s on %s", message, GRIDS[grid].stepUnits() + "e-" + GRIDS[grid].scale()).isEqualTo(plainAnswer);
        // and the scanner goes on from the same place
        if (!fusedAnswer.startsWith("threw")) {
            assertThat(answer(() -> fused.next().ordinal(), fused)).isEqualTo(answer(() -> plain.next().ordinal(), plain));
        }
    }

    @Test
    void aPlainDecimalIsReadInOnePassIntoSteps() {
        JsonScanner json = new JsonScanner().reset("[\"0.35130000\",\"6195.00000000\"]");
        json.next();
        assertThat(json.nextSteps(DecimalGrid.of("price", "0.0001"))).isEqualTo(3513);
        assertThat(json.token()).isEqualTo(JsonScanner.Token.STRING);
        assertThat(json.nextSteps(DecimalGrid.of("lot", "0.5"))).isEqualTo(12_390);
        assertThat(json.next()).isEqualTo(JsonScanner.Token.END_ARRAY);
    }

    @Test
    void aValueThatIsNotAStringGivesZeroAndItsToken() {
        JsonScanner json = new JsonScanner().reset("[12.5]");
        json.next();
        assertThat(json.nextSteps(DecimalGrid.of("price", "0.1"))).isZero();
        assertThat(json.token()).isEqualTo(JsonScanner.Token.NUMBER);
    }

    private static String answer(java.util.function.LongSupplier read, JsonScanner json) {
        try {
            long steps = read.getAsLong();
            return steps + " " + json.token() + " " + json.start() + ".." + json.end() + " escaped " + json.escaped();
        } catch (RuntimeException e) {
            return "threw " + e.getClass().getSimpleName() + ": " + e.getMessage();
        }
    }

    @Provide
    Arbitrary<Integer> grids() {
        return Arbitraries.integers().between(0, GRIDS.length - 1);
    }

    @Provide
    Arbitrary<String> afters() {
        return Arbitraries.of(",", "]", "}", ":", " ,", "", ",\"y\":");
    }

    @Provide
    Arbitrary<String> values() {
        Arbitrary<String> decimals = Arbitraries.strings().withChars("0123456789").ofMinLength(0).ofMaxLength(21)
                .flatMap(i -> Arbitraries.strings().withChars("0123456789").ofMinLength(0).ofMaxLength(12)
                        .map(f -> "\"" + i + (f.isEmpty() && i.length() % 2 == 0 ? "" : "." + f) + "\""));
        Arbitrary<String> odd = Arbitraries.strings().withChars("0123456789.-+e\\\"x ").ofMinLength(0).ofMaxLength(14)
                .map(t -> "\"" + t + "\"");
        Arbitrary<String> notStrings = Arbitraries.of("12.5", "true", "null", "[", "{", "-3");
        return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(6, decimals), net.jqwik.api.Tuple.of(3, odd), net.jqwik.api.Tuple.of(1, notStrings));
    }
}
