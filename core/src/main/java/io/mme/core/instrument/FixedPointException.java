package io.mme.core.instrument;

/**
 * A decimal text could not become whole ticks or lots (or back) exactly. The message names the
 * value, what it was for (instrument and dimension) and why. Thrown only on the error path: the
 * conversion itself allocates nothing.
 */
public final class FixedPointException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    /** Why a conversion failed. */
    public enum Reason {
        /** not a plain decimal: empty, a stray character, a sign where none belongs */
        MALFORMED,
        /** a valid decimal that is not a whole multiple of the step */
        OFF_GRID,
        /** the value does not fit a signed 64-bit count of steps */
        OVERFLOW
    }

    private final Reason reason;
    private final String value;
    private final String context;

    FixedPointException(Reason reason, String value, String context, String message) {
        super(message);
        this.reason = reason;
        this.value = value;
        this.context = context;
    }

    public Reason reason() {
        return reason;
    }

    /** the offending text, or the offending step count for a formatting overflow */
    public String value() {
        return value;
    }

    /** what the value was for, e.g. {@code "BINANCE BTCUSDT price"} */
    public String context() {
        return context;
    }
}
