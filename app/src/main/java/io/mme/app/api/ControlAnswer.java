package io.mme.app.api;

/**
 * What the engine that owns the state did with a control command, once the whole chain handled it.
 *
 * @param requestId the request's id
 * @param sequence  the CONTROL event's number in the sequenced input (the journal's key)
 * @param answered  false when no engine owns such a command (nothing changed)
 * @param applied   whether the change took effect
 * @param oldValue  the value before
 * @param message   why it was refused, or null
 */
public record ControlAnswer(long requestId, long sequence, boolean answered, boolean applied, long oldValue, String message) {
}
