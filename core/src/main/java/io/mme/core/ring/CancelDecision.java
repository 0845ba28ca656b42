package io.mme.core.ring;

import java.util.Arrays;

/**
 * Risk's decision, on a CONTROL event, of which of our open orders must go: a set of (instrument,
 * side) pairs. A part of {@link InboundEvent}. Risk writes it while applying a halt, a REDUCING, a
 * kill switch or a cancel-all (it knows the trading states after the change and the positions);
 * execution, the next stage, cancels every open order it holds whose instrument and side the set
 * covers. Writing the decision into the slot (rather than letting execution work it out) keeps one
 * owner per fact: the positions stay risk's, and a replay of the journal reproduces the cancels
 * from the same state.
 *
 * <p>Threads: cleared by the publisher ({@link InboundEvent#begin}), written by the risk engine's
 * thread, read by the execution engine's thread after it (the ring's barrier orders the two).
 * Allocation: the bit set grows to the highest instrument id seen, on CONTROL events only; an
 * empty set is cleared without touching the array.
 */
public final class CancelDecision {
    private long[] bits = new long[2];
    private int pairs;

    /** empties the set (cheap when it is already empty) */
    public void clear() {
        if (pairs > 0) {
            Arrays.fill(bits, 0L);
            pairs = 0;
        }
    }

    /** adds the orders of {@code instrumentId} on {@code side} to the set */
    public CancelDecision cancel(int instrumentId, Side side) {
        if (instrumentId < 0) {
            throw new IllegalArgumentException("instrument id " + instrumentId);
        }
        int bit = instrumentId * 2 + side.ordinal();
        int word = bit >>> 6;
        if (word >= bits.length) {
            bits = Arrays.copyOf(bits, Math.max(word + 1, bits.length * 2));
        }
        long mask = 1L << (bit & 63);
        if ((bits[word] & mask) == 0) {
            bits[word] |= mask;
            pairs++;
        }
        return this;
    }

    /** adds both sides of the instrument */
    public CancelDecision cancelBoth(int instrumentId) {
        return cancel(instrumentId, Side.BUY).cancel(instrumentId, Side.SELL);
    }

    /** whether open orders of that instrument and side must be cancelled */
    public boolean covers(int instrumentId, Side side) {
        if (instrumentId < 0 || side == null) {
            return false;
        }
        int bit = instrumentId * 2 + side.ordinal();
        int word = bit >>> 6;
        return word < bits.length && (bits[word] & (1L << (bit & 63))) != 0;
    }

    public boolean isEmpty() {
        return pairs == 0;
    }

    /** the number of (instrument, side) pairs in the set */
    public int pairs() {
        return pairs;
    }

    @Override
    public String toString() {
        StringBuilder out = new StringBuilder("cancel[");
        int shown = 0;
        for (int bit = 0; bit < bits.length * 64 && shown < pairs; bit++) {
            if ((bits[bit >>> 6] & (1L << (bit & 63))) != 0) {
                out.append(shown++ == 0 ? "" : " ").append(bit >>> 1).append(bit % 2 == 0 ? "B" : "S");
            }
        }
        return out.append(']').toString();
    }
}
