package io.mme.core.ring;

/** What the outbound ring asks a venue gateway or the paper venue to do. */
public enum OrderCommandType {
    NEW,
    CANCEL,
    REPLACE,
    /** cancel every open order of the owner on the instrument (-1: on the venue) */
    CANCEL_ALL,
    /** ask for the status of {@code targetClientOrderId}; the answer is an ORDER_STATUS report */
    STATUS;

    /** true when the command can add risk; a trading halt lets only the others through */
    public boolean addsRisk() {
        return this == NEW || this == REPLACE;
    }
}
