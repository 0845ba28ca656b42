package io.mme.app.config;

import java.util.List;

/** The configuration cannot be used; every problem found is listed, not only the first. */
public final class ConfigException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final transient List<ConfigError> errors;

    public ConfigException(List<ConfigError> errors) {
        this(errors, List.of());
    }

    /** @param notes what could not be checked because of the errors (printed after them) */
    public ConfigException(List<ConfigError> errors, List<String> notes) {
        super(format(errors, notes));
        this.errors = List.copyOf(errors);
    }

    public List<ConfigError> errors() {
        return errors;
    }

    private static String format(List<ConfigError> errors, List<String> notes) {
        StringBuilder out = new StringBuilder("invalid configuration (" + errors.size() + " error"
                + (errors.size() == 1 ? "" : "s") + "):");
        for (ConfigError e : errors) {
            out.append(System.lineSeparator()).append("  ").append(e);
        }
        for (String note : notes) {
            out.append(System.lineSeparator()).append("  (").append(note).append(')');
        }
        return out.toString();
    }
}
