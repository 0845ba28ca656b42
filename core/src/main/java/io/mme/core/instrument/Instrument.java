package io.mme.core.instrument;

/**
 * One tradable instrument on one venue, with the grids that turn its prices into {@code long}
 * ticks and its quantities into {@code long} lots. Immutable; built by {@link InstrumentRegistry},
 * shared by every thread.
 */
public final class Instrument {
    private final int id;
    private final Venue venue;
    private final String venueSymbol;
    private final String base;
    private final String quote;
    private final String venueBase;
    private final String venueQuote;
    private final DecimalGrid tick;
    private final DecimalGrid lot;
    private final long minQuantityLots;
    /** minimum notional in units of 10^-(tick scale + lot scale) of the quote asset; 0 means none */
    private final long minNotionalUnits;
    private final int priceDecimals;
    private final int sizeDecimals;
    /** the tick and the lot in 10^-9 units, or -1 when the step has more than 9 decimals (then the nanos helpers throw) */
    private final long nanosPerTick;
    private final long nanosPerLot;

    Instrument(int id, Venue venue, String venueSymbol, String base, String quote, String venueBase,
               String venueQuote, DecimalGrid tick, DecimalGrid lot, long minQuantityLots,
               long minNotionalUnits, int priceDecimals, int sizeDecimals) {
        this.id = id;
        this.venue = venue;
        this.venueSymbol = venueSymbol;
        this.base = base;
        this.quote = quote;
        this.venueBase = venueBase;
        this.venueQuote = venueQuote;
        this.tick = tick;
        this.lot = lot;
        this.minQuantityLots = minQuantityLots;
        this.minNotionalUnits = minNotionalUnits;
        this.priceDecimals = priceDecimals;
        this.sizeDecimals = sizeDecimals;
        this.nanosPerTick = FixedMath.nanosOrNegative(tick.stepUnits(), tick.scale());
        this.nanosPerLot = FixedMath.nanosOrNegative(lot.stepUnits(), lot.scale());
    }

    /** dense id, 0..n-1 in registry order: the hot path's handle on this instrument */
    public int id() {
        return id;
    }

    public Venue venue() {
        return venue;
    }

    /** the symbol as the venue spells it */
    public String venueSymbol() {
        return venueSymbol;
    }

    /** canonical base asset (aliases resolved): BTC for Kraken's XBT */
    public String base() {
        return base;
    }

    /** canonical quote asset */
    public String quote() {
        return quote;
    }

    public String venueBase() {
        return venueBase;
    }

    public String venueQuote() {
        return venueQuote;
    }

    /** venue-neutral pair name, BASE/QUOTE in canonical assets: the same for BTC-USD and XBT/USD */
    public String pair() {
        return base + "/" + quote;
    }

    public DecimalGrid tick() {
        return tick;
    }

    public DecimalGrid lot() {
        return lot;
    }

    public long minQuantityLots() {
        return minQuantityLots;
    }

    public int priceDecimals() {
        return priceDecimals;
    }

    public int sizeDecimals() {
        return sizeDecimals;
    }

    /** price text to ticks; exact or a {@link FixedPointException} naming value and instrument */
    public long priceTicks(CharSequence text, int start, int end) {
        return tick.toSteps(text, start, end);
    }

    /** {@link #priceTicks(CharSequence, int, int)} from a decoder's character array: the fast path */
    public long priceTicks(char[] text, int start, int end) {
        return tick.toSteps(text, start, end);
    }

    public long priceTicks(CharSequence text) {
        return tick.toSteps(text);
    }

    /** quantity text to lots; exact or a {@link FixedPointException} naming value and instrument */
    public long quantityLots(CharSequence text, int start, int end) {
        return lot.toSteps(text, start, end);
    }

    /** {@link #quantityLots(CharSequence, int, int)} from a decoder's character array: the fast path */
    public long quantityLots(char[] text, int start, int end) {
        return lot.toSteps(text, start, end);
    }

    public long quantityLots(CharSequence text) {
        return lot.toSteps(text);
    }

    /** appends the price with the venue's price decimals */
    public StringBuilder appendPrice(long ticks, StringBuilder out) {
        return tick.appendDecimal(ticks, priceDecimals, out);
    }

    /** appends the quantity with the venue's size decimals */
    public StringBuilder appendQuantity(long lots, StringBuilder out) {
        return lot.appendDecimal(lots, sizeDecimals, out);
    }

    /**
     * Whether an order of {@code quantityLots} at {@code priceTicks} meets the venue's minimum
     * notional. Pure integer arithmetic; a product too large for a long certainly meets it.
     */
    public boolean meetsMinNotional(long priceTicks, long quantityLots) {
        if (minNotionalUnits == 0) {
            return true;
        }
        if (priceTicks <= 0 || quantityLots <= 0) {
            return false;
        }
        long priceUnits = priceTicks * tick.stepUnits();
        if (Math.multiplyHigh(priceTicks, tick.stepUnits()) != 0 || priceUnits < 0) {
            return true;
        }
        long quantityUnits = quantityLots * lot.stepUnits();
        if (Math.multiplyHigh(quantityLots, lot.stepUnits()) != 0 || quantityUnits < 0) {
            return true;
        }
        long notional = priceUnits * quantityUnits;
        if (Math.multiplyHigh(priceUnits, quantityUnits) != 0 || notional < 0) {
            return true;
        }
        return notional >= minNotionalUnits;
    }

    /** 10^-9 units: the unit of fair values (quote asset), notionals and PnL (quote asset) and positions per asset (base asset) */
    public static final long NANOS = 1_000_000_000L;

    /** one tick in 10^-9 units of the quote asset; the tick must have at most 9 decimals */
    public long nanosPerTick() {
        if (nanosPerTick < 0) {
            FixedMath.unitsToNanos(tick.stepUnits(), tick.scale(), this + " tick");
        }
        return nanosPerTick;
    }

    /** one lot in 10^-9 units of the base asset; the lot must have at most 9 decimals */
    public long nanosPerLot() {
        if (nanosPerLot < 0) {
            FixedMath.unitsToNanos(lot.stepUnits(), lot.scale(), this + " lot");
        }
        return nanosPerLot;
    }

    /** the price in 10^-9 quote units */
    public long priceNanos(long priceTicks) {
        return Math.multiplyExact(priceTicks, nanosPerTick());
    }

    /** the quantity in 10^-9 base units */
    public long quantityNanos(long quantityLots) {
        return Math.multiplyExact(quantityLots, nanosPerLot());
    }

    /**
     * The notional of {@code quantityLots} at {@code priceTicks} in 10^-9 quote units, rounded
     * toward zero; exact integer arithmetic, {@link ArithmeticException} beyond a long.
     */
    public long notionalNanos(long priceTicks, long quantityLots) {
        return FixedMath.mulDiv(priceNanos(priceTicks), quantityNanos(quantityLots), NANOS);
    }

    /** the highest tick at or below a price in 10^-9 quote units (a bid never rounds up) */
    public long ticksAtOrBelow(long priceNanos) {
        return Math.floorDiv(priceNanos, nanosPerTick());
    }

    /** the lowest tick at or above a price in 10^-9 quote units (an ask never rounds down) */
    public long ticksAtOrAbove(long priceNanos) {
        return -Math.floorDiv(-priceNanos, nanosPerTick());
    }

    @Override
    public String toString() {
        return venue + " " + venueSymbol + " (#" + id + ", tick " + tick.step() + ", lot " + lot.step() + ")";
    }
}
