package io.mme.execution;

/**
 * Where an order stands as the execution engine knows it. The terminal states (FILLED, CANCELLED,
 * REJECTED) take the order out of the open-order table.
 */
public enum OrderState {
    /** sent, not acknowledged yet */
    PENDING_NEW,
    NEW,
    PARTIALLY_FILLED,
    FILLED,
    CANCELLED,
    REJECTED,
    /** a cancel is on its way */
    PENDING_CANCEL,
    /** a replace is on its way */
    PENDING_REPLACE,
    /** an acknowledgement timed out: the venue is asked for the order's status, never sent the order again */
    UNKNOWN;

    private static final OrderState[] BY_ORDINAL = values();

    public boolean isTerminal() {
        return this == FILLED || this == CANCELLED || this == REJECTED;
    }

    /** true while a request of ours waits for the venue's answer */
    public boolean isPending() {
        return this == PENDING_NEW || this == PENDING_CANCEL || this == PENDING_REPLACE;
    }

    static OrderState of(int ordinal) {
        return BY_ORDINAL[ordinal];
    }
}
