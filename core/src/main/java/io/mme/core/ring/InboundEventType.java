package io.mme.core.ring;

/** What the input of an inbound slot is; it says which of the slot's parts are filled. */
public enum InboundEventType {
    /** a normalised venue market data update: {@link InboundEvent#marketData()} */
    MARKET_DATA,
    /** an execution report from a venue gateway or the paper venue: {@link InboundEvent#executionReport()} */
    EXECUTION_REPORT,
    /** a clock tick from the timer source; only the header's timestamp matters */
    TIMER,
    /** an operator or API command: {@link InboundEvent#control()} */
    CONTROL
}
