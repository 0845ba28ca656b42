package io.mme.matching;

import java.util.SplittableRandom;

/**
 * One Brownian path that several {@link SimulatedMarket}s follow, so that simulated venues of the
 * same instrument move together (as arbitrage keeps real venues together) instead of drifting
 * apart on independent random walks. The path is a standard Brownian motion W(t) sampled every
 * {@link #STEP_NANOS} from a seed; a market's mid is its starting mid plus its volatility times
 * W(t). Markets ask for times in any order (the paper venue lets each market catch up in turn), so
 * the path keeps a window of {@link #WINDOW} steps; a time older than the window reads its oldest
 * step.
 *
 * <p>Like {@link SimulatedMarket}, a model of other participants: it draws in {@code double}; the
 * market turns the mid into ticks before anything reaches the book (DESIGN.md principle 3).
 *
 * <p>Thread: owned by the paper venue's engine thread, like the markets that share it.
 */
public final class SharedMidPath {
    /** sampling step of the path: 10 ms */
    public static final long STEP_NANOS = 10_000_000L;
    static final int WINDOW = 1 << 16;
    private static final double SQRT_STEP_SECONDS = Math.sqrt(STEP_NANOS / 1e9);

    private final SplittableRandom random;
    private final long startNanos;
    private final double[] values = new double[WINDOW];
    /** steps drawn so far; W at step k is values[k % WINDOW] for k in (drawn - WINDOW, drawn] */
    private long drawn;

    public SharedMidPath(long seed, long startNanos) {
        this.random = new SplittableRandom(seed);
        this.startNanos = startNanos;
        values[0] = 0;
    }

    /** W at venue time {@code nanos} (0 at the start), in units of √seconds */
    public double at(long nanos) {
        long step = Math.max(0, (nanos - startNanos) / STEP_NANOS);
        while (drawn < step) {
            double previous = values[(int) (drawn & (WINDOW - 1))];
            drawn++;
            values[(int) (drawn & (WINDOW - 1))] = previous + random.nextGaussian() * SQRT_STEP_SECONDS;
        }
        long oldest = Math.max(0, drawn - WINDOW + 1);
        return values[(int) (Math.max(step, oldest) & (WINDOW - 1))];
    }
}
