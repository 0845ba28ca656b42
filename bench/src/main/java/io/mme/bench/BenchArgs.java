package io.mme.bench;

/** Parsing shared by the load generators' hand-written option parsers. Stateless. */
final class BenchArgs {
    private BenchArgs() {
    }

    /**
     * A whole number option value ({@code _} and {@code ,} allowed as separators) within min..max.
     *
     * @throws IllegalArgumentException naming the option and the value
     */
    static long number(String key, String value, long min, long max) {
        long n;
        try {
            n = Long.parseLong(value.replace("_", "").replace(",", ""));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("option " + key + ": '" + value + "' is not a whole number");
        }
        if (n < min || n > max) {
            throw new IllegalArgumentException("option " + key + ": " + value + " is outside " + min + ".." + max);
        }
        return n;
    }
}
