package io.mme.connectors.hyperliquid;

/**
 * Hyperliquid's price rule and how a fixed tick represents it. A perpetual's price has at most
 * five significant figures and at most {@code 6 - szDecimals} decimals (spot: 8); an integer price
 * is always allowed. The first bound is a fixed grid; the second is not: the step it allows grows
 * with the price (at 105,055 only whole numbers, at 3,300.5 tenths, at 0.012345 millionths).
 *
 * <p>Decision: an instrument's tick is the fixed part, {@code 10^-(6 - szDecimals)} (1 when that
 * exponent is not negative), the finest step any valid price can have. Every price the venue can
 * show lies on that grid, whatever the price level, so the books never meet an off-grid price
 * when the market moves through a power of ten. The five-significant-figure rule is applied on top
 * of the grid where a price is made rather than read: {@link #significantStepTicks} is the coarser
 * step at a given price, {@link #valid} and {@link #round} check and round to it. A tick fixed
 * from today's price level (e.g. 1 for BTC at 105,055) would hold only until the price crossed
 * the next power of ten downwards, after which the venue's prices would fall between its steps.
 *
 * <p>Stateless; any thread.
 */
public final class HyperliquidTicks {
    /** a perpetual's decimals before its szDecimals are taken off */
    public static final int PERP_MAX_DECIMALS = 6;
    /** a spot pair's */
    public static final int SPOT_MAX_DECIMALS = 8;
    /** the significant figures a non-integer price may have */
    public static final int SIGNIFICANT_FIGURES = 5;

    private HyperliquidTicks() {
    }

    /** the decimals of a price on the fixed grid: max(0, maxDecimals - szDecimals) */
    public static int priceDecimals(int szDecimals, boolean perpetual) {
        if (szDecimals < 0) {
            throw new IllegalArgumentException("szDecimals " + szDecimals + " is negative");
        }
        return Math.max(0, (perpetual ? PERP_MAX_DECIMALS : SPOT_MAX_DECIMALS) - szDecimals);
    }

    /** the tick as plain decimal text: 10^-priceDecimals ("0.1" for BTC's szDecimals 5) */
    public static String tickSize(int szDecimals, boolean perpetual) {
        return step(priceDecimals(szDecimals, perpetual));
    }

    /** the lot as plain decimal text: 10^-szDecimals ("0.00001" for BTC) */
    public static String lotSize(int szDecimals) {
        if (szDecimals < 0) {
            throw new IllegalArgumentException("szDecimals " + szDecimals + " is negative");
        }
        return step(szDecimals);
    }

    private static String step(int decimals) {
        return decimals == 0 ? "1" : "0." + "0".repeat(decimals - 1) + "1";
    }

    /**
     * The step, in ticks of a grid with {@code priceDecimals} decimals, that five significant
     * figures allow at {@code priceTicks}: 1 while the price has at most five digits on the grid,
     * else 10^(digits - 5), but never more than one whole unit (integers are always allowed).
     */
    public static long significantStepTicks(long priceTicks, int priceDecimals) {
        if (priceTicks <= 0) {
            throw new IllegalArgumentException("price " + priceTicks + " ticks is not positive");
        }
        int digits = 0;
        for (long p = priceTicks; p > 0; p /= 10) {
            digits++;
        }
        long step = 1;
        for (int i = SIGNIFICANT_FIGURES; i < digits && i - SIGNIFICANT_FIGURES < priceDecimals; i++) {
            step *= 10;
        }
        return step;
    }

    /** whether a price on the fixed grid is one the venue accepts (five significant figures, or an integer) */
    public static boolean valid(long priceTicks, int priceDecimals) {
        return priceTicks > 0 && priceTicks % significantStepTicks(priceTicks, priceDecimals) == 0;
    }

    /**
     * The nearest valid price at or below ({@code up} false: a bid) or at or above ({@code up}
     * true: an ask) {@code priceTicks}.
     */
    public static long round(long priceTicks, int priceDecimals, boolean up) {
        long step = significantStepTicks(priceTicks, priceDecimals);
        long down = priceTicks - Math.floorMod(priceTicks, step);
        if (down == priceTicks || !up) {
            return down;
        }
        long rounded = down + step;
        // rounding up can add a digit (99,999.5 -> 100,000): still valid, the step only grows
        return rounded;
    }
}
