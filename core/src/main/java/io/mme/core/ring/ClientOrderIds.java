package io.mme.core.ring;

/**
 * Client order ids taken from the sequenced input itself: the order placed by intent {@code i} of
 * inbound event {@code s} has id {@code (s + 1) * 16 + i}. Every engine can compute the id from the
 * slot alone (the strategy that wrote the intent, risk that approved it, execution that sends it),
 * no engine has to tell another, ids never repeat within a journal, and a replay gives the same
 * ids. The +1 keeps every id above 0, which {@link QuoteIntent} uses for "no order".
 */
public final class ClientOrderIds {
    /** intents per event, a power of two; equals {@link InboundEvent#MAX_INTENTS} */
    public static final int PER_EVENT = 16;
    private static final int SHIFT = 4;

    private ClientOrderIds() {
    }

    /** the id of the order placed by intent {@code intentIndex} of inbound event {@code sequence} */
    public static long of(long sequence, int intentIndex) {
        if (sequence < 0 || intentIndex < 0 || intentIndex >= PER_EVENT) {
            throw new IllegalArgumentException("no client order id for event " + sequence + " intent " + intentIndex);
        }
        return ((sequence + 1) << SHIFT) | intentIndex;
    }

    /** the inbound event that placed the order */
    public static long sequenceOf(long clientOrderId) {
        return (clientOrderId >>> SHIFT) - 1;
    }

    /** which intent of that event placed the order */
    public static int intentOf(long clientOrderId) {
        return (int) (clientOrderId & (PER_EVENT - 1));
    }
}
