package io.mme.risk;

/**
 * The limits the risk engine enforces: each one's name (the key of a
 * {@link io.mme.core.ring.ControlCommands#SET_LIMIT} command), unit and the target it is set on.
 * Defaults are in {@link RiskLimits#defaults}. Values are never negative.
 */
public enum LimitKind {
    /** largest quantity of one order, in lots of the instrument; target: an instrument */
    MAX_ORDER_QUANTITY("maxOrderQuantity", Scope.INSTRUMENT, "lots", Long.MAX_VALUE),
    /** largest notional of one order (price × quantity), in 10^-9 quote units; target: an instrument */
    MAX_ORDER_NOTIONAL("maxOrderNotional", Scope.INSTRUMENT, "1e-9 quote units", Long.MAX_VALUE),
    /** widest distance of an order's price from the pair's fair value, in basis points; target: an instrument */
    PRICE_BAND("priceBandBps", Scope.INSTRUMENT, "bps", 10_000),
    /**
     * largest absolute worst-case position (position + open same-side quantity + the order), in lots;
     * target: an instrument
     */
    MAX_POSITION("maxPosition", Scope.INSTRUMENT, "lots", Long.MAX_VALUE),
    /**
     * largest absolute worst-case position in a base asset summed over every instrument with that
     * base, in 10^-9 base units; target: an instrument, standing for its base asset
     */
    MAX_ASSET_POSITION("maxAssetPosition", Scope.ASSET, "1e-9 base units", Long.MAX_VALUE),
    /** most open orders on one instrument; target: an instrument */
    MAX_OPEN_ORDERS_PER_INSTRUMENT("maxOpenOrdersPerInstrument", Scope.INSTRUMENT, "orders", Integer.MAX_VALUE),
    /** most open orders on one venue; target: a venue */
    MAX_OPEN_ORDERS_PER_VENUE("maxOpenOrdersPerVenue", Scope.VENUE, "orders", Integer.MAX_VALUE),
    /** refill rate of the venue's order token bucket (PLACE and REPLACE take a token); target: a venue */
    ORDER_RATE("orderRatePerMinute", Scope.VENUE, "orders per minute", 1_000_000),
    /** size of the venue's order token bucket: the most orders in a burst; target: a venue */
    ORDER_BURST("orderBurst", Scope.VENUE, "orders", 1_000_000),
    /**
     * the day's loss (realized + unrealized, fees included, since the UTC day began) at which the
     * global state goes to REDUCING, in 10^-9 quote units (every quote asset counted alike);
     * target: global
     */
    DAILY_LOSS("dailyLossLimit", Scope.GLOBAL, "1e-9 quote units", Long.MAX_VALUE),
    /**
     * largest absolute worst-case position of one strategy (its position + open same-side quantity +
     * the order, over its instruments), in 10^-9 base units; target: an instrument standing for the
     * strategy quoting it. Default: none (the largest value)
     */
    STRATEGY_MAX_POSITION("strategyMaxPosition", Scope.STRATEGY, "1e-9 base units", Long.MAX_VALUE),
    /**
     * the strategy's day loss (realized + unrealized, fees included, over its instruments since the
     * UTC day began) at which it may only reduce its position, in 10^-9 quote units; target: an
     * instrument standing for its strategy. Default: none
     */
    STRATEGY_DAILY_LOSS("strategyDailyLossLimit", Scope.STRATEGY, "1e-9 quote units", Long.MAX_VALUE),
    /** most open orders of one strategy over its instruments; target: an instrument standing for its strategy. Default: none */
    STRATEGY_MAX_OPEN_ORDERS("strategyMaxOpenOrders", Scope.STRATEGY, "orders", Integer.MAX_VALUE),
    /**
     * most taker (IOC) quantity sent on one venue's instrument in any minute of event time, in lots
     * (quantities add up within one instrument only: a venue's limit is set per instrument it
     * trades); target: an instrument. Default: the lots in 2 base units
     */
    MAX_TAKER_QUANTITY_PER_MINUTE("maxTakerQuantityPerMinute", Scope.INSTRUMENT, "lots per minute", Long.MAX_VALUE),
    /**
     * widest distance of a taker order's limit price beyond the venue's touch (the best ask for a
     * buy, the best bid for a sell), in basis points of the touch; target: a venue. Default: 50
     */
    MAX_TAKER_SLIPPAGE("maxTakerSlippageBps", Scope.VENUE, "bps", 10_000);

    /** what a limit is set on */
    public enum Scope {
        /** target instrument id ≥ 0 (venue -1 or the instrument's own) */
        INSTRUMENT,
        /** target an instrument id ≥ 0 that names its base asset */
        ASSET,
        /** target venue id ≥ 0, instrument -1 */
        VENUE,
        /** target -1 / -1 */
        GLOBAL,
        /** target an instrument id ≥ 0 that a strategy quotes, naming that strategy */
        STRATEGY
    }

    private static final LimitKind[] VALUES = values();

    private final String key;
    private final Scope scope;
    private final String unit;
    private final long maxValue;

    LimitKind(String key, Scope scope, String unit, long maxValue) {
        this.key = key;
        this.scope = scope;
        this.unit = unit;
        this.maxValue = maxValue;
    }

    /** the name in control commands, config and the change log */
    public String key() {
        return key;
    }

    public Scope scope() {
        return scope;
    }

    public String unit() {
        return unit;
    }

    /** the largest value accepted (keeps the engine's integer arithmetic inside a long) */
    public long maxValue() {
        return maxValue;
    }

    /** the kind with that key, or null */
    public static LimitKind ofKey(String key) {
        for (LimitKind kind : VALUES) {
            if (kind.key.equals(key)) {
                return kind;
            }
        }
        return null;
    }
}
