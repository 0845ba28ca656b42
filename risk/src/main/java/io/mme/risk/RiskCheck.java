package io.mme.risk;

import io.mme.core.ring.RejectCodes;

/**
 * The pre-trade checks of the risk engine, each with the reject code it writes into a refused
 * {@link io.mme.core.ring.QuoteIntent} ({@code RejectCodes.RISK_BASE + n}) and a readable name for
 * logs, the console and the audit trail. Codes are part of the journal: never renumber one.
 */
public enum RiskCheck {
    /** quantity or price not positive, unknown instrument, or a venue id that is not the instrument's */
    INVALID_ORDER(1, "invalid order"),
    /** the strictest of the global, venue and instrument trading states is HALTED */
    TRADING_HALTED(2, "trading halted"),
    /** the strictest state is REDUCING and the order could take the position away from zero or past it */
    REDUCING_ONLY(3, "reducing only"),
    /** order quantity above {@link LimitKind#MAX_ORDER_QUANTITY} */
    MAX_ORDER_QUANTITY(4, "max order quantity"),
    /** order notional above {@link LimitKind#MAX_ORDER_NOTIONAL} */
    MAX_ORDER_NOTIONAL(5, "max order notional"),
    /** a PLACE or REPLACE while the instrument's pair has no fair value to check the price against */
    NO_FAIR_VALUE(6, "no fair value"),
    /** price further from the pair's fair value than {@link LimitKind#PRICE_BAND} (fat finger) */
    PRICE_BAND(7, "price band"),
    /** worst-case instrument position above {@link LimitKind#MAX_POSITION} */
    MAX_POSITION(8, "max position"),
    /** worst-case position in the base asset above {@link LimitKind#MAX_ASSET_POSITION} */
    MAX_ASSET_POSITION(9, "max asset position"),
    /** one more open order would exceed {@link LimitKind#MAX_OPEN_ORDERS_PER_INSTRUMENT} */
    MAX_OPEN_ORDERS_PER_INSTRUMENT(10, "max open orders per instrument"),
    /** one more open order would exceed {@link LimitKind#MAX_OPEN_ORDERS_PER_VENUE} */
    MAX_OPEN_ORDERS_PER_VENUE(11, "max open orders per venue"),
    /** the venue's order-rate token bucket is empty ({@link LimitKind#ORDER_RATE}, {@link LimitKind#ORDER_BURST}) */
    ORDER_RATE(12, "order rate"),
    /** a REPLACE whose target is not a live order of ours on that venue, instrument and side */
    UNKNOWN_ORDER(13, "unknown order"),
    /** the table of tracked open orders is full ({@link RiskConfig#maxTrackedOrders()}) */
    ORDER_TRACKING_FULL(14, "order tracking full"),
    /** the venue told us to stop sending (429, 418, a rate-limit error) and the back-off has not ended */
    VENUE_BACKOFF(15, "venue back-off"),
    /** the order would take its strategy's worst-case position beyond {@link LimitKind#STRATEGY_MAX_POSITION} */
    STRATEGY_MAX_POSITION(16, "strategy max position"),
    /** its strategy has {@link LimitKind#STRATEGY_MAX_OPEN_ORDERS} open */
    STRATEGY_MAX_OPEN_ORDERS(17, "strategy max open orders"),
    /** its strategy lost {@link LimitKind#STRATEGY_DAILY_LOSS} today and the order does not reduce its position */
    STRATEGY_DAILY_LOSS(18, "strategy daily loss"),
    /** a taker order would take the instrument's taker quantity in the last minute beyond {@link LimitKind#MAX_TAKER_QUANTITY_PER_MINUTE} */
    MAX_TAKER_QUANTITY(19, "max taker quantity per minute"),
    /** a taker order's limit price is further beyond the venue's touch than {@link LimitKind#MAX_TAKER_SLIPPAGE} */
    MAX_TAKER_SLIPPAGE(20, "max taker slippage"),
    /** a taker order on a venue whose book risk has no VALID touch of the side it would take */
    TAKER_NO_TOUCH(21, "taker without a touch");

    private static final RiskCheck[] VALUES = values();

    private final int code;
    private final String label;

    RiskCheck(int n, String label) {
        this.code = RejectCodes.RISK_BASE + n;
        this.label = label;
    }

    /** the reject code written into the intent */
    public int code() {
        return code;
    }

    /** a readable name, e.g. "max order notional" */
    public String label() {
        return label;
    }

    /** the check that gave {@code code}, or null for a code that is not one of risk's */
    public static RiskCheck ofCode(int code) {
        for (RiskCheck check : VALUES) {
            if (check.code == code) {
                return check;
            }
        }
        return null;
    }
}
