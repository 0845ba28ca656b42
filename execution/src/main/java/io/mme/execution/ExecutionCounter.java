package io.mme.execution;

/** The numbers the execution engine keeps per venue (see {@link ExecutionView}). */
public enum ExecutionCounter {
    /** NEW commands sent */
    ORDERS_SENT,
    /** ACCEPTED reports applied */
    ACKS,
    /** fill reports, late ones included */
    FILLS,
    /** lots filled, late fills included */
    FILLED_LOTS,
    /** orders cancelled (CANCELLED reports applied) */
    CANCELS,
    /** orders the venue rejected */
    REJECTS,
    /** intents refused before reaching the venue (by risk or by execution), answered with a synthetic report */
    SYNTHETIC_REJECTS,
    /** REPLACED reports applied */
    REPLACES,
    /** CANCEL_REJECTED reports applied */
    CANCEL_REJECTS,
    /** orders in the open-order table now */
    OPEN_ORDERS,
    /** fills after a cancel request or after the order ended */
    LATE_FILLS,
    /** acknowledgements that timed out (the order went UNKNOWN) */
    TIMEOUTS,
    /** STATUS commands sent */
    STATUS_QUERIES,
    /** orders left UNKNOWN after every status query went unanswered */
    UNRESOLVED,
    /** fills beyond an order's quantity (lots beyond it) */
    OVERFILLED_LOTS,
    /** reports that repeat or contradict what the order already went through */
    DUPLICATE_REPORTS,
    /** reports for client order ids the engine does not know */
    UNKNOWN_REPORTS,
    /** lots booked from a venue's cumulative quantity (fills missed while a stream was down or the engine stopped) */
    RECONCILED_LOTS,
    /** orders of ours found open on the venue at reconciliation that the engine did not hold */
    UNKNOWN_VENUE_ORDERS,
    /** of those, the ones the engine took over (policy adopt) */
    ADOPTED_ORDERS;

    static final ExecutionCounter[] ALL = values();
}
