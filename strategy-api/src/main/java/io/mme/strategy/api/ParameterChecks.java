package io.mme.strategy.api;

/**
 * Refusal messages for {@link Strategy#setParameter}, so that every strategy names a bad value the
 * same way. Control path only (builds strings); stateless.
 */
public final class ParameterChecks {
    private ParameterChecks() {
    }

    /** null when {@code min <= value <= max}, else a refusal naming the key, unit, range and kept value */
    public static String range(String key, long value, long min, long max, String unit, long current) {
        if (value >= min && value <= max) {
            return null;
        }
        return "strategy parameter " + key + "=" + value + " refused: must be between " + min + " and " + max
                + " (" + unit + "); keeping " + current;
    }

    /** the refusal of a key the strategy does not know, listing the known ones */
    public static String unknown(String key, Iterable<String> known) {
        return "strategy parameter '" + key + "' refused: unknown key; known keys: " + String.join(", ", known);
    }
}
