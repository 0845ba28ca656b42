package io.mme.core.state;

import java.nio.charset.StandardCharsets;

/**
 * Reads what a {@link StateWriter} wrote, field by field in the same order. A read past the end or
 * a value that cannot be (a negative count, an unknown enum ordinal) throws
 * {@link StateFormatException} naming where. One thread.
 */
public final class StateReader {
    private final byte[] bytes;
    private int position;

    public StateReader(byte[] bytes) {
        this.bytes = bytes;
    }

    private void need(int n, String what) {
        if (position + n > bytes.length) {
            throw new StateFormatException("state ends at byte " + bytes.length + " while reading " + what + " at byte " + position);
        }
    }

    public long getLong() {
        need(8, "a long");
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | (bytes[position++] & 0xFF);
        }
        return v;
    }

    public int getInt() {
        need(4, "an int");
        int v = 0;
        for (int i = 0; i < 4; i++) {
            v = (v << 8) | (bytes[position++] & 0xFF);
        }
        return v;
    }

    public boolean getBoolean() {
        need(1, "a boolean");
        return bytes[position++] != 0;
    }

    public double getDouble() {
        return Double.longBitsToDouble(getLong());
    }

    public String getString() {
        int n = getInt();
        if (n == -1) {
            return null;
        }
        if (n < 0) {
            throw new StateFormatException("string length " + n + " at byte " + (position - 4));
        }
        need(n, "a string of " + n + " bytes");
        String s = new String(bytes, position, n, StandardCharsets.UTF_8);
        position += n;
        return s;
    }

    /** reads a count and that many longs into {@code into} (which must be large enough); returns the count */
    public int getLongs(long[] into) {
        int n = getInt();
        if (n < 0 || n > into.length) {
            throw new StateFormatException("array of " + n + " longs at byte " + (position - 4) + " does not fit " + into.length);
        }
        for (int i = 0; i < n; i++) {
            into[i] = getLong();
        }
        return n;
    }

    public <E extends Enum<E>> E getEnum(E[] values) {
        int ordinal = getInt();
        if (ordinal == -1) {
            return null;
        }
        if (ordinal < 0 || ordinal >= values.length) {
            throw new StateFormatException("enum ordinal " + ordinal + " at byte " + (position - 4) + " outside 0.." + (values.length - 1));
        }
        return values[ordinal];
    }

    /** checks that everything was read: a state with bytes left over was written by other code */
    public void expectEnd(String what) {
        if (position != bytes.length) {
            throw new StateFormatException(what + ": " + (bytes.length - position) + " bytes left unread after byte " + position);
        }
    }
}
