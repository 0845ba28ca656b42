package io.mme.marketdata;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link Rfc3339#epochNanos(char[], CharSequence, int, int)} against the CharSequence path and java.time */
class Rfc3339Properties {
    @Property(tries = 3000)
    void theArrayPathGivesWhatTheCharSequencePathGives(@ForAll("timestamps") String stamp) {
        String message = "{\"time\":\"" + stamp + "\"}";
        char[] chars = message.toCharArray();
        int start = 9;
        int end = 9 + stamp.length();
        assertThat(answer(() -> Rfc3339.epochNanos(chars, message, start, end)))
                .as(stamp).isEqualTo(answer(() -> Rfc3339.epochNanos(message, start, end)));
    }

    @Test
    void aCoinbaseTimeIsItsInstantInNanoseconds() {
        String stamp = "2021-04-17T16:43:37.075351Z";
        java.time.Instant instant = java.time.Instant.parse(stamp);
        assertThat(Rfc3339.epochNanos(stamp.toCharArray(), stamp, 0, stamp.length()))
                .isEqualTo(instant.getEpochSecond() * 1_000_000_000L + instant.getNano());
    }

    private static String answer(java.util.function.LongSupplier read) {
        try {
            return Long.toString(read.getAsLong());
        } catch (MalformedMessageException e) {
            return "threw " + e.getMessage();
        }
    }

    @Provide
    Arbitrary<String> timestamps() {
        Arbitrary<String> valid = Arbitraries.longs().between(-5_000_000_000L, 5_000_000_000L)
                .flatMap(seconds -> Arbitraries.integers().between(0, 12).map(digits -> {
                    String s = java.time.Instant.ofEpochSecond(seconds).toString(); // 2021-04-17T16:43:37Z
                    String fraction = digits == 0 ? "" : "." + "123456789012".substring(0, digits);
                    return s.substring(0, s.length() - 1) + fraction + "Z";
                }));
        // one character of a valid stamp replaced
        Arbitrary<String> broken = valid.flatMap(s -> Arbitraries.integers().between(0, s.length() - 1)
                .flatMap(at -> Arbitraries.of('x', '9', '0', '-', ':', '.', 'Z', '/').map(c -> s.substring(0, at) + c + s.substring(at + 1))));
        return Arbitraries.oneOf(valid, broken);
    }
}
