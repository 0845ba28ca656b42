package io.mme.strategy;

import io.mme.core.state.StateFormatException;
import io.mme.strategy.api.StateIn;
import io.mme.strategy.api.StateOut;

/**
 * An online estimate of σ (price units per √second) from a price series in event time: each
 * update with a time step dt > 0 seconds and a price change d gives the sample d²/dt (the variance
 * per second of a random walk), folded into an exponentially weighted mean whose weight decays with
 * elapsed event time: w = 1 − 2^(−dt / halfLife), var ← var + w·(d²/dt − var); σ = √var. Updates in
 * the same nanosecond are merged (the change is measured from the last update with an earlier
 * time). Until the first sample σ is the configured initial value. Microstructure noise (the fair
 * value ticking back and forth) inflates the estimate at very short steps; a longer half-life
 * smooths it. Owned by its strategy's thread; no allocation.
 */
public final class EwmaVolatility {
    private double halfLifeSeconds;
    private double variance;
    private long lastNanos = Long.MIN_VALUE;
    private double lastPrice;
    private long samples;

    public EwmaVolatility(double initialSigma, double halfLifeSeconds) {
        reset(initialSigma, halfLifeSeconds);
    }

    /** starts over from {@code initialSigma} with a new half-life */
    public void reset(double initialSigma, double halfLifeSeconds) {
        this.variance = initialSigma * initialSigma;
        this.halfLifeSeconds = halfLifeSeconds;
        this.lastNanos = Long.MIN_VALUE;
        this.samples = 0;
    }

    public void halfLife(double seconds) {
        this.halfLifeSeconds = seconds;
    }

    public void update(long timestampNanos, double price) {
        if (lastNanos == Long.MIN_VALUE) {
            lastNanos = timestampNanos;
            lastPrice = price;
            return;
        }
        if (timestampNanos <= lastNanos) {
            return;
        }
        double dt = (timestampNanos - lastNanos) / 1e9;
        double d = price - lastPrice;
        double weight = -Math.expm1(-dt / halfLifeSeconds * Math.log(2));
        variance += weight * (d * d / dt - variance);
        lastNanos = timestampNanos;
        lastPrice = price;
        samples++;
    }

    public double sigma() {
        return Math.sqrt(variance);
    }

    public long samples() {
        return samples;
    }

    /** the whole estimator, bit for bit, for a snapshot or the digest */
    void writeState(StateOut out) {
        out.putDouble(halfLifeSeconds).putDouble(variance).putLong(lastNanos).putDouble(lastPrice).putLong(samples);
    }

    void readState(StateIn in) {
        double halfLife = in.getDouble();
        double var = in.getDouble();
        long last = in.getLong();
        double price = in.getDouble();
        long n = in.getLong();
        if (!(halfLife > 0) || !(var >= 0) || Double.isInfinite(var) || n < 0) {
            throw new StateFormatException("volatility estimator state out of range: half-life " + halfLife
                    + " s, variance " + var + ", samples " + n);
        }
        halfLifeSeconds = halfLife;
        variance = var;
        lastNanos = last;
        lastPrice = price;
        samples = n;
    }
}
