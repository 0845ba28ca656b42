package io.mme.core.instrument;

import java.nio.CharBuffer;

/**
 * A decimal step (a tick size or a lot size) and the exact conversion between decimal text and a
 * {@code long} count of steps. Immutable; any thread may use it.
 *
 * <p>The step is held as {@code stepUnits × 10^-scale} (0.05 is 5 × 10^-2, 10 is 10 × 10^0), so a
 * value converts by reading its digits into units of 10^-scale and dividing by {@code stepUnits}.
 * No {@code double} and no {@code BigDecimal}: the conversion reads characters and does integer
 * arithmetic with explicit overflow checks, and allocates only when it throws.
 *
 * <p>Range: a value converts when it fits a long in units of 10^-scale (so up to about 9.2e18
 * divided by 10^scale: 92 billion at 8 decimals).
 *
 * <p>Accepted text is strict: {@code -?[0-9]+(\.[0-9]+)?}. Digits finer than the step's scale are
 * allowed only when they are zeros ({@code "100.5000"} on a 0.01 grid is 10050 ticks).
 */
public final class DecimalGrid {
    /** 10^18 is the largest power of ten in a long; a step finer than 10^-18 is refused. */
    public static final int MAX_SCALE = 18;

    private static final long[] POW10 = new long[MAX_SCALE + 1];
    /** accumulating a negative magnitude: below this, one more digit overflows */
    private static final long NEG_LIMIT = Long.MIN_VALUE / 10;
    /** digits that fit a long whatever they are (10^18 - 1 at most) */
    private static final int MAX_FAST_DIGITS = 18;

    static {
        POW10[0] = 1;
        for (int i = 1; i <= MAX_SCALE; i++) {
            POW10[i] = POW10[i - 1] * 10;
        }
    }

    private final String context;
    private final String stepText;
    private final int scale;
    private final long stepUnits;

    private DecimalGrid(String context, String stepText, int scale, long stepUnits) {
        this.context = context;
        this.stepText = stepText;
        this.scale = scale;
        this.stepUnits = stepUnits;
    }

    /**
     * A grid with the given step.
     *
     * @param context what values on this grid are, for error messages ("BINANCE BTCUSDT price")
     * @param step    the step as plain decimal text, greater than zero ("0.01", "0.00001", "5")
     * @throws FixedPointException if the step is malformed, zero, negative or finer than 10^-18
     */
    public static DecimalGrid of(String context, CharSequence step) {
        String text = step == null ? "" : step.toString().trim();
        if (!isPlainDecimal(text, false)) {
            throw new FixedPointException(FixedPointException.Reason.MALFORMED, text, context,
                    "step '" + text + "' for " + context + " is not a plain positive decimal such as 0.01");
        }
        int point = text.indexOf('.');
        String intPart = point < 0 ? text : text.substring(0, point);
        String fracPart = point < 0 ? "" : text.substring(point + 1);
        int end = fracPart.length();
        while (end > 0 && fracPart.charAt(end - 1) == '0') {
            end--;
        }
        fracPart = fracPart.substring(0, end);
        if (fracPart.length() > MAX_SCALE) {
            throw new FixedPointException(FixedPointException.Reason.OVERFLOW, text, context,
                    "step '" + text + "' for " + context + " is finer than 10^-" + MAX_SCALE);
        }
        String digits = (intPart + fracPart).replaceFirst("^0+(?=.)", "");
        long units;
        try {
            units = Long.parseLong(digits);
        } catch (NumberFormatException e) {
            throw new FixedPointException(FixedPointException.Reason.OVERFLOW, text, context,
                    "step '" + text + "' for " + context + " does not fit a long at scale " + fracPart.length());
        }
        if (units <= 0) {
            throw new FixedPointException(FixedPointException.Reason.MALFORMED, text, context,
                    "step '" + text + "' for " + context + " must be greater than zero");
        }
        String normal = fracPart.isEmpty() ? intPart.replaceFirst("^0+(?=.)", "")
                : intPart.replaceFirst("^0+(?=.)", "") + "." + fracPart;
        return new DecimalGrid(context, normal, fracPart.length(), units);
    }

    /** true when {@code text} is {@code -?[0-9]+(\.[0-9]+)?} (sign only if allowed) */
    static boolean isPlainDecimal(String text, boolean allowSign) {
        int i = 0;
        int n = text.length();
        if (allowSign && i < n && text.charAt(i) == '-') {
            i++;
        }
        int intDigits = 0;
        while (i < n && text.charAt(i) >= '0' && text.charAt(i) <= '9') {
            i++;
            intDigits++;
        }
        if (intDigits == 0) {
            return false;
        }
        if (i == n) {
            return true;
        }
        if (text.charAt(i++) != '.') {
            return false;
        }
        int fracDigits = 0;
        while (i < n && text.charAt(i) >= '0' && text.charAt(i) <= '9') {
            i++;
            fracDigits++;
        }
        return fracDigits > 0 && i == n;
    }

    /** Steps in the whole of {@code text}; see {@link #toSteps(CharSequence, int, int)}. */
    public long toSteps(CharSequence text) {
        return toSteps(text, 0, text.length());
    }

    /**
     * The exact number of steps that {@code text[start, end)} denotes. Allocation-free unless it
     * throws.
     *
     * @throws FixedPointException naming the value and this grid's context when the text is not a
     *                             plain decimal, is off the grid, or overflows a long
     */
    public long toSteps(CharSequence text, int start, int end) {
        int i = start;
        if (i >= end) {
            throw malformed(text, start, end);
        }
        boolean negative = false;
        if (text.charAt(i) == '-') {
            negative = true;
            i++;
        }
        // Accumulate the magnitude as a negative number, as Long.parseLong does: the negative range
        // is one larger, so Long.MIN_VALUE steps parse too.
        long negUnits = 0;
        int intDigits = 0;
        int fracDigits = 0;
        boolean seenPoint = false;
        for (; i < end; i++) {
            char c = text.charAt(i);
            if (c >= '0' && c <= '9') {
                int digit = c - '0';
                if (seenPoint) {
                    fracDigits++;
                    if (fracDigits > scale) {
                        if (digit != 0) {
                            throw offGrid(text, start, end);
                        }
                        continue;
                    }
                } else {
                    intDigits++;
                }
                // negUnits * 10 - digit >= Long.MIN_VALUE, without a division per digit
                if (negUnits < NEG_LIMIT || (negUnits == NEG_LIMIT && digit > 8)) {
                    throw overflow(text, start, end);
                }
                negUnits = negUnits * 10 - digit;
            } else if (c == '.' && !seenPoint && intDigits > 0) {
                seenPoint = true;
            } else {
                throw malformed(text, start, end);
            }
        }
        if (intDigits == 0 || (seenPoint && fracDigits == 0)) {
            throw malformed(text, start, end);
        }
        int missing = scale - Math.min(fracDigits, scale);
        if (missing > 0) {
            long factor = POW10[missing];
            if (negUnits < Long.MIN_VALUE / factor) {
                throw overflow(text, start, end);
            }
            negUnits *= factor;
        }
        long negSteps;
        if (stepUnits == 1) {
            negSteps = negUnits; // the common step (a power of ten): no division
        } else {
            if (negUnits % stepUnits != 0) {
                throw offGrid(text, start, end);
            }
            negSteps = negUnits / stepUnits;
        }
        if (negative) {
            return negSteps;
        }
        if (negSteps == Long.MIN_VALUE) {
            throw overflow(text, start, end);
        }
        return -negSteps;
    }

    /**
     * {@link #toSteps(CharSequence, int, int)} over a character array, for the feed decoders: the
     * same answers and the same exceptions, faster. Up to 18 digits read into units of 10^-scale
     * cannot overflow a long (10^18 - 1 &lt; Long.MAX_VALUE), so no digit is checked for overflow.
     * Anything this path does not convert itself (more digits, or text that is not a plain decimal
     * on the grid) is converted again by the checked path, which throws the exception; only then
     * does it allocate.
     */
    public long toSteps(char[] text, int start, int end) {
        int i = start;
        if (i >= end || end > text.length) {
            return toSteps(CharBuffer.wrap(text), start, end);
        }
        boolean negative = text[i] == '-';
        if (negative) {
            i++;
        }
        long units = 0;
        int digits = 0;
        int intStart = i;
        char c = 0;
        for (; i < end; i++) {
            c = text[i];
            if (c < '0' || c > '9') {
                break;
            }
            units = units * 10 + (c - '0');
            digits++;
        }
        int intEnd = i;
        int fracDigits = 0;
        if (i < end) {
            if (c != '.') {
                return toSteps(CharBuffer.wrap(text), start, end);
            }
            i++;
            int fracStart = i;
            int fracLimit = Math.min(end, fracStart + scale);
            for (; i < fracLimit; i++) {
                c = text[i];
                if (c < '0' || c > '9') {
                    return toSteps(CharBuffer.wrap(text), start, end);
                }
                units = units * 10 + (c - '0');
                digits++;
            }
            for (; i < end; i++) {
                if (text[i] != '0') { // finer than the grid: only zeros may stand there
                    return toSteps(CharBuffer.wrap(text), start, end);
                }
            }
            fracDigits = end - fracStart;
        }
        int missing = scale - Math.min(fracDigits, scale);
        if (intEnd == intStart || (intEnd < end && fracDigits == 0) || digits + missing > MAX_FAST_DIGITS) {
            return toSteps(CharBuffer.wrap(text), start, end);
        }
        units *= POW10[missing];
        long steps;
        if (stepUnits == 1) {
            steps = units; // the common step (a power of ten): no division
        } else {
            steps = units / stepUnits;
            if (steps * stepUnits != units) {
                return toSteps(CharBuffer.wrap(text), start, end);
            }
        }
        return negative ? -steps : steps;
    }

    /** Appends {@code steps} as decimal text with exactly {@link #scale()} decimals. */
    public StringBuilder appendDecimal(long steps, StringBuilder out) {
        return appendDecimal(steps, scale, out);
    }

    /**
     * Appends {@code steps} as decimal text with {@code decimals} digits after the point
     * ({@code decimals >= scale()}; the extra digits are zeros). Allocation-free for a builder with
     * room.
     *
     * @throws FixedPointException when {@code steps × step} does not fit a long
     * @throws IllegalArgumentException when {@code decimals} is below the grid's scale
     */
    public StringBuilder appendDecimal(long steps, int decimals, StringBuilder out) {
        if (decimals < scale || decimals > MAX_SCALE) {
            throw new IllegalArgumentException("decimals " + decimals + " for " + context
                    + " must be between the grid scale " + scale + " and " + MAX_SCALE);
        }
        long high = Math.multiplyHigh(steps, stepUnits);
        long units = steps * stepUnits;
        if (high != (units >> 63)) {
            throw new FixedPointException(FixedPointException.Reason.OVERFLOW, Long.toString(steps), context,
                    steps + " steps of " + stepText + " for " + context + " overflow a long");
        }
        long divisor = POW10[scale];
        long whole = units / divisor;
        long fraction = units % divisor;
        // append(long) carries the sign of a non-zero whole part; -0.5 needs it written by hand.
        // Working with the signed parts avoids abs(), which has no answer for Long.MIN_VALUE.
        if (units < 0 && whole == 0) {
            out.append('-');
        }
        out.append(whole);
        if (decimals > 0) {
            out.append('.');
            long frac = fraction < 0 ? -fraction : fraction;
            for (int d = scale - 1; d >= 0; d--) {
                out.append((char) ('0' + (frac / POW10[d]) % 10));
            }
            for (int d = scale; d < decimals; d++) {
                out.append('0');
            }
        }
        return out;
    }

    /** Decimal text for {@code steps}; allocates, for the control path and tests. */
    public String format(long steps) {
        return appendDecimal(steps, new StringBuilder(24)).toString();
    }

    /** decimal places of the step: 2 for 0.01, 0 for 5 */
    public int scale() {
        return scale;
    }

    /** the step in units of 10^-scale: 1 for 0.01, 5 for 0.05 */
    public long stepUnits() {
        return stepUnits;
    }

    /** the step as normalised decimal text, "0.01" */
    public String step() {
        return stepText;
    }

    public String context() {
        return context;
    }

    private FixedPointException malformed(CharSequence text, int start, int end) {
        String value = text.subSequence(start, end).toString();
        return new FixedPointException(FixedPointException.Reason.MALFORMED, value, context,
                context + " '" + value + "' is not a plain decimal such as 123.45");
    }

    private FixedPointException offGrid(CharSequence text, int start, int end) {
        String value = text.subSequence(start, end).toString();
        return new FixedPointException(FixedPointException.Reason.OFF_GRID, value, context,
                context + " '" + value + "' is off the grid: not a multiple of " + stepText);
    }

    private FixedPointException overflow(CharSequence text, int start, int end) {
        String value = text.subSequence(start, end).toString();
        return new FixedPointException(FixedPointException.Reason.OVERFLOW, value, context,
                context + " '" + value + "' overflows a long count of " + stepText);
    }

    @Override
    public String toString() {
        return context + " grid " + stepText;
    }
}
