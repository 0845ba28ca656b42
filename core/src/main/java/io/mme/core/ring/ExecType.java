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
     * the order is done or the venue does not know it), {@code priceTicks} its price, and
     * {@code lastQuantityLots} the venue's cumulative filled quantity of the order (0 when the
     * venue did not say). Fills are never carried by a status report; when the venue's cumulative quantity
     * is above what the execution engine counted (fills missed while a stream was down or the engine
     * was stopped), the engine publishes the difference as a fill report of its own.
     */
    ORDER_STATUS
}
