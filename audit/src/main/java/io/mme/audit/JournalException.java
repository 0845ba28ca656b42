package io.mme.audit;

/** A journal that cannot be opened or a record that cannot be read; the message says which and why. */
public class JournalException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public JournalException(String message) {
        super(message);
    }

    public JournalException(String message, Throwable cause) {
        super(message, cause);
    }
}
