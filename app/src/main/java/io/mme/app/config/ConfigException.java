package io.mme.app.config;

import java.util.List;

/** The configuration cannot be used; every problem found is listed, not only the first. */
public final class ConfigException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final transient List<ConfigError> errors;

    public ConfigException(List<ConfigError> errors) {
        super(format(errors));
        this.errors = List.copyOf(errors);
    }

    public List<ConfigError> errors() {
        return errors;
    }

    private static String format(List<ConfigError> errors) {
        StringBuilder out = new StringBuilder("invalid configuration (" + errors.size() + " error"
                + (errors.size() == 1 ? "" : "s") + "):");
        for (ConfigError e : errors) {
            out.append(System.lineSeparator()).append("  ").append(e);
        }
        return out.toString();
    }
}
