package io.mme.marketdata;

/**
 * RFC 3339 UTC timestamps as the venues print them ({@code 2026-08-09T21:05:48.167634Z}) read into
 * nanoseconds since the epoch from a slice of a message, without allocating. Shared by the
 * connectors (Coinbase, Kraken v2). Stateless; any thread.
 */
public final class Rfc3339 {
    private Rfc3339() {
    }

    /**
     * {@code YYYY-MM-DDTHH:MM:SS[.fraction]Z} as nanoseconds since the epoch (fraction digits past
     * the ninth are dropped).
     *
     * @throws MalformedMessageException when the slice is not such a timestamp
     */
    public static long epochNanos(CharSequence text, int start, int end) {
        if (end - start < 20 || text.charAt(start + 4) != '-' || text.charAt(start + 7) != '-'
                || text.charAt(start + 10) != 'T' || text.charAt(start + 13) != ':' || text.charAt(start + 16) != ':'
                || text.charAt(end - 1) != 'Z') {
            throw new MalformedMessageException("expected an RFC 3339 UTC timestamp", text, start);
        }
        int year = digits(text, start, 4);
        int month = digits(text, start + 5, 2);
        int day = digits(text, start + 8, 2);
        int hour = digits(text, start + 11, 2);
        int minute = digits(text, start + 14, 2);
        int second = digits(text, start + 17, 2);
        if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60) {
            throw new MalformedMessageException("timestamp field out of range", text, start);
        }
        long nanos = 0;
        int i = start + 19;
        if (i < end - 1) {
            if (text.charAt(i) != '.' || i + 1 == end - 1) {
                throw new MalformedMessageException("expected a fraction of a second", text, i);
            }
            int scale = 0;
            for (i++; i < end - 1; i++) {
                int digit = text.charAt(i) - '0';
                if (digit < 0 || digit > 9) {
                    throw new MalformedMessageException("expected a digit", text, i);
                }
                if (scale < 9) {
                    nanos = nanos * 10 + digit;
                    scale++;
                }
            }
            for (; scale < 9; scale++) {
                nanos *= 10;
            }
        }
        long seconds = ((daysFromCivil(year, month, day) * 24 + hour) * 60 + minute) * 60 + second;
        return seconds * 1_000_000_000L + nanos;
    }

    /**
     * {@link #epochNanos(CharSequence, int, int)} over a decoder's character array
     * ({@link JsonScanner#chars()}): the same answers, an array load per character instead of a
     * {@code CharSequence.charAt} call. Anything but {@code YYYY-MM-DDTHH:MM:SS.fractionZ} with
     * in-range fields and at most nine fraction digits is read again by the CharSequence path,
     * which throws its exception (naming {@code text}, the message, and the position).
     */
    public static long epochNanos(char[] chars, CharSequence text, int start, int end) {
        long nanos = epochNanosOrMin(chars, start, end);
        return nanos != Long.MIN_VALUE ? nanos : epochNanos(text, start, end);
    }

    /**
     * {@code YYYY-MM-DDTHH:MM:SS.fractionZ} (in-range fields, one to nine fraction digits) at
     * {@code chars[start, end)} as nanoseconds since the epoch, what
     * {@link #epochNanos(CharSequence, int, int)} gives for it; {@link Long#MIN_VALUE} for anything
     * else, which that method then reads (and throws for, or not): for a decoder's fast path, which
     * hands such a message to its general path.
     */
    public static long epochNanosOrMin(char[] chars, int start, int end) {
        if (end - start < 22 || end - start > 30 || chars[start + 4] != '-' || chars[start + 7] != '-' || chars[start + 10] != 'T'
                || chars[start + 13] != ':' || chars[start + 16] != ':' || chars[start + 19] != '.' || chars[end - 1] != 'Z') {
            return Long.MIN_VALUE;
        }
        int year = digits(chars, start, 4);
        int month = digits(chars, start + 5, 2);
        int day = digits(chars, start + 8, 2);
        int hour = digits(chars, start + 11, 2);
        int minute = digits(chars, start + 14, 2);
        int second = digits(chars, start + 17, 2);
        int fraction = end - 1 - (start + 20);
        long nanos = digits(chars, start + 20, fraction);
        // a negative field is a character that is not a digit
        if ((year | month | day | hour | minute | second | nanos) < 0 || month < 1 || month > 12 || day < 1 || day > 31
                || hour > 23 || minute > 59 || second > 60) {
            return Long.MIN_VALUE;
        }
        long seconds = ((daysFromCivil(year, month, day) * 24 + hour) * 60 + minute) * 60 + second;
        return seconds * 1_000_000_000L + nanos * POW10[9 - fraction];
    }

    private static final long[] POW10 = {1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000, 1_000_000_000};

    /** {@code count} (1 to 9) digits at {@code at}, or -1 when one is not a digit */
    private static int digits(char[] chars, int at, int count) {
        int value = 0;
        for (int i = at; i < at + count; i++) {
            int digit = chars[i] - '0';
            if (digit < 0 || digit > 9) {
                return -1;
            }
            value = value * 10 + digit;
        }
        return value;
    }

    private static int digits(CharSequence text, int at, int count) {
        int value = 0;
        for (int i = at; i < at + count; i++) {
            int digit = text.charAt(i) - '0';
            if (digit < 0 || digit > 9) {
                throw new MalformedMessageException("expected a digit", text, i);
            }
            value = value * 10 + digit;
        }
        return value;
    }

    /** days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil) */
    private static long daysFromCivil(int year, int month, int day) {
        int y = month <= 2 ? year - 1 : year;
        int era = Math.floorDiv(y, 400);
        int yearOfEra = y - era * 400;
        int dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
        int dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear;
        return (long) era * 146_097 + dayOfEra - 719_468;
    }
}
