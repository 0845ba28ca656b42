package io.mme.backtest;

/**
 * A window over bytes of ASCII text as a {@link CharSequence}, so that the venue decoders read a
 * recorded line where it lies, without a String per line. Reused line after line; only
 * {@link #toString()} and {@link #subSequence} allocate (error messages). Thread: its reader's.
 */
final class AsciiText implements CharSequence {
    private byte[] bytes;
    private int start;
    private int length;

    void wrap(byte[] bytes, int start, int length) {
        this.bytes = bytes;
        this.start = start;
        this.length = length;
    }

    @Override
    public int length() {
        return length;
    }

    @Override
    public char charAt(int index) {
        if (index < 0 || index >= length) {
            throw new IndexOutOfBoundsException(index);
        }
        return (char) (bytes[start + index] & 0xff);
    }

    @Override
    public CharSequence subSequence(int from, int to) {
        return toString().substring(from, to);
    }

    /** true when the text starts with {@code prefix} */
    boolean startsWith(String prefix) {
        if (prefix.length() > length) {
            return false;
        }
        for (int i = 0; i < prefix.length(); i++) {
            if (bytes[start + i] != prefix.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /** the index of {@code needle} at or after {@code from}, or -1 */
    int indexOf(String needle, int from) {
        return indexOf(needle, from, length);
    }

    /** the index of {@code needle} starting at or after {@code from} and before {@code limit}, or -1 */
    int indexOf(String needle, int from, int limit) {
        int n = needle.length();
        int last = Math.min(limit, length - n + 1);
        outer:
        for (int i = Math.max(0, from); i < last; i++) {
            for (int j = 0; j < n; j++) {
                if (bytes[start + i + j] != needle.charAt(j)) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    /** the non-negative decimal number at {@code from}, or -1 when there is none */
    long longAt(int from) {
        long v = 0;
        int i = from;
        while (i < length) {
            int b = bytes[start + i];
            if (b < '0' || b > '9') {
                break;
            }
            v = v * 10 + (b - '0');
            i++;
        }
        return i == from ? -1 : v;
    }

    @Override
    public String toString() {
        return new String(bytes, start, length, java.nio.charset.StandardCharsets.ISO_8859_1);
    }
}
