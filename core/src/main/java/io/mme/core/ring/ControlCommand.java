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

    public ControlCommand set(String command, long requestId, String principal, String reason) {
        this.command = command;
        this.requestId = requestId;
        this.principal = principal;
        this.reason = reason;
        this.venueId = -1;
        this.instrumentId = -1;
        this.key = null;
        this.value = 0;
        return this;
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
