package io.mme.core.ring;

/**
 * Ranges of the reason codes in {@link ExecutionReport#reasonCode()} and
 * {@link QuoteIntent#rejectCode()}, so that every engine can tell who refused an order: venue and
 * paper-venue codes stay below {@link #RISK_BASE}; the risk engine's checks use
 * {@code RISK_BASE + n}; the execution engine's own refusals use {@code EXECUTION_BASE + n}.
 */
public final class RejectCodes {
    public static final int RISK_BASE = 1000;
    public static final int EXECUTION_BASE = 2000;

    private RejectCodes() {
    }

    /** true for a code the risk engine gave */
    public static boolean isRisk(int code) {
        return code >= RISK_BASE && code < EXECUTION_BASE;
    }

    /** true for a code the execution engine gave */
    public static boolean isExecution(int code) {
        return code >= EXECUTION_BASE && code < EXECUTION_BASE + 1000;
    }
}
