package io.mme.core.state;

/** State bytes that cannot be read back: truncated, corrupted or written by other code. */
public final class StateFormatException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public StateFormatException(String message) {
        super(message);
    }
}
