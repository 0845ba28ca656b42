package io.mme.strategy.api;

/**
 * A strategy's read-only view of its market and of its own orders, kept current by the engine
 * before every callback. Instruments are numbered 0..{@link #instruments()}-1 in the order of the
 * strategy's configuration (one per venue, all of one pair). Units: prices in venue ticks or in
 * 10^-9 quote units ("nanos"), quantities in venue lots or in 10^-9 base units, time in epoch
 * nanoseconds of the event being handled (the engine's only clock: replay sees the same).
 *
 * <p>Every method is allocation-free and cheap (an array read or a multiplication); nothing here
 * is valid outside a callback, and only the engine's thread may call it. {@link #NONE} stands for
 * "no price" wherever a price may be missing.
 */
public interface MarketView {
    /** no price (no fair value, an empty side, no trade yet) */
    long NONE = Long.MIN_VALUE;

    /** the time of the event being handled, epoch nanos */
    long timeNanos();

    /** the strategy's id from the configuration */
    String strategyId();

    // ------------------------------------------------------------------ instruments

    /** how many instruments (one per venue) the strategy trades */
    int instruments();

    /** the venue's name of instrument {@code i} ("binance", "kraken", ...) */
    String venue(int i);

    /** the venue's symbol of instrument {@code i} */
    String symbol(int i);

    /** the canonical pair all instruments belong to ("BTC-USD") */
    String pair();

    /** one tick of instrument {@code i} in 10^-9 quote units */
    long nanosPerTick(int i);

    /** one lot of instrument {@code i} in 10^-9 base units */
    long nanosPerLot(int i);

    /** a price in ticks of instrument {@code i} as 10^-9 quote units ({@link #NONE} stays NONE) */
    default long priceNanos(int i, long ticks) {
        return ticks == NONE ? NONE : ticks * nanosPerTick(i);
    }

    /** a quantity in lots of instrument {@code i} as 10^-9 base units */
    default long quantityNanos(int i, long lots) {
        return lots * nanosPerLot(i);
    }

    /** the venue's maker fee on instrument {@code i} in basis points (negative: a rebate) */
    long makerFeeBps(int i);

    /** the venue's taker fee on instrument {@code i} in basis points */
    long takerFeeBps(int i);

    // ------------------------------------------------------------------ books

    /** what the engine vouches for the book of instrument {@code i} */
    BookStatus bookStatus(int i);

    /**
     * levels per side this view holds at most: the strategy's {@code bookDepth} in the
     * configuration (default 5, 1 to 20). The levels are those of the venue's last complete message.
     */
    int maxDepth();

    /** how many levels of {@code side} of instrument {@code i} the view holds now (0 when the book is not VALID) */
    int depth(int i, Side side);

    /** the price of level {@code level} (0 = the touch) of a side, in ticks; {@link #NONE} beyond {@link #depth} */
    long levelPriceTicks(int i, Side side, int level);

    /** the quantity of level {@code level} of a side, in lots; 0 beyond {@link #depth} */
    long levelQuantityLots(int i, Side side, int level);

    /** the best bid in ticks, or {@link #NONE} */
    default long bidTicks(int i) {
        return levelPriceTicks(i, Side.BUY, 0);
    }

    /** the best ask in ticks, or {@link #NONE} */
    default long askTicks(int i) {
        return levelPriceTicks(i, Side.SELL, 0);
    }

    /**
     * The venue's touch net of its taker fee, in 10^-9 quote units: for {@link Side#BUY} what
     * selling into the best bid yields per unit (bid·(1 − fee)), for {@link Side#SELL} what buying
     * at the best ask costs per unit (ask·(1 + fee)); {@link #NONE} when that side is empty.
     */
    default long touchNetOfFeesNanos(int i, Side side) {
        long ticks = levelPriceTicks(i, side, 0);
        if (ticks == NONE) {
            return NONE;
        }
        double price = (double) priceNanos(i, ticks);
        double fee = takerFeeBps(i) / 10_000.0;
        return Math.round(side == Side.BUY ? price * (1 - fee) : price * (1 + fee));
    }

    /** the pair's consolidated fair value in 10^-9 quote units, or {@link #NONE} */
    long fairValueNanos();

    // ------------------------------------------------------------------ trades

    /** price of the last public trade on instrument {@code i}, in ticks, or {@link #NONE} */
    long lastTradePriceTicks(int i);

    /** quantity of the last public trade, in lots (0: none yet) */
    long lastTradeQuantityLots(int i);

    /** the aggressor side of the last public trade, or null when there was none */
    Side lastTradeAggressor(int i);

    /** event time of the last public trade, epoch nanos (0: none yet) */
    long lastTradeTimeNanos(int i);

    // ------------------------------------------------------------------ our orders

    /** levels per side of quote slots (the configuration's maxLevels) */
    int quoteLevels();

    /** our order in the quote slot (instrument, side, level) */
    OrderStatus orderStatus(int i, Side side, int level);

    /** the slot order's resting price in ticks (0 when none) */
    long orderPriceTicks(int i, Side side, int level);

    /** the slot order's open quantity in lots (0 when none) */
    long orderQuantityLots(int i, Side side, int level);

    // ------------------------------------------------------------------ position and PnL

    /** our net position on instrument {@code i}'s venue, from our fills, 10^-9 base units */
    long positionNanos(int i);

    /** our net position over all the strategy's venues, 10^-9 base units */
    long positionNanos();

    /**
     * Realised PnL of the strategy in 10^-9 quote units, before fees: on each venue, what closing
     * trades earned against the average price of the position they closed.
     */
    long realisedPnlNanos();

    /** unrealised PnL, 10^-9 quote units: each venue's open position against its average price, marked at the fair value (0 without one) */
    long unrealisedPnlNanos();
}
