package io.mme.core.instrument;

/** Exact integer helpers for the fixed-point units of the trade path. Stateless; any thread. */
public final class FixedMath {
    private FixedMath() {
    }

    /**
     * {@code a * b / c} rounded toward zero, exact even where {@code a * b} does not fit a long.
     *
     * @throws ArithmeticException when the result does not fit a long or c is not positive
     */
    public static long mulDiv(long a, long b, long c) {
        if (c <= 0) {
            throw new ArithmeticException("divisor " + c + " must be positive");
        }
        boolean negative = (a < 0) ^ (b < 0);
        long x = Math.absExact(a);
        long y = Math.absExact(b);
        long q = x / c;
        long r = x % c;
        long yq = y / c;
        long yr = y % c;
        // x*y/c = q*y + r*yq + r*yr/c, with r, yr < c; the first two parts are checked for overflow,
        // the last always fits (it is below c) but its product r*yr may not when c is above 2^31.5
        long result = Math.addExact(Math.addExact(Math.multiplyExact(q, y), Math.multiplyExact(r, yq)),
                smallQuotient(r, yr, c));
        return negative ? -result : result;
    }

    /** {@code r * yr / c} for 0 <= r, yr < c: exact; a 128-bit product (rare: c above 2^31.5) goes through BigInteger */
    private static long smallQuotient(long r, long yr, long c) {
        long low = r * yr;
        if (Math.unsignedMultiplyHigh(r, yr) == 0 && low >= 0) {
            return low / c;
        }
        return java.math.BigInteger.valueOf(r).multiply(java.math.BigInteger.valueOf(yr)).divide(java.math.BigInteger.valueOf(c)).longValueExact();
    }

    /** like {@link #unitsToNanos} but -1 where the step does not fit the 10^-9 units */
    static long nanosOrNegative(long units, int scale) {
        if (scale > 9) {
            return -1;
        }
        try {
            return unitsToNanos(units, scale, "");
        } catch (ArithmeticException e) {
            return -1;
        }
    }

    /** {@code units * 10^-scale} expressed in 10^-9 units */
    static long unitsToNanos(long units, int scale, String what) {
        if (scale > 9) {
            throw new IllegalArgumentException(what + " has " + scale + " decimals; at most 9 fit the 10^-9 units");
        }
        long factor = 1;
        for (int i = scale; i < 9; i++) {
            factor *= 10;
        }
        return Math.multiplyExact(units, factor);
    }
}
