package io.mme.marketdata;

import io.mme.core.instrument.DecimalGrid;

/**
 * Reads a message whose layout the caller knows exactly: the venue's usual field order, its keys
 * as literal text, no white space. The decoders' fast path for their most frequent messages
 * (Binance depth diffs and book tickers, Coinbase Exchange {@code l2update}s): each method either
 * reads what it expects and advances, or answers that the text is not in that layout
 * ({@code false}, {@code -1}) and moves nowhere useful; the caller then hands the whole message to
 * its general path ({@link JsonScanner}), which reads any valid layout and names the error of a
 * bad one. This reader therefore never throws and never decides that a message is malformed: it
 * only accepts a subset of the valid messages, for which it gives what the general path gives.
 *
 * <p>Why: a token loop ({@link JsonScanner#next()} plus a chain of key comparisons) costs a call
 * and a dozen branches per token, and the JIT does not inline {@code next()} (too big); the
 * methods here are a few bytecodes each and compare whole literals such as
 * <code>,"data":&#123;"e":"depthUpdate","E":</code> at once (docs/PERFORMANCE.md, issue 15 point 4).
 *
 * <p>It reads the characters of a {@link JsonScanner} ({@link JsonScanner#chars()}), which has
 * already copied the message: nothing is copied or allocated here.
 *
 * <p>Thread: one reader per decoding thread; reused for every message.
 */
public final class LayoutReader {
    /** digits that fit a long whatever they are (10^18 - 1 at most) */
    private static final int MAX_FAST_DIGITS = 18;
    private static final long[] POW10 = new long[MAX_FAST_DIGITS + 1];

    static {
        POW10[0] = 1;
        for (int i = 1; i < POW10.length; i++) {
            POW10[i] = POW10[i - 1] * 10;
        }
    }

    private char[] buf = new char[0];
    private int pos;
    private int limit;

    /** reads {@code chars[from, to)} from {@code from} */
    public LayoutReader reset(char[] chars, int from, int to) {
        this.buf = chars;
        this.pos = from;
        this.limit = to;
        return this;
    }

    /** the index of the next character to read */
    public int pos() {
        return pos;
    }

    /** whether every character has been read */
    public boolean atEnd() {
        return pos == limit;
    }

    /** the next character, not read; -1 at the end */
    public int peek() {
        return pos < limit ? buf[pos] : -1;
    }

    /** reads {@code c} if it is the next character */
    public boolean skip(char c) {
        if (pos < limit && buf[pos] == c) {
            pos++;
            return true;
        }
        return false;
    }

    /** reads {@code literal} if the text goes on with exactly it */
    public boolean skip(String literal) {
        int n = literal.length();
        int p = pos;
        if (limit - p < n) {
            return false;
        }
        char[] b = buf;
        for (int i = 0; i < n; i++) {
            if (b[p + i] != literal.charAt(i)) {
                return false;
            }
        }
        pos = p + n;
        return true;
    }

    /**
     * Reads the rest of a string whose opening quote has been read, up to and including its
     * closing quote, and returns the closing quote's index; -1 when it holds a backslash (its raw
     * text is then not its value) or does not end.
     */
    public int stringEnd() {
        char[] b = buf;
        for (int i = pos; i < limit; i++) {
            char c = b[i];
            if (c == '"') {
                pos = i + 1;
                return i;
            }
            if (c == '\\') {
                return -1;
            }
        }
        return -1;
    }

    /**
     * Reads an unsigned whole number of 1 to 18 digits (what {@link JsonScanner#asLong()} reads
     * the same from); -1 for anything else (a sign, a fraction, an exponent, more digits).
     */
    public long digits() {
        char[] b = buf;
        int p = pos;
        int lim = Math.min(limit, p + MAX_FAST_DIGITS + 1);
        long value = 0;
        int i = p;
        for (; i < lim; i++) {
            char c = b[i];
            if (c < '0' || c > '9') {
                break;
            }
            value = value * 10 + (c - '0');
        }
        int n = i - p;
        if (n == 0 || n > MAX_FAST_DIGITS || i < limit && isNumberPart(b[i])) {
            return -1;
        }
        pos = i;
        return value;
    }

    private static boolean isNumberPart(char c) {
        return (c >= '0' && c <= '9') || c == '-' || c == '+' || c == '.' || c == 'e' || c == 'E';
    }

    /**
     * Reads a quoted plain unsigned decimal such as {@code "0.35130000"} (the opening quote next)
     * and returns it in steps of {@code grid}: what {@link DecimalGrid#toSteps(char[], int, int)}
     * gives for its text. -1, having read nothing useful, for anything else: a sign, an escape, no
     * digit before or after the point, more digits than a long holds whatever they are, digits
     * finer than the grid, a value that is not a whole number of steps, no closing quote.
     */
    public long steps(DecimalGrid grid) {
        char[] b = buf;
        int lim = limit;
        int i = pos;
        if (i >= lim || b[i] != '"') {
            return -1;
        }
        int scale = grid.scale();
        long units = 0;
        int digits = 0;
        char c = 0;
        for (i++; i < lim; i++) {
            c = b[i];
            if (c < '0' || c > '9') {
                break;
            }
            units = units * 10 + (c - '0');
            digits++;
        }
        if (digits == 0) {
            return -1;
        }
        int fracDigits = 0;
        if (c == '.') {
            for (i++; i < lim; i++) {
                c = b[i];
                if (c < '0' || c > '9') {
                    break;
                }
                if (fracDigits < scale) {
                    units = units * 10 + (c - '0');
                    digits++;
                } else if (c != '0') {
                    return -1; // finer than the grid: the general path says so
                }
                fracDigits++;
            }
            if (fracDigits == 0) {
                return -1;
            }
        }
        int missing = scale - Math.min(fracDigits, scale);
        if (c != '"' || i >= lim || digits + missing > MAX_FAST_DIGITS) {
            return -1;
        }
        long stepUnits = grid.stepUnits();
        long steps = units * POW10[missing];
        if (stepUnits != 1) {
            if (steps % stepUnits != 0) {
                return -1;
            }
            steps /= stepUnits;
        }
        pos = i + 1;
        return steps;
    }
}
