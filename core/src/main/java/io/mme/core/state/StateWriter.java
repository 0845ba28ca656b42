package io.mme.core.state;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Where an engine writes its state: big-endian fixed-width fields into a growing byte array.
 * Used at snapshot points (off the per-event path; growing allocates, which is allowed there).
 * One thread: the engine's own.
 */
public final class StateWriter {
    private byte[] bytes;
    private int length;

    public StateWriter() {
        this(4096);
    }

    public StateWriter(int initialCapacity) {
        bytes = new byte[Math.max(16, initialCapacity)];
    }

    /** starts over, keeping the buffer */
    public StateWriter reset() {
        length = 0;
        return this;
    }

    private void ensure(int more) {
        if (length + more > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + more));
        }
    }

    public StateWriter putLong(long v) {
        ensure(8);
        for (int i = 7; i >= 0; i--) {
            bytes[length++] = (byte) (v >>> (8 * i));
        }
        return this;
    }

    public StateWriter putInt(int v) {
        ensure(4);
        for (int i = 3; i >= 0; i--) {
            bytes[length++] = (byte) (v >>> (8 * i));
        }
        return this;
    }

    public StateWriter putBoolean(boolean v) {
        ensure(1);
        bytes[length++] = (byte) (v ? 1 : 0);
        return this;
    }

    public StateWriter putDouble(double v) {
        return putLong(Double.doubleToRawLongBits(v));
    }

    /** a string (null allowed) with its length first */
    public StateWriter putString(String v) {
        if (v == null) {
            return putInt(-1);
        }
        byte[] utf8 = v.getBytes(StandardCharsets.UTF_8);
        putInt(utf8.length);
        ensure(utf8.length);
        System.arraycopy(utf8, 0, bytes, length, utf8.length);
        length += utf8.length;
        return this;
    }

    /** {@code count} longs of {@code values} with the count first */
    public StateWriter putLongs(long[] values, int count) {
        putInt(count);
        for (int i = 0; i < count; i++) {
            putLong(values[i]);
        }
        return this;
    }

    /** an enum constant by ordinal (-1 for null) */
    public StateWriter putEnum(Enum<?> v) {
        return putInt(v == null ? -1 : v.ordinal());
    }

    /** the bytes written so far (a copy) */
    public byte[] toBytes() {
        return Arrays.copyOf(bytes, length);
    }

    public int length() {
        return length;
    }
}
