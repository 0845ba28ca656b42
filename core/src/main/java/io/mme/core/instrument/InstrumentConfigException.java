package io.mme.core.instrument;

/**
 * An instrument's configuration is wrong. {@link #field()} names the field of
 * {@link InstrumentSpec} that is at fault so that a config loader can point at the key.
 */
public final class InstrumentConfigException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final String field;
    private final String value;

    public InstrumentConfigException(String field, String value, String message) {
        super(message);
        this.field = field;
        this.value = value;
    }

    public String field() {
        return field;
    }

    public String value() {
        return value;
    }
}
