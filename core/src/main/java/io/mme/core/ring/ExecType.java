package io.mme.core.ring;

/** What an execution report says happened to an order. */
public enum ExecType {
    ACCEPTED,
    REJECTED,
    PARTIALLY_FILLED,
    FILLED,
    CANCELLED,
    REPLACED,
    /** a cancel or replace request was refused; the order stands as it was */
    CANCEL_REJECTED
}
