package io.mme.strategy;

import io.mme.strategy.api.MarketView;
import io.mme.strategy.api.ParameterChecks;
import io.mme.strategy.api.Quotes;
import io.mme.strategy.api.Side;
import io.mme.strategy.api.StateIn;
import io.mme.strategy.api.StateOut;
import io.mme.strategy.api.Strategy;
import io.mme.strategy.api.StrategyFactory;

import java.util.List;

/**
 * Avellaneda–Stoikov quoting ({@link AvellanedaStoikovModel}) on every quoted venue, one level per
 * side, around the consolidated fair value s:
 * <ul>
 *   <li>units: prices in the quote asset (fair value / 10^9), time in seconds, inventory q = our net
 *       base position / the quote size (so q = 1 means one quote's worth);</li>
 *   <li>σ: {@link EwmaVolatility} over the fair value in event time (quote units per √s);</li>
 *   <li>T − t: a rolling horizon. A market maker that runs without an end of day has no fixed T;
 *       we take T = t + horizon at every instant, so τ = horizon is constant. The inventory
 *       penalty q·γ·σ²·τ is then what holding q for one more horizon would cost in risk terms,
 *       and the spread does not collapse toward a fictitious close.</li>
 * </ul>
 * Parameter keys (longs, in the unit named):
 * <ul>
 *   <li>{@value #GAMMA_MICRO}: risk aversion γ in 10^-6 per quote unit (1..10^12)</li>
 *   <li>{@value #K_MICRO}: order-book liquidity k in 10^-6 per quote unit (1..10^12)</li>
 *   <li>{@value #A_MICRO}: fill intensity at the mid A in 10^-6 fills per second (1..10^15; enters
 *       λ(δ) = A·e^(−kδ), not the quotes)</li>
 *   <li>{@value #SIGMA_INITIAL_NANOS}: σ before the first sample, 10^-9 quote units per √s (1..10^15);
 *       setting it restarts the estimator</li>
 *   <li>{@value #SIGMA_HALFLIFE_MILLIS}: half-life of the σ estimator in event-time ms (1..10^9)</li>
 *   <li>{@value #HORIZON_MILLIS}: τ in ms (1..10^9)</li>
 *   <li>{@value #SIZE_NANOS}: quote size in 10^-9 base units (1..10^15), also the unit of q</li>
 * </ul>
 * Owned by the hosting engine's thread.
 */
public final class AvellanedaStoikovStrategy implements Strategy {
    public static final String GAMMA_MICRO = "gamma.micro";
    public static final String K_MICRO = "k.micro";
    public static final String A_MICRO = "a.micro";
    public static final String SIGMA_INITIAL_NANOS = "sigma.initial.nanos";
    public static final String SIGMA_HALFLIFE_MILLIS = "sigma.halflife.millis";
    public static final String HORIZON_MILLIS = "horizon.millis";
    public static final String SIZE_NANOS = "size.nanos";
    private static final List<String> KEYS = List.of(GAMMA_MICRO, K_MICRO, A_MICRO, SIGMA_INITIAL_NANOS,
            SIGMA_HALFLIFE_MILLIS, HORIZON_MILLIS, SIZE_NANOS);
    private static final long MAX = 1_000_000_000_000_000L;

    /**
     * Start-up values (units as in the class comment); the defaults suit BTC/USD-like prices.
     *
     * @param gammaMicro          default 10,000 (γ = 0.01 per USD)
     * @param kMicro              default 500,000 (k = 0.5 per USD)
     * @param aMicro              default 140,000,000 (A = 140 per second)
     * @param sigmaInitialNanos   default 5,000,000,000 (5 USD/√s)
     * @param sigmaHalfLifeMillis default 60,000
     * @param horizonMillis       default 60,000
     * @param sizeNanos           default 1,000,000 (0.001 of the base asset)
     */
    public record Parameters(long gammaMicro, long kMicro, long aMicro, long sigmaInitialNanos,
                             long sigmaHalfLifeMillis, long horizonMillis, long sizeNanos) {
        public static Parameters defaults() {
            return new Parameters(10_000, 500_000, 140_000_000, 5_000_000_000L, 60_000, 60_000, 1_000_000);
        }
    }

    private long gammaMicro;
    private long kMicro;
    private long aMicro;
    private long sigmaInitialNanos;
    private long sigmaHalfLifeMillis;
    private long horizonMillis;
    private long sizeNanos;
    private AvellanedaStoikovModel model;
    private final EwmaVolatility volatility;
    private MarketView market;

    public AvellanedaStoikovStrategy(Parameters p) {
        long[] values = {p.gammaMicro(), p.kMicro(), p.aMicro(), p.sigmaInitialNanos(), p.sigmaHalfLifeMillis(),
                p.horizonMillis(), p.sizeNanos()};
        this.gammaMicro = 1;
        this.kMicro = 1;
        this.aMicro = 1;
        this.sigmaHalfLifeMillis = 1;
        this.volatility = new EwmaVolatility(0, 1);
        for (int i = 0; i < KEYS.size(); i++) {
            String refusal = setParameter(KEYS.get(i), values[i]);
            if (refusal != null) {
                throw new IllegalArgumentException(refusal);
            }
        }
    }

    /** the type name in configurations */
    public static final String TYPE = "avellaneda-stoikov";

    /** builds it with its defaults; listed in META-INF/services like a plug-in's factory */
    public static final class Factory implements StrategyFactory {
        @Override
        public String type() {
            return TYPE;
        }

        @Override
        public Strategy newStrategy() {
            return new AvellanedaStoikovStrategy(Parameters.defaults());
        }
    }

    @Override
    public String name() {
        return TYPE;
    }

    public AvellanedaStoikovModel model() {
        return model;
    }

    /** the current σ estimate, quote units per √s */
    public double sigma() {
        return volatility.sigma();
    }

    @Override
    public void start(MarketView market) {
        this.market = market;
    }

    @Override
    public void onFairValue(long timestampNanos, long fairValueNanos) {
        volatility.update(timestampNanos, fairValueNanos / 1e9);
    }

    /** q is read from the view when quoting; τ is constant on a rolling horizon, so nothing ages on a timer */
    @Override
    public void quote(Quotes out) {
        double s = market.fairValueNanos() / 1e9;
        double q = (double) market.positionNanos() / sizeNanos;
        double sigma = volatility.sigma();
        double tau = horizonMillis / 1e3;
        double bid = model.bid(s, q, sigma, tau) * 1e9;
        double ask = model.ask(s, q, sigma, tau) * 1e9;
        for (int i = 0; i < market.instruments(); i++) {
            out.set(i, Side.BUY, 0, bid, sizeNanos);
            out.set(i, Side.SELL, 0, ask, sizeNanos);
        }
    }

    @Override
    public List<String> parameterKeys() {
        return KEYS;
    }

    @Override
    public String setParameter(String key, long value) {
        String refusal = switch (key) {
            case GAMMA_MICRO -> ParameterChecks.range(key, value, 1, 1_000_000_000_000L, "10^-6 per quote unit", gammaMicro);
            case K_MICRO -> ParameterChecks.range(key, value, 1, 1_000_000_000_000L, "10^-6 per quote unit", kMicro);
            case A_MICRO -> ParameterChecks.range(key, value, 1, MAX, "10^-6 fills per second", aMicro);
            case SIGMA_INITIAL_NANOS -> ParameterChecks.range(key, value, 1, MAX, "10^-9 quote units per sqrt(s)", sigmaInitialNanos);
            case SIGMA_HALFLIFE_MILLIS -> ParameterChecks.range(key, value, 1, 1_000_000_000, "ms", sigmaHalfLifeMillis);
            case HORIZON_MILLIS -> ParameterChecks.range(key, value, 1, 1_000_000_000, "ms", horizonMillis);
            case SIZE_NANOS -> ParameterChecks.range(key, value, 1, MAX, "10^-9 base units", sizeNanos);
            default -> ParameterChecks.unknown(key, KEYS);
        };
        if (refusal != null) {
            return refusal;
        }
        switch (key) {
            case GAMMA_MICRO -> gammaMicro = value;
            case K_MICRO -> kMicro = value;
            case A_MICRO -> aMicro = value;
            case SIGMA_INITIAL_NANOS -> {
                sigmaInitialNanos = value;
                volatility.reset(value / 1e9, sigmaHalfLifeMillis / 1e3);
            }
            case SIGMA_HALFLIFE_MILLIS -> {
                sigmaHalfLifeMillis = value;
                volatility.halfLife(value / 1e3);
            }
            case HORIZON_MILLIS -> horizonMillis = value;
            default -> sizeNanos = value;
        }
        model = new AvellanedaStoikovModel(gammaMicro / 1e6, kMicro / 1e6, aMicro / 1e6);
        return null;
    }

    @Override
    public long parameter(String key) {
        return switch (key) {
            case GAMMA_MICRO -> gammaMicro;
            case K_MICRO -> kMicro;
            case A_MICRO -> aMicro;
            case SIGMA_INITIAL_NANOS -> sigmaInitialNanos;
            case SIGMA_HALFLIFE_MILLIS -> sigmaHalfLifeMillis;
            case HORIZON_MILLIS -> horizonMillis;
            case SIZE_NANOS -> sizeNanos;
            default -> throw new IllegalArgumentException(ParameterChecks.unknown(key, KEYS));
        };
    }

    /** the σ estimator; γ, k, A, τ and the size are parameters, which the engine restores */
    @Override
    public void writeState(StateOut out) {
        volatility.writeState(out);
    }

    @Override
    public void readState(StateIn in) {
        volatility.readState(in);
    }
}
