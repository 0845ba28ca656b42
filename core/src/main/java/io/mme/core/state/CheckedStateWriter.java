package io.mme.core.state;

import io.mme.core.digest.StateDigest;

import java.nio.charset.StandardCharsets;

/**
 * Writes an engine's state fields through a {@link StateWriter} and folds every value into a
 * running 64-bit sum that {@link #end()} writes last, so that {@link CheckedStateReader} tells a
 * corrupted byte from a real value instead of restoring a wrong position. Booleans go as 0/1 ints so
 * that no byte is read loosely. Snapshot points only (allocation allowed), on the engine's thread.
 */
public final class CheckedStateWriter {
    private final StateWriter out;
    private long sum;

    /** @param seed the sum's start, the engine's own constant; its reader starts from the same */
    public CheckedStateWriter(StateWriter out, long seed) {
        this.out = out;
        this.sum = seed;
    }

    public CheckedStateWriter putLong(long v) {
        sum = StateDigest.mix(sum, v);
        out.putLong(v);
        return this;
    }

    public CheckedStateWriter putInt(int v) {
        sum = StateDigest.mix(sum, v);
        out.putInt(v);
        return this;
    }

    public CheckedStateWriter putBoolean(boolean v) {
        return putInt(v ? 1 : 0);
    }

    /** by ordinal, -1 for null */
    public CheckedStateWriter putEnum(Enum<?> v) {
        return putInt(v == null ? -1 : v.ordinal());
    }

    /** the length, then the values */
    public CheckedStateWriter putLongs(long[] values) {
        putInt(values.length);
        for (long v : values) {
            putLong(v);
        }
        return this;
    }

    public CheckedStateWriter putString(String v) {
        sum = mixString(sum, v);
        out.putString(v);
        return this;
    }

    /** writes the sum; nothing may follow */
    public void end() {
        out.putLong(sum);
    }

    public static long mixString(long sum, String v) {
        if (v == null) {
            return StateDigest.mix(sum, -1);
        }
        byte[] utf8 = v.getBytes(StandardCharsets.UTF_8);
        long h = StateDigest.mix(sum, utf8.length);
        for (byte b : utf8) {
            h = StateDigest.mix(h, b);
        }
        return h;
    }
}
