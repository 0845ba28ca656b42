package io.mme.execution;

import io.mme.core.ring.RejectCodes;

/**
 * Why the execution engine itself refused an intent; the reason code of its synthetic execution
 * reports is {@link RejectCodes#EXECUTION_BASE} + {@link #offset()}.
 */
public enum ExecutionRejectCode {
    /** the intent's venue has no gateway in the routing table */
    NO_ROUTE(1),
    /** the outbound publisher refused the command: trading is halted */
    TRADING_HALTED(2),
    /** the open-order table is full */
    ORDER_TABLE_FULL(3),
    /** the replace or cancel names an order that is not open */
    ORDER_NOT_OPEN(4),
    /** the replace names an order with a request still unanswered (or in doubt) */
    ORDER_BUSY(5),
    /** the cancel names an order whose cancel is already on its way */
    CANCEL_PENDING(6),
    /** the intent reached execution with no risk verdict */
    NOT_APPROVED(7),
    /**
     * not a refusal: the mark of a fill report the engine published itself for lots a venue's
     * status answer showed filled beyond what the engine had counted (already applied by execution)
     */
    RECONCILED_FILL(8);

    private static final ExecutionRejectCode[] BY_OFFSET;

    static {
        ExecutionRejectCode[] all = values();
        BY_OFFSET = new ExecutionRejectCode[all.length + 1];
        for (ExecutionRejectCode c : all) {
            BY_OFFSET[c.offset] = c;
        }
    }

    private final int offset;

    ExecutionRejectCode(int offset) {
        this.offset = offset;
    }

    public int offset() {
        return offset;
    }

    /** the reason code carried by reports */
    public int code() {
        return RejectCodes.EXECUTION_BASE + offset;
    }

    /** the execution code behind a reason code, or null when the code is not one of ours */
    public static ExecutionRejectCode ofCode(int code) {
        int offset = code - RejectCodes.EXECUTION_BASE;
        return offset > 0 && offset < BY_OFFSET.length ? BY_OFFSET[offset] : null;
    }
}
