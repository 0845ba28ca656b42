package io.mme.core.ring;

/**
 * An operator's command (limits, trading states, strategy parameters, the kill switch) on its way
 * to the engine that owns the state it changes. A part of {@link InboundEvent}. Control commands
 * are rare and off the hot path, so they may carry Strings: who asked and why is part of the audit
 * trail.
 */
public final class ControlCommand {
    private String command;
    private long requestId;
    private String principal;
    private String reason;
    private int venueId = -1;
    private int instrumentId = -1;
    private String key;
    private long value;
    // the outcome, written by the engine that owns the state the command changes
    private boolean answered;
    private boolean applied;
    private long oldValue;
    private String message;

    public ControlCommand set(String command, long requestId, String principal, String reason) {
        this.command = command;
        this.requestId = requestId;
        this.principal = principal;
        this.reason = reason;
        this.venueId = -1;
        this.instrumentId = -1;
        this.key = null;
        this.value = 0;
        this.answered = false;
        this.applied = false;
        this.oldValue = 0;
        this.message = null;
        return this;
    }

    /**
     * The owning engine's answer, written into the slot by that engine only (risk for limits,
     * trading states and the kill switch; the strategy for its parameters), for the engines and the
     * audit after it, and for the REST API's response.
     *
     * @param applied  whether the change took effect
     * @param oldValue the value before (for a limit or state)
     * @param message  why it was refused, or a note; null when there is nothing to say
     */
    public void answer(boolean applied, long oldValue, String message) {
        this.answered = true;
        this.applied = applied;
        this.oldValue = oldValue;
        this.message = message;
    }

    /** whether an owning engine answered this command in this slot */
    public boolean answered() {
        return answered;
    }

    public boolean applied() {
        return applied;
    }

    public long oldValue() {
        return oldValue;
    }

    public String message() {
        return message;
    }

    /** what the command applies to; -1 for "all" */
    public ControlCommand target(int venueId, int instrumentId) {
        this.venueId = venueId;
        this.instrumentId = instrumentId;
        return this;
    }

    public ControlCommand argument(String key, long value) {
        this.key = key;
        this.value = value;
        return this;
    }

    /** copies every field of {@code other} into this part */
    public void copyFrom(ControlCommand other) {
        set(other.command, other.requestId, other.principal, other.reason);
        target(other.venueId, other.instrumentId);
        argument(other.key, other.value);
    }

    public String command() {
        return command;
    }

    public long requestId() {
        return requestId;
    }

    public String principal() {
        return principal;
    }

    public String reason() {
        return reason;
    }

    public int venueId() {
        return venueId;
    }

    public int instrumentId() {
        return instrumentId;
    }

    public String key() {
        return key;
    }

    public long value() {
        return value;
    }
}
