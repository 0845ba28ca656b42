package io.mme.strategy;

import io.mme.core.ring.Side;
import io.mme.strategy.api.Quotes;

import java.util.Arrays;

/**
 * The quotes a strategy wants, per quoted instrument, side and level: a price in 10^-9 quote units
 * (a double: the engine rounds it to the venue's tick in the safe direction) and a size in 10^-9
 * base units (rounded down to the venue's lot). Written by the strategy inside
 * {@link io.mme.strategy.api.Strategy#quote}, read by the engine; owned by the engine's thread.
 */
public final class QuoteTargets implements Quotes {
    private final int instruments;
    private final int maxLevels;
    private final double[] priceNanos;
    private final long[] sizeNanos;

    QuoteTargets(int instruments, int maxLevels) {
        this.instruments = instruments;
        this.maxLevels = maxLevels;
        this.priceNanos = new double[instruments * 2 * maxLevels];
        this.sizeNanos = new long[instruments * 2 * maxLevels];
    }

    /** the dense index of (instrument, side, level), shared with the engine's slot arrays */
    static int index(int instrumentIndex, Side side, int level, int maxLevels) {
        return (instrumentIndex * 2 + side.ordinal()) * maxLevels + level;
    }

    /** the same index for the API's side (BUY, SELL in the same order) */
    static int index(int instrumentIndex, io.mme.strategy.api.Side side, int level, int maxLevels) {
        return (instrumentIndex * 2 + side.ordinal()) * maxLevels + level;
    }

    void clear() {
        Arrays.fill(priceNanos, Double.NaN);
        Arrays.fill(sizeNanos, 0);
    }

    /**
     * Wants a quote; a level at or beyond {@code maxLevels} is ignored, as is a price that is
     * not a positive finite number or a size that is not positive.
     */
    @Override
    public void set(int instrumentIndex, io.mme.strategy.api.Side side, int level, double priceNanos, long sizeNanos) {
        if (level < 0 || level >= maxLevels || instrumentIndex < 0 || instrumentIndex >= instruments) {
            return;
        }
        int i = index(instrumentIndex, side, level, maxLevels);
        this.priceNanos[i] = priceNanos;
        this.sizeNanos[i] = sizeNanos;
    }

    @Override
    public int levels() {
        return maxLevels;
    }

    /** the wanted price, or NaN for no quote */
    public double priceNanos(int instrumentIndex, io.mme.strategy.api.Side side, int level) {
        return priceNanos[index(instrumentIndex, side, level, maxLevels)];
    }

    /** the wanted size, 0 for no quote */
    public long sizeNanos(int instrumentIndex, io.mme.strategy.api.Side side, int level) {
        return sizeNanos[index(instrumentIndex, side, level, maxLevels)];
    }

    double priceAt(int slot) {
        return priceNanos[slot];
    }

    long sizeAt(int slot) {
        return sizeNanos[slot];
    }
}
