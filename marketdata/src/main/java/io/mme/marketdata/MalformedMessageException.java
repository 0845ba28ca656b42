package io.mme.marketdata;

/**
 * A venue message could not be read: the message, the position and what was expected. Thrown on
 * the error path only; the decoder that catches it counts the message as malformed and keeps going.
 */
public final class MalformedMessageException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int position;

    public MalformedMessageException(String what, CharSequence message, int position) {
        super(what + " at character " + position + " of: " + excerpt(message, position));
        this.position = position;
    }

    public int position() {
        return position;
    }

    private static String excerpt(CharSequence message, int position) {
        int from = Math.max(0, position - 40);
        int to = Math.min(message.length(), position + 40);
        return (from > 0 ? "…" : "") + message.subSequence(from, to) + (to < message.length() ? "…" : "");
    }
}
