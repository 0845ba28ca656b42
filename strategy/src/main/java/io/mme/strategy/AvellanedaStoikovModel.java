package io.mme.strategy;

/**
 * The Avellaneda &amp; Stoikov (2008) market-making model, "High-frequency trading in a limit order
 * book": with risk aversion {@code gamma}, mid {@code s}, inventory {@code q} (in units of the
 * quote size), volatility {@code sigma} (price units per √time unit) and time left {@code tau}:
 * <ul>
 *   <li>reservation price r = s − q·γ·σ²·τ</li>
 *   <li>total spread δa + δb = γ·σ²·τ + (2/γ)·ln(1 + γ/k), centred on r</li>
 *   <li>fill intensity at distance δ from the mid: λ(δ) = A·exp(−k·δ)</li>
 * </ul>
 * Units are the caller's, as long as they agree: γ and k in 1/price unit, σ in price/√time, τ and
 * 1/A in time. The live strategy uses quote-asset units and seconds; the simulation uses the
 * paper's units. Immutable; any thread.
 */
public final class AvellanedaStoikovModel {
    private final double gamma;
    private final double k;
    private final double a;
    private final double spreadConstant;

    public AvellanedaStoikovModel(double gamma, double k, double a) {
        if (!(gamma > 0) || !(k > 0) || !(a > 0) || Double.isInfinite(gamma) || Double.isInfinite(k) || Double.isInfinite(a)) {
            throw new IllegalArgumentException("gamma, k and A must be positive and finite: " + gamma + ", " + k + ", " + a);
        }
        this.gamma = gamma;
        this.k = k;
        this.a = a;
        this.spreadConstant = 2.0 / gamma * Math.log1p(gamma / k);
    }

    public double gamma() {
        return gamma;
    }

    public double k() {
        return k;
    }

    public double a() {
        return a;
    }

    /** r = s − q·γ·σ²·τ */
    public double reservationPrice(double s, double q, double sigma, double tau) {
        return s - q * gamma * sigma * sigma * tau;
    }

    /** the total spread ask − bid: γ·σ²·τ + (2/γ)·ln(1 + γ/k) */
    public double spread(double sigma, double tau) {
        return gamma * sigma * sigma * tau + spreadConstant;
    }

    /** r − spread/2 */
    public double bid(double s, double q, double sigma, double tau) {
        return reservationPrice(s, q, sigma, tau) - spread(sigma, tau) / 2;
    }

    /** r + spread/2 */
    public double ask(double s, double q, double sigma, double tau) {
        return reservationPrice(s, q, sigma, tau) + spread(sigma, tau) / 2;
    }

    /** λ(δ) = A·exp(−k·δ): fills per time unit of a quote at distance δ from the mid */
    public double intensity(double delta) {
        return a * Math.exp(-k * delta);
    }
}
