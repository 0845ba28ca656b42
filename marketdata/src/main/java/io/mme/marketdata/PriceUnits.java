package io.mme.marketdata;

import io.mme.core.instrument.Instrument;

/**
 * Converts one instrument's ticks and lots into the common units the consolidated view works in:
 * 10^-9 of the quote asset for prices, 10^-9 of the base asset for quantities, so that venues with
 * different tick and lot sizes compare exactly. Immutable; any thread.
 */
public final class PriceUnits {
    /** decimals of the common units */
    public static final int SCALE = 9;
    private static final long[] POW10 = {1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000, 1_000_000_000};

    private final long priceFactor;
    private final long quantityFactor;

    /**
     * @throws IllegalArgumentException when the instrument's tick or lot is finer than 10^-9
     */
    public PriceUnits(Instrument instrument) {
        if (instrument.tick().scale() > SCALE || instrument.lot().scale() > SCALE) {
            throw new IllegalArgumentException(instrument + ": tick " + instrument.tick().step() + " or lot "
                    + instrument.lot().step() + " is finer than 10^-" + SCALE + ", which the consolidated view cannot hold");
        }
        this.priceFactor = instrument.tick().stepUnits() * POW10[SCALE - instrument.tick().scale()];
        this.quantityFactor = instrument.lot().stepUnits() * POW10[SCALE - instrument.lot().scale()];
    }

    /** price ticks to 10^-9 quote units (saturating at Long.MAX_VALUE) */
    public long price(long ticks) {
        return Math.multiplyHigh(ticks, priceFactor) == 0 && ticks * priceFactor >= 0 ? ticks * priceFactor : Long.MAX_VALUE;
    }

    /** quantity lots to 10^-9 base units (saturating at Long.MAX_VALUE) */
    public long quantity(long lots) {
        return Math.multiplyHigh(lots, quantityFactor) == 0 && lots * quantityFactor >= 0 ? lots * quantityFactor : Long.MAX_VALUE;
    }
}
