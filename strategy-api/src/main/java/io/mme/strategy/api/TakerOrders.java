package io.mme.strategy.api;

/**
 * Where a strategy asks for taker orders: immediate-or-cancel (IOC) orders that take what a venue's
 * book offers up to a limit price, the unfilled rest cancelled by the venue at once (to hedge, or
 * to close a position). Handed to {@link Strategy#take} after every event that concerned the
 * strategy; only valid during that call; engine thread.
 *
 * <p>The engine rounds the limit price to the venue's tick in the safe direction — a buy down, a
 * sell up, so the order never pays more or sells for less than asked — and the size down to the
 * venue's lot. Each order passes risk like every quote, plus risk's taker limits (taker quantity
 * per minute, slippage of the limit price from the venue's touch). The strategy hears of it through
 * {@link Strategy#onFill} (with {@code taker} true) and {@link Strategy#onTakerUpdate}.
 */
public interface TakerOrders {
    /** what {@link #take} returns when the engine did not send the order */
    long NOT_SENT = 0;

    /**
     * Asks for an IOC order.
     *
     * @param instrument      the instrument's index in the strategy's view
     * @param limitPriceNanos the worst price accepted, 10^-9 quote units (a buy's highest, a sell's lowest)
     * @param sizeNanos       10^-9 base units
     * @return the order's id (positive: the one {@link Strategy#onTakerUpdate} names), or
     * {@link #NOT_SENT} when the engine did not send it: an instrument out of range, a price that
     * is not a positive finite number, a size under one lot or the venue's minimum quantity or
     * notional, the venue's book not VALID, or no room (the event's decision is full, or the
     * strategy has {@link #capacity()} taker orders in flight). A strategy that still wants it
     * asks again on a later event.
     */
    long take(int instrument, Side side, double limitPriceNanos, long sizeNanos);

    /** the most taker orders of one strategy in flight at once */
    int capacity();
}
