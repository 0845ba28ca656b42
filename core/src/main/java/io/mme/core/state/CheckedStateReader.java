package io.mme.core.state;

import io.mme.core.digest.StateDigest;

/**
 * Reads what a {@link CheckedStateWriter} wrote, in the same order, summing the values the same
 * way; {@link #end} compares the sums. Every value out of its range (a count, an index, an enum
 * ordinal, a boolean) throws {@link StateFormatException} naming what was read, so that bad bytes
 * never end as an index exception or a silently wrong state. Before the engine starts, on the thread
 * that builds it.
 */
public final class CheckedStateReader {
    private final StateReader in;
    private long sum;

    /** @param seed the same as the writer's */
    public CheckedStateReader(StateReader in, long seed) {
        this.in = in;
        this.sum = seed;
    }

    public long getLong() {
        long v = in.getLong();
        sum = StateDigest.mix(sum, v);
        return v;
    }

    public int getInt() {
        int v = in.getInt();
        sum = StateDigest.mix(sum, v);
        return v;
    }

    public boolean getBoolean(String what) {
        int v = getInt();
        if (v != 0 && v != 1) {
            throw new StateFormatException(what + ": " + v + " is not a boolean");
        }
        return v == 1;
    }

    /** an ordinal of {@code values}, or null for -1 when {@code nullable} */
    public <E extends Enum<E>> E getEnum(E[] values, boolean nullable, String what) {
        int ordinal = getInt();
        if (ordinal == -1 && nullable) {
            return null;
        }
        if (ordinal < 0 || ordinal >= values.length) {
            throw new StateFormatException(what + ": ordinal " + ordinal + " outside 0.." + (values.length - 1));
        }
        return values[ordinal];
    }

    /** a count in {@code 0..max} */
    public int count(int max, String what) {
        int n = getInt();
        if (n < 0 || n > max) {
            throw new StateFormatException(what + ": count " + n + " outside 0.." + max);
        }
        return n;
    }

    /** an index in {@code 0..bound-1} */
    public int index(int bound, String what) {
        int i = getInt();
        if (i < 0 || i >= bound) {
            throw new StateFormatException(what + ": " + i + " outside 0.." + (bound - 1));
        }
        return i;
    }

    /** fills all of {@code into}; the written length must be exactly its length */
    public void getLongs(long[] into, String what) {
        int n = getInt();
        if (n != into.length) {
            throw new StateFormatException(what + ": " + n + " values where this engine has " + into.length);
        }
        for (int i = 0; i < n; i++) {
            into[i] = getLong();
        }
    }

    public String getString() {
        String v = in.getString();
        sum = CheckedStateWriter.mixString(sum, v);
        return v;
    }

    /** checks the sum and that nothing follows it */
    public void end(String what) {
        long written = in.getLong();
        if (written != sum) {
            throw new StateFormatException(what + ": checksum " + Long.toHexString(written) + " does not match the content ("
                    + Long.toHexString(sum) + "): the bytes are corrupted");
        }
        in.expectEnd(what);
    }
}
