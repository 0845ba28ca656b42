package io.mme.app.config;

/**
 * One thing wrong with the configuration.
 *
 * @param key      the key as a path: {@code engine.inboundRingSize}, {@code instruments[2].tickSize}
 * @param value    the offending value as text (null when missing)
 * @param expected what would have been accepted
 * @param source   where the value came from: the file, or the environment variable that set it
 */
public record ConfigError(String key, String value, String expected, String source) {
    @Override
    public String toString() {
        return key + " = " + (value == null ? "(missing)" : "'" + value + "'")
                + (source == null ? "" : " (from " + source + ")") + ": expected " + expected;
    }
}
