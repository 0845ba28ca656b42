package io.mme.backtest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * The time an order takes to reach the simulated exchange (entry) and the time its answer takes to
 * come back (response). Three models:
 * <ul>
 *   <li>{@code constant:ENTRY_MS[/RESPONSE_MS]}: fixed (response = entry when not given);</li>
 *   <li>{@code file:PATH}: drawn from a distribution, one latency in microseconds per line of PATH
 *       (blank lines and {@code #} comments skipped), entry and response drawn independently from a
 *       generator with a fixed seed, so a run is repeatable;</li>
 *   <li>{@code feed:K}: K times the feed latency of the moment, read off the data (the local receive
 *       time minus the venue's event time {@code E} of the last message that carried one), so order
 *       entry is slow when the venue's stream is slow.</li>
 * </ul>
 *
 * <p>Thread: the backtest's thread (the file model keeps a generator).
 */
public abstract sealed class LatencyModel {
    private LatencyModel() {
    }

    /** nanoseconds from sending an order to its arrival at the exchange */
    public abstract long entryNanos(long feedLatencyNanos);

    /** nanoseconds from the exchange's answer to its arrival at the engine */
    public abstract long responseNanos(long feedLatencyNanos);

    /** the text the command line takes */
    public abstract String describe();

    /** whether the model reads the feed latency (the driver reads it off each message only then) */
    public boolean usesFeedLatency() {
        return false;
    }

    public static LatencyModel constant(long entryNanos, long responseNanos) {
        return new Constant(entryNanos, responseNanos);
    }

    /**
     * Parses the forms above.
     *
     * @throws IllegalArgumentException naming the text, the file and line, and the accepted forms
     */
    public static LatencyModel parse(String text) {
        String t = text.trim();
        String lower = t.toLowerCase(Locale.ROOT);
        try {
            if (lower.startsWith("constant:")) {
                String[] parts = t.substring("constant:".length()).split("/");
                long entry = millisToNanos(parts[0]);
                long response = parts.length > 1 ? millisToNanos(parts[1]) : entry;
                if (parts.length > 2 || entry < 0 || response < 0) {
                    throw new NumberFormatException();
                }
                return new Constant(entry, response);
            }
            if (lower.startsWith("feed:")) {
                double k = Double.parseDouble(t.substring("feed:".length()));
                if (!(k >= 0) || Double.isInfinite(k)) {
                    throw new NumberFormatException();
                }
                return new FeedProportional(k);
            }
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("latency model '" + text + "': expected constant:MS or constant:ENTRY_MS/RESPONSE_MS"
                    + " (non-negative milliseconds) or feed:K (a non-negative factor)");
        }
        if (lower.startsWith("file:")) {
            return fromFile(Path.of(t.substring("file:".length())));
        }
        throw new IllegalArgumentException("latency model '" + text + "': expected constant:MS, constant:ENTRY_MS/RESPONSE_MS, "
                + "file:PATH (microseconds, one a line) or feed:K");
    }

    private static long millisToNanos(String ms) {
        return Math.round(Double.parseDouble(ms.trim()) * 1_000_000d);
    }

    /** a distribution from a file of microseconds, one a line */
    public static LatencyModel fromFile(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file);
        } catch (IOException e) {
            throw new IllegalArgumentException("latency model file " + file + ": cannot be read (" + e.getMessage() + ")");
        }
        long[] samples = new long[lines.size()];
        int n = 0;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).trim();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            try {
                double micros = Double.parseDouble(line);
                if (!(micros >= 0) || Double.isInfinite(micros)) {
                    throw new NumberFormatException();
                }
                samples[n++] = Math.round(micros * 1_000d);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("latency model file " + file + " line " + (i + 1) + ": '" + line
                        + "' is not a non-negative number of microseconds");
            }
        }
        if (n == 0) {
            throw new IllegalArgumentException("latency model file " + file + ": no latencies in it");
        }
        return new Distribution(Arrays.copyOf(samples, n), file.toString());
    }

    private static final class Constant extends LatencyModel {
        private final long entry;
        private final long response;

        Constant(long entry, long response) {
            this.entry = entry;
            this.response = response;
        }

        @Override
        public long entryNanos(long feedLatencyNanos) {
            return entry;
        }

        @Override
        public long responseNanos(long feedLatencyNanos) {
            return response;
        }

        @Override
        public String describe() {
            return "constant:" + entry / 1e6 + "/" + response / 1e6 + " ms";
        }
    }

    private static final class Distribution extends LatencyModel {
        private final long[] samples;
        private final String source;
        private final SplittableRandom random = new SplittableRandom(0x5EED_1A7EL);

        Distribution(long[] samples, String source) {
            this.samples = samples;
            this.source = source;
        }

        @Override
        public long entryNanos(long feedLatencyNanos) {
            return samples[random.nextInt(samples.length)];
        }

        @Override
        public long responseNanos(long feedLatencyNanos) {
            return samples[random.nextInt(samples.length)];
        }

        @Override
        public String describe() {
            return "file:" + source + " (" + samples.length + " samples)";
        }
    }

    private static final class FeedProportional extends LatencyModel {
        private final double k;

        FeedProportional(double k) {
            this.k = k;
        }

        @Override
        public long entryNanos(long feedLatencyNanos) {
            return Math.round(Math.max(0, feedLatencyNanos) * k);
        }

        @Override
        public long responseNanos(long feedLatencyNanos) {
            return Math.round(Math.max(0, feedLatencyNanos) * k);
        }

        @Override
        public String describe() {
            return "feed:" + k + " x the feed latency";
        }

        @Override
        public boolean usesFeedLatency() {
            return true;
        }
    }
}
