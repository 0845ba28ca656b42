package io.mme.core.digest;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A SHA-256 over an engine's final state, fed field by field in a fixed order, so that a live run
 * and a replay of its journal can be compared by one line ({@code digest: <hex>}). Used after the
 * engines stopped (off the hot path); allocation here is fine. One thread.
 */
public final class StateDigest {
    private final MessageDigest sha;
    private final byte[] buffer = new byte[8];

    public StateDigest() {
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }

    public StateDigest putLong(long value) {
        for (int i = 0; i < 8; i++) {
            buffer[i] = (byte) (value >>> (56 - 8 * i));
        }
        sha.update(buffer, 0, 8);
        return this;
    }

    public StateDigest putInt(int value) {
        return putLong(value);
    }

    public StateDigest putBoolean(boolean value) {
        return putLong(value ? 1 : 0);
    }

    /** a double by its bits: equal only when bit-for-bit equal */
    public StateDigest putDouble(double value) {
        return putLong(Double.doubleToLongBits(value));
    }

    /** a string with its length first, so that "ab","c" and "a","bc" differ */
    public StateDigest putString(String value) {
        byte[] bytes = (value == null ? "\u0000null" : value).getBytes(StandardCharsets.UTF_8);
        putLong(bytes.length);
        sha.update(bytes);
        return this;
    }

    /** the digest in lower-case hex; ends this digest */
    public String hex() {
        return HexFormat.of().formatHex(sha.digest());
    }

    /**
     * A running 64-bit hash for the hot path (no allocation): mixes {@code value} into {@code hash}.
     * Engines fold every decision into one of these and put the result into a StateDigest at the end.
     */
    public static long mix(long hash, long value) {
        long h = (hash ^ value) * 0x9E3779B97F4A7C15L;
        return h ^ (h >>> 29);
    }
}
