package io.mme.app.instruments;

/**
 * A metadata response as a whole is not the venue's answer: not JSON, an error object, or without
 * the list of instruments. A single bad entry never raises this; it is skipped and counted.
 */
public final class MetadataFormatException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public MetadataFormatException(String message) {
        super(message);
    }
}
