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
    CANCEL_REJECTED,
    /**
     * The venue's answer to a status query: {@code leavesQuantityLots} is what is still open (0 when
     * the order is done or the venue does not know it), {@code priceTicks} its price. Fills are
     * never carried by a status report; they come as fill reports of their own.
     */
    ORDER_STATUS
}
