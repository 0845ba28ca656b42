package io.mme.strategy;

/** Range checks and refusal messages for strategy parameters (control path only). Stateless. */
final class ParameterChecks {
    private ParameterChecks() {
    }

    /** null when {@code min <= value <= max}, else a refusal naming the key, unit, range and kept value */
    static String range(String key, long value, long min, long max, String unit, long current) {
        if (value >= min && value <= max) {
            return null;
        }
        return "strategy parameter " + key + "=" + value + " refused: must be between " + min + " and " + max
                + " (" + unit + "); keeping " + current;
    }

    static String unknown(String key, Iterable<String> known) {
        return "strategy parameter '" + key + "' refused: unknown key; known keys: " + String.join(", ", known);
    }
}
