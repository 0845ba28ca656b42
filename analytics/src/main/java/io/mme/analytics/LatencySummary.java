package io.mme.analytics;

import org.HdrHistogram.Histogram;

/**
 * Percentiles of one latency histogram, in nanoseconds. Immutable.
 *
 * @param count how many values were recorded
 */
public record LatencySummary(long count, long p50, long p99, long p999, long max) {
    static LatencySummary of(Histogram h) {
        if (h.getTotalCount() == 0) {
            return new LatencySummary(0, 0, 0, 0, 0);
        }
        return new LatencySummary(h.getTotalCount(), h.getValueAtPercentile(50), h.getValueAtPercentile(99),
                h.getValueAtPercentile(99.9), h.getMaxValue());
    }

    /**
     * The percentiles of what was recorded between two cumulative copies ({@code now} minus
     * {@code before}; null: nothing before), computed in {@code scratch} (overwritten) so that nothing is allocated.
     */
    public static LatencySummary between(Histogram now, Histogram before, Histogram scratch) {
        now.copyInto(scratch);
        if (before != null && before.getTotalCount() > 0) {
            scratch.subtract(before);
        }
        return of(scratch);
    }

    /** "p50 1.2 µs  p99 8.0 µs  p99.9 20 µs (n=123)", or "no samples" */
    public String describe() {
        if (count == 0) {
            return "no samples";
        }
        return "p50 " + micros(p50) + "  p99 " + micros(p99) + "  p99.9 " + micros(p999) + "  (n=" + count + ")";
    }

    /** a duration in nanoseconds as µs or ms text */
    public static String micros(long nanos) {
        if (nanos < 10_000) {
            return String.format(java.util.Locale.ROOT, "%.1f µs", nanos / 1000.0);
        }
        if (nanos < 10_000_000) {
            return String.format(java.util.Locale.ROOT, "%.0f µs", nanos / 1000.0);
        }
        return String.format(java.util.Locale.ROOT, "%.0f ms", nanos / 1_000_000.0);
    }
}
